"""The share service API: what controllers call, in the API process.

It checks state with conditional database updates, records the intent
and casts to the service that does the work. It never calls a driver,
knows nothing of HTTP and never checks policy (controllers do, once);
it does enforce project visibility: a resource of another project is
``NotFound`` for a non-admin, as upstream hides existence.

The method contract is in the docstrings; the controllers are its only
callers apart from tests.
"""

import ipaddress
import uuid

from oslo_log import log as logging

from manila_lite import quota
from manila_lite.common import exceptions
from manila_lite.common import rpc
from manila_lite.common import states
from manila_lite.common import type_specs
from manila_lite.common import utils
from manila_lite.db import api as db
from manila_lite.db import share_groups as group_db
from manila_lite.db import share_type_access as type_access
from manila_lite.scheduler import rpcapi as scheduler_rpcapi
from manila_lite.share import access_values
from manila_lite.share import from_snapshot
from manila_lite.share import groups
from manila_lite.share import lock_api
from manila_lite.share import recycle
from manila_lite.share import rpcapi as share_rpcapi
from manila_lite.share import scheduler_hints as scheduler_hints_mod
from manila_lite.share import size_limits
from manila_lite.share import type_zones

LOG = logging.getLogger(__name__)

#: Statuses a share may be deleted from without ``force_delete``.
DELETABLE_STATUSES = frozenset({
    states.STATUS_AVAILABLE, states.STATUS_ERROR, states.STATUS_INACTIVE,
})

#: Instance statuses in which no access rule is added or denied (as
#: upstream's INVALID_SHARE_INSTANCE_STATUSES_FOR_ACCESS_RULE_UPDATES;
#: a promotion in flight too).
_ACCESS_REFUSING_STATUSES = states.TRANSITIONAL_STATUSES | {
    states.STATUS_REPLICATION_CHANGE}

_AZ_NAMESPACE = uuid.UUID('6d1f9d0e-7a55-4f55-9a54-2b0d6f3c9a10')


def _access_target(access_type, access_to):
    """What a rule grants to, for duplicate checks: an IP rule's
    network, so ``10.0.0.1`` and ``10.0.0.1/32`` are one (as
    upstream)."""
    if access_type == 'ip':
        try:
            return access_type, ipaddress.ip_network(access_to,
                                                     strict=False)
        except ValueError:
            pass
    return access_type, access_to


class API:
    def __init__(self, conf):
        self.conf = conf
        self.scheduler_rpcapi = scheduler_rpcapi.SchedulerAPI(conf)
        self.share_rpcapi = share_rpcapi.ShareAPI(conf)

    # --- helpers ------------------------------------------------------------
    @staticmethod
    def _cast(what, func, *args, **kwargs):
        try:
            func(*args, **kwargs)
        except rpc.CAST_ERRORS:
            LOG.exception('Could not cast %s', what)
            raise exceptions.MessagingUnavailable() from None

    @staticmethod
    def _visible(ctx, resource, *, allow_public=False):
        if ctx.is_admin or resource.project_id == ctx.project_id:
            return True
        return allow_public and bool(getattr(resource, 'is_public', False))

    # --- share types --------------------------------------------------------
    def share_type_create(self, ctx, *, name, extra_specs, is_public=True,
                          description=None):
        specs = {k: str(v) for k, v in (extra_specs or {}).items()}
        dhss = specs.get('driver_handles_share_servers')
        if dhss is None:
            raise exceptions.InvalidShareType(
                reason='Required extra specification '
                       'driver_handles_share_servers is missing')
        if str(dhss).strip().lower() not in ('true', 'false'):
            raise exceptions.InvalidShareType(
                reason='driver_handles_share_servers must be a boolean, '
                       'got %r' % dhss)
        rtype = specs.get('replication_type')
        if rtype is not None and rtype not in states.REPLICATION_TYPES:
            raise exceptions.InvalidShareType(
                reason='replication_type must be one of %s'
                       % ', '.join(sorted(states.REPLICATION_TYPES)))
        return db.share_type_create(
            ctx, {'name': name, 'description': description,
                  'is_public': bool(is_public)}, specs)

    def share_type_list(self, ctx, *, is_public=True):
        """``is_public`` True: the public types and the private ones
        shared with the caller's project; False: private ones; None:
        all. Only admins choose; others always get True."""
        if not ctx.is_admin:
            is_public = True
        return type_access.share_type_get_all(
            ctx, is_public=is_public, project_id=ctx.project_id)

    def share_type_get(self, ctx, id_or_name):
        """A private type is NotFound for a project it is not shared
        with (admins see all)."""
        stype = db.share_type_get_by_id_or_name(ctx, id_or_name)
        if not (stype.is_public or ctx.is_admin
                or type_access.is_shared_with(ctx, stype.id,
                                              ctx.project_id)):
            raise exceptions.ShareTypeNotFound(share_type_id=id_or_name)
        return stype

    def share_type_get_default(self, ctx):
        name = self.conf.default_share_type or 'default'
        try:
            return db.share_type_get_by_name(ctx, name)
        except exceptions.ShareTypeNotFound:
            raise exceptions.DefaultShareTypeNotConfigured() from None

    def share_type_update(self, ctx, type_id, *, name=None,
                          description=None, is_public=None):
        values = {}
        if name is not None:
            values['name'] = name
        if description is not None:
            # An empty description unsets it, as upstream.
            values['description'] = description or None
        if is_public is not None:
            values['is_public'] = bool(is_public)
        db.share_type_get(ctx, type_id)
        if not values:
            return db.share_type_get(ctx, type_id)
        return db.share_type_update(ctx, type_id, values)

    def share_type_delete(self, ctx, type_id):
        db.share_type_destroy(ctx, db.share_type_get_by_id_or_name(
            ctx, type_id).id)

    def share_type_extra_specs_set(self, ctx, type_id, specs):
        if 'driver_handles_share_servers' in specs and str(
                specs['driver_handles_share_servers']).lower() not in (
                    'true', 'false'):
            raise exceptions.InvalidShareType(
                reason='driver_handles_share_servers must be a boolean')
        return db.share_type_extra_specs_set(ctx, type_id, specs)

    def share_type_extra_spec_delete(self, ctx, type_id, key):
        if key == 'driver_handles_share_servers':
            raise exceptions.InvalidShareType(
                reason='driver_handles_share_servers cannot be deleted')
        db.share_type_extra_spec_delete(ctx, type_id, key)

    # --- shares -------------------------------------------------------------
    def _resolve_type(self, ctx, share_type):
        if share_type:
            return self.share_type_get(ctx, share_type)
        try:
            return self.share_type_get_default(ctx)
        except exceptions.DefaultShareTypeNotConfigured:
            raise exceptions.InvalidShareType(
                reason='no share type given and no default share type is '
                       'configured') from None

    def _check_zone(self, ctx, zone):
        if zone is None:
            return
        if zone not in {z['name'] for z in self.availability_zone_list(ctx)}:
            raise exceptions.AvailabilityZoneNotFound(id=zone)

    def share_create(self, ctx, *, size, share_proto, name=None,
                     description=None, share_type=None,
                     availability_zone=None, metadata=None, is_public=False,
                     snapshot_id=None, share_network_id=None,
                     scheduler_hints=None, type_zones_apply=True,
                     share_group_id=None):
        """Record a new share and ask the scheduler to place it.

        In a share group (``share_group_id``) it takes the group's zone
        and backend (``share/groups.py``).

        Created from a snapshot, the share takes the source's type and
        zone and goes straight to the snapshot's pool, unless
        ``use_scheduler_creating_share_from_snapshot`` (see
        ``share/from_snapshot.py``).
        """
        if share_network_id is not None:
            raise exceptions.InvalidInput(
                reason='share networks need driver_handles_share_servers, '
                       'which no manila_lite backend supports')
        use_scheduler = self.conf.use_scheduler_creating_share_from_snapshot
        source = None
        if snapshot_id is not None:
            source = from_snapshot.source_of(
                self, ctx, snapshot_id, size=size,
                availability_zone=availability_zone,
                use_scheduler=use_scheduler)
            share_type = share_type or source.share_type_id
        stype = self._resolve_type(ctx, share_type)
        if source is not None:
            from_snapshot.check_type(source, stype)
        specs = type_specs.extra_specs_dict(stype)
        size_limits.check(stype.name, specs, size)
        group_host = None
        if share_group_id is not None:
            availability_zone, group_host = groups.GroupAPI(
                self).member_placement(ctx, share_group_id, stype.id,
                                       availability_zone)
        type_zones.check_create(stype, specs, availability_zone)
        if utils.is_true(specs.get('driver_handles_share_servers', False)):
            raise exceptions.InvalidInput(
                reason='share type %s requires a share network' % stype.name)
        snapshot_host = None
        if source is not None:
            availability_zone = (availability_zone
                                 or source.availability_zone)
            if not use_scheduler:
                snapshot_host = source.host
        self._check_zone(ctx, availability_zone)
        affinity_hosts = scheduler_hints_mod.resolve(self, ctx,
                                                     scheduler_hints)
        with db.writer(ctx) as session:
            # Quota charged in the insert's transaction: both or neither.
            quota.charge_share(
                self.conf, ctx, session,
                (ctx.project_id, ctx.user_id, stype.id), size,
                replicated=bool(specs.get('replication_type')))
            if share_group_id is not None:
                group_db.share_group_claim_member(ctx, share_group_id)
            share = db.share_create(ctx, dict(
                project_id=ctx.project_id, user_id=ctx.user_id, name=name,
                description=description, size=size,
                share_proto=share_proto.upper(), share_type_id=stype.id,
                snapshot_id=snapshot_id, is_public=bool(is_public),
                share_group_id=share_group_id,
                **type_specs.share_attributes_from_type(stype)),
                dict(status=states.STATUS_CREATING, share_type_id=stype.id,
                     availability_zone=availability_zone,
                     host=snapshot_host or '',
                     replica_state=(states.REPLICA_STATE_ACTIVE
                                    if specs.get('replication_type')
                                    else None),
                     progress='0%'),
                metadata)
        scheduler_hints_mod.record(ctx.elevated(), share.id, scheduler_hints)
        instance = share.instances[0]
        try:
            if snapshot_host:
                self._cast('create_share_instance',
                           self.share_rpcapi.create_share_instance, ctx,
                           snapshot_host, instance.id)
            else:
                spec = dict(
                    share_id=share.id, size=size,
                    share_proto=share.share_proto,
                    share_type_id=stype.id,
                    # Below 2.48 the type's zones do not steer placement.
                    extra_specs=(specs if type_zones_apply else {
                        k: v for k, v in specs.items()
                        if k != type_zones.KEY}),
                    availability_zone=availability_zone,
                    project_id=ctx.project_id,
                    scheduler_hints=scheduler_hints or {},
                    affinity_hosts=affinity_hosts,
                    snapshot_id=snapshot_id,
                    snapshot_host=source.host if source else None,
                    share_group_host=group_host)
                self._cast('create_share_instance',
                           self.scheduler_rpcapi.create_share_instance, ctx,
                           instance.id, spec)
        except exceptions.MessagingUnavailable:
            db.share_instance_transition(ctx, instance.id,
                                         event='create_failed')
            raise
        return db.share_get(ctx, share.id)

    def share_get(self, ctx, share_id):
        share = db.share_get(ctx, share_id)
        # No instance left: the share is a moment from being deleted.
        if not share.instances or not self._visible(ctx, share,
                                                    allow_public=True):
            raise exceptions.ShareNotFound(share_id=share_id)
        return share

    def share_list(self, ctx, *, filters, limit=None, offset=None,
                   sort_key='created_at', sort_dir='desc'):
        filters = dict(filters or {})
        visible = None
        # ``is_public`` widens a project's view to public shares; it never
        # narrows (python-manilaclient sends it with all_tenants=1).
        include_public = bool(filters.pop('is_public', False))
        if not (ctx.is_admin and filters.pop('all_tenants', False)):
            filters.pop('all_tenants', None)
            visible = (ctx.project_id, include_public)
            filters.pop('project_id', None)
        filters.setdefault('is_soft_deleted', False)
        return db.share_get_all(ctx, filters=filters, limit=limit,
                                offset=offset, sort_key=sort_key,
                                sort_dir=sort_dir, visible_projects=visible)

    def _own_share(self, ctx, share_id, action=None):
        """The share, if the caller may change it. Another project's
        public share is visible, so changing it is a 403 naming the
        policy ``action`` (as upstream's check with the share as
        target); any other project's share is hidden (404)."""
        share = db.share_get(ctx, share_id)
        if not share.instances or not self._visible(ctx, share,
                                                    allow_public=True):
            raise exceptions.ShareNotFound(share_id=share_id)
        if not self._visible(ctx, share):
            if action is None:
                raise exceptions.NotAuthorized()
            raise exceptions.PolicyNotAuthorized(action=action)
        return share

    def share_update(self, ctx, share_id, **fields):
        recycle.refuse_if_soft_deleted(
            self._own_share(ctx, share_id, 'share:update'),
            message="Share '%s cannot be updated, since it has been soft "
                    "deleted.")
        values = {k: v for k, v in fields.items()
                  if k in ('name', 'description', 'is_public')}
        if 'is_public' in values:
            values['is_public'] = bool(values['is_public'])
        if not values:
            return db.share_get(ctx, share_id)
        return db.share_update(ctx, share_id, values)

    def share_delete(self, ctx, share_id):
        share = self._own_share(ctx, share_id, 'share:delete')
        lock_api.LockAPI.ensure_share_unlocked(ctx, share_id)
        if share.task_state in states.BUSY_TASK_STATES:
            raise exceptions.ShareDeleteRefused(
                reason='share is busy with %s' % share.task_state)
        if share.has_replicas:
            raise exceptions.Conflict(
                reason='share %s has replicas; delete them first'
                       % share_id)
        count = db.snapshot_count_by_share(ctx, share_id)
        if count:
            raise exceptions.ShareDeleteRefused(
                reason='share still has %d dependent snapshots' % count)
        with db.writer(ctx):
            for instance in share.instances:
                try:
                    db.share_instance_transition(
                        ctx, instance.id, states.STATUS_DELETING,
                        sources=DELETABLE_STATUSES)
                except exceptions.InvalidState:
                    # Name the status that refused, not the one read above.
                    now = db.share_instance_get(ctx, instance.id).status
                    raise exceptions.ShareDeleteRefused(
                        reason='share status must be one of %s, not %s'
                               % (', '.join(sorted(DELETABLE_STATUSES)),
                                  now)) from None
            # Again after the transitions, in their transaction: a lock
            # placed meanwhile is seen here (and the deletion undone), or
            # waits for these row locks and finds the share deleting.
            lock_api.LockAPI.ensure_share_unlocked(ctx, share_id)
        self._delete_instances(ctx, share, force=False)

    def _delete_instances(self, ctx, share, *, force):
        for instance in share.instances:
            if not instance.host:
                # Never scheduled: nothing on any backend to remove.
                db.share_instance_destroy(ctx, instance.id, share_too=True)
                continue
            self._cast('delete_share_instance',
                       self.share_rpcapi.delete_share_instance, ctx,
                       instance.host, instance.id, force=force)

    def share_force_delete(self, ctx, share_id):
        share = self._own_share(ctx, share_id)
        lock_api.LockAPI.ensure_share_unlocked(ctx, share_id)
        for instance in share.instances:
            db.share_instance_transition(ctx, instance.id,
                                         event='force_delete')
        self._delete_instances(ctx, share, force=True)

    def share_reset_status(self, ctx, share_id, status):
        if status not in states.RESET_STATUSES:
            raise exceptions.InvalidInput(
                reason='invalid status %r; valid: %s'
                       % (status, ', '.join(sorted(states.RESET_STATUSES))))
        share = self._own_share(ctx, share_id)
        recycle.refuse_if_soft_deleted(
            share, message="status cannot be reset for share '%s' since it "
                           "has been soft deleted.")
        db.share_instance_transition(ctx, share.instance.id, status,
                                     event='reset_status')

    def share_metadata_get(self, ctx, share_id):
        return self.share_get(ctx, share_id).metadata_dict

    def share_metadata_set(self, ctx, share_id, metadata, *, replace=False):
        self._own_share(ctx, share_id, 'share:update_share_metadata')
        return db.share_metadata_set(ctx, share_id, metadata,
                                     replace=replace)

    def share_metadata_delete(self, ctx, share_id, key):
        self._own_share(ctx, share_id, 'share:delete_share_metadata')
        db.share_metadata_delete(ctx, share_id, key)

    def _export_locations_share(self, ctx, share_id):
        """The share whose export locations are asked for. Upstream
        checks ``share:get`` on the share here, so another project's
        private share is a 403 (while its show is a 404)."""
        share = db.share_get(ctx, share_id)
        if not share.instances:
            raise exceptions.ShareNotFound(share_id=share_id)
        if not self._visible(ctx, share, allow_public=True):
            raise exceptions.PolicyNotAuthorized(action='share:get')
        return share

    @staticmethod
    def _export_locations_of(share, secondary_replicas):
        """The active instance's export locations; with
        ``secondary_replicas`` (below 2.47, as upstream) those of every
        replica too. Never a migration destination's."""
        if not secondary_replicas or not share.replication_type:
            return share.export_locations
        return [el for inst in share.instances
                if inst.replica_state is not None
                for el in inst.export_locations]

    def share_export_location_list(self, ctx, share_id, *,
                                   secondary_replicas=False):
        share = self._export_locations_share(ctx, share_id)
        locations = self._export_locations_of(share, secondary_replicas)
        if not ctx.is_admin:
            locations = [el for el in locations if not el.is_admin_only]
        return locations

    def share_export_location_get(self, ctx, share_id, export_location_id,
                                  *, secondary_replicas=False):
        share = self._export_locations_share(ctx, share_id)
        for el in self._export_locations_of(share, secondary_replicas):
            if el.uuid == export_location_id:
                if el.is_admin_only and not ctx.is_admin:
                    raise exceptions.NotAuthorized()
                return el
        raise exceptions.ExportLocationNotFound(uuid=export_location_id)

    # --- snapshots ----------------------------------------------------------
    def snapshot_create(self, ctx, share_id, *, name=None, description=None,
                        force=False, metadata=None):
        share = self._own_share(ctx, share_id, 'share:create_snapshot')
        recycle.refuse_if_soft_deleted(
            share, message="Snapshot cannot be created for share '%s' "
                           "since it has been soft deleted.")
        if not share.snapshot_support:
            raise exceptions.InvalidShare(
                reason='snapshot support is disabled for share %s'
                       % share_id)
        instance = share.instance
        allowed = {states.STATUS_AVAILABLE}
        if force:
            allowed |= {states.STATUS_ERROR}
        if instance is None or instance.status not in allowed:
            raise exceptions.InvalidShare(
                reason='share %s status must be available' % share_id)
        if share.task_state in states.BUSY_TASK_STATES:
            raise exceptions.ShareBusy(share_id=share_id,
                                       reason=share.task_state)
        with db.writer(ctx) as session:
            quota.charge_snapshot(
                self.conf, ctx, session,
                (ctx.project_id, ctx.user_id, share.share_type_id),
                share.size)
            snapshot = db.snapshot_create(
                ctx,
                dict(share_id=share_id, project_id=ctx.project_id,
                     user_id=ctx.user_id, name=name,
                     description=description, size=share.size,
                     share_size=share.size, share_proto=share.share_proto),
                dict(share_instance_id=instance.id,
                     status=states.STATUS_CREATING, progress='0%'),
                metadata)
        self._cast('create_snapshot', self.share_rpcapi.create_snapshot,
                   ctx, instance.host, snapshot.instance.id)
        return db.snapshot_get(ctx, snapshot.id)

    def snapshot_get(self, ctx, snapshot_id):
        snapshot = db.snapshot_get(ctx, snapshot_id)
        if not self._visible(ctx, snapshot):
            raise exceptions.ShareSnapshotNotFound(snapshot_id=snapshot_id)
        return snapshot

    def snapshot_list(self, ctx, *, filters, limit=None, offset=None):
        filters = dict(filters or {})
        visible = None
        if not (ctx.is_admin and filters.pop('all_tenants', False)):
            filters.pop('all_tenants', None)
            visible = ctx.project_id
        return db.snapshot_get_all(ctx, filters=filters, limit=limit,
                                   offset=offset, visible_project=visible)

    def snapshot_update(self, ctx, snapshot_id, **fields):
        self.snapshot_get(ctx, snapshot_id)
        values = {k: v for k, v in fields.items()
                  if k in ('name', 'description')}
        if not values:
            return db.snapshot_get(ctx, snapshot_id)
        return db.snapshot_update(ctx, snapshot_id, values)

    def snapshot_metadata_get(self, ctx, snapshot_id):
        return self.snapshot_get(ctx, snapshot_id).metadata_dict

    def snapshot_metadata_set(self, ctx, snapshot_id, metadata, *,
                              replace=False):
        """Merge ``metadata`` (or make it the whole, with ``replace``);
        returns the snapshot's metadata afterwards."""
        self.snapshot_get(ctx, snapshot_id)
        return db.snapshot_metadata_set(ctx, snapshot_id, metadata,
                                        replace=replace)

    def snapshot_metadata_delete(self, ctx, snapshot_id, key):
        self.snapshot_get(ctx, snapshot_id)
        db.snapshot_metadata_delete(ctx, snapshot_id, key)

    def snapshot_delete(self, ctx, snapshot_id):
        snapshot = self.snapshot_get(ctx, snapshot_id)
        for inst in snapshot.instances:
            db.snapshot_instance_transition(
                ctx, inst.id, states.STATUS_DELETING,
                sources={states.STATUS_AVAILABLE, states.STATUS_ERROR})
        for inst in snapshot.instances:
            host = db.share_instance_get(ctx, inst.share_instance_id).host
            self._cast('delete_snapshot', self.share_rpcapi.delete_snapshot,
                       ctx, host, inst.id)

    # --- access rules -------------------------------------------------------
    @staticmethod
    def _validate_access(access_type, access_to, access_level):
        if access_level not in states.ACCESS_LEVELS:
            raise exceptions.InvalidShareAccess(
                reason='access_level must be rw or ro')
        access_values.validate(access_type, access_to)

    @staticmethod
    def _check_instances_take_access(share, error_ok, message):
        """Upstream's rule: every instance (replicas and migration copies
        too) has a host and is in no transitional state; ``error`` is
        refused too unless ``error_ok`` (from 2.74).

        :raises: InvalidShare with upstream's ``message``
        """
        refused = _ACCESS_REFUSING_STATUSES
        if not error_ok:
            refused = refused | {states.STATUS_ERROR}
        if any(not i.host or i.status in refused for i in share.instances):
            raise exceptions.InvalidShare(message=message)

    def access_allow(self, ctx, share_id, *, access_type, access_to,
                     access_level=states.ACCESS_LEVEL_RW, metadata=None,
                     error_ok=False):
        """``error_ok``: an instance in ``error`` does not refuse the
        rule (upstream from 2.74)."""
        share = self._own_share(ctx, share_id, 'share:allow_access')
        recycle.refuse_if_soft_deleted(share, 'allow access for')
        self._validate_access(access_type, access_to, access_level)
        wanted = _access_target(access_type, access_to)
        for rule in db.access_get_all_by_share(ctx, share_id):
            if _access_target(rule.access_type, rule.access_to) == wanted:
                raise exceptions.ShareAccessExists(access_type=access_type,
                                                   access=access_to)
        self._check_instances_take_access(
            share, error_ok,
            'New access rules cannot be applied while the share or any of '
            'its replicas or migration copies lacks a valid host or is in '
            'an invalid state.')
        rule = db.access_create(ctx, dict(
            share_id=share_id, access_type=access_type,
            access_to=access_to, access_level=access_level,
            state=states.ACCESS_STATE_QUEUED_TO_APPLY), metadata)
        self._sync_access(ctx, share)
        return rule

    def _sync_access(self, ctx, share):
        for instance in share.instances:
            if not instance.host:
                continue
            db.access_rules_status_transition(ctx, instance.id, event='sync')
            self._cast('update_access', self.share_rpcapi.update_access,
                       ctx, instance.host, instance.id)

    def access_deny(self, ctx, share_id, access_id, *, error_ok=False):
        """``error_ok`` as for :meth:`access_allow`."""
        share = self._own_share(ctx, share_id, 'share:deny_access')
        recycle.refuse_if_soft_deleted(share, 'deny access for')
        rule = db.access_get(ctx, access_id)
        if rule.share_id != share_id:
            raise exceptions.AccessRuleNotFound(access_id=access_id)
        self._check_instances_take_access(
            share, error_ok,
            'Access rules cannot be denied while the share, any of its '
            'replicas or migration copies lacks a valid host or is in an '
            'invalid state.')
        db.access_transition(ctx, access_id, event='deny')
        self._sync_access(ctx, share)

    def access_list(self, ctx, share_id, *, metadata=None):
        """``metadata``: only the rules holding all these items."""
        self.share_get(ctx, share_id)
        return db.access_get_all_by_share(ctx, share_id, metadata=metadata)

    @staticmethod
    def _rule_if(ctx, access_id, share_check):
        """The rule, if ``share_check(ctx, share_id)`` passes for its
        share; a hidden share hides the rule too (404)."""
        rule = db.access_get(ctx, access_id)
        try:
            share_check(ctx, rule.share_id)
        except exceptions.ShareNotFound:
            raise exceptions.AccessRuleNotFound(access_id=access_id) from None
        return rule

    def access_get(self, ctx, access_id):
        return self._rule_if(ctx, access_id, self.share_get)

    def _own_access(self, ctx, access_id):
        """The rule, if the caller may change it (its share is theirs)."""
        return self._rule_if(ctx, access_id, self._own_share)

    def access_metadata_update(self, ctx, access_id, metadata):
        """Add or overwrite the given keys (the others stay); returns the
        given ones, as upstream does."""
        self._own_access(ctx, access_id)
        return db.access_metadata_update(ctx, access_id, metadata)

    def access_metadata_delete(self, ctx, access_id, key):
        self._own_access(ctx, access_id)
        db.access_metadata_delete(ctx, access_id, key)

    # --- availability zones and services ------------------------------------
    def availability_zone_list(self, ctx):
        zones = {}
        for svc in db.service_get_all(ctx, binary=states.BINARY_SHARE):
            name = svc.availability_zone
            if not name:
                continue
            zone = zones.setdefault(name, {
                'id': str(uuid.uuid5(_AZ_NAMESPACE, name)), 'name': name,
                'created_at': svc.created_at, 'updated_at': svc.updated_at})
            zone['created_at'] = min(zone['created_at'], svc.created_at)
            if svc.updated_at and (zone['updated_at'] is None
                                   or svc.updated_at > zone['updated_at']):
                zone['updated_at'] = svc.updated_at
        return sorted(zones.values(), key=lambda z: z['name'])

    def _service_item(self, svc):
        return dict(
            id=svc.id, binary=svc.binary, host=svc.host,
            zone=svc.availability_zone,
            status=(states.SERVICE_STATUS_DISABLED if svc.disabled
                    else states.SERVICE_STATUS_ENABLED),
            state=(states.SERVICE_STATE_UP if utils.service_is_up(
                svc, self.conf.service_down_time)
                else states.SERVICE_STATE_DOWN),
            updated_at=svc.updated_at, ensuring=svc.ensuring,
            disabled_reason=svc.disabled_reason)

    def service_set_disabled(self, ctx, host, binary, disabled,
                             reason=None):
        """Enable or disable scheduling to the service ``binary`` on
        ``host``; returns it as ``service_list`` shows it.

        A disabled share service keeps serving its shares; the scheduler
        only stops placing new ones (and migrations) on it.

        :raises: ServiceNotFound
        """
        svc = db.service_get_by_host_and_binary(ctx, host, binary)
        db.service_update(ctx, svc.id, {
            'disabled': disabled,
            'disabled_reason': reason if disabled else None})
        return self._service_item(db.service_get(ctx, svc.id))

    def service_list(self, ctx, *, filters):
        filters = filters or {}
        result = []
        for svc in db.service_get_all(ctx):
            item = self._service_item(svc)
            if all(str(item[k]) == str(v) if k != 'ensuring'
                   else item[k] == utils.is_true(v)
                   for k, v in filters.items()
                   if k in item and v is not None):
                result.append(item)
        return result

    def ensure_shares(self, ctx, host):
        """Make the share service ``host`` (``host@backend``) re-read its
        configuration and ensure all its shares.

        :raises: ServiceNotFound (no such share service), Conflict (the
            service is down, or an ensure already runs on it)
        """
        backend = rpc.server_of(host)
        services = db.service_get_all(ctx, host=backend,
                                      binary=states.BINARY_SHARE)
        if not services:
            raise exceptions.ServiceNotFound(service_id=host)
        service = services[0]
        if not utils.service_is_up(service, self.conf.service_down_time):
            raise exceptions.Conflict(
                reason='service %s is not up' % backend)
        if not db.service_set_ensuring(ctx, service.id, True):
            raise exceptions.Conflict(
                reason='shares of %s are already being ensured' % backend)
        try:
            self._cast('ensure_shares', self.share_rpcapi.ensure_shares,
                       ctx, backend)
        except exceptions.MessagingUnavailable:
            db.service_set_ensuring(ctx, service.id, False)
            raise

