"""Shares, API side: create, read, update, delete, metadata, export
locations. Creating uses ``resolve_type`` (``types``) and, from a
snapshot, ``snapshot_get`` (``snapshots``) of the composed ``API``."""

from manila_lite import quota
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.common import type_specs
from manila_lite.common import utils
from manila_lite.db import api as db
from manila_lite.db import share_groups as group_db
from manila_lite.share import from_snapshot
from manila_lite.share import lock_api
from manila_lite.share import recycle
from manila_lite.share import scheduler_hints as scheduler_hints_mod
from manila_lite.share import size_limits
from manila_lite.share import type_zones
from manila_lite.share.api import base

#: Statuses a share may be deleted from without ``force_delete``.
DELETABLE_STATUSES = frozenset({
    states.STATUS_AVAILABLE, states.STATUS_ERROR, states.STATUS_INACTIVE,
})


class SharesAPI(base.Base):
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
        stype = self.resolve_type(ctx, share_type)
        if source is not None:
            from_snapshot.check_type(source, stype)
        specs = type_specs.extra_specs_dict(stype)
        size_limits.check(stype.name, specs, size)
        group_host = None
        if share_group_id is not None:
            availability_zone, group_host = self.groups.member_placement(
                ctx, share_group_id, stype.id, availability_zone)
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
        self.check_zone(ctx, availability_zone)
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
                self.cast('create_share_instance',
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
                self.cast('create_share_instance',
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
        if not share.instances or not self.visible(ctx, share,
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

    def share_update(self, ctx, share_id, **fields):
        recycle.refuse_if_soft_deleted(
            self.own_share(ctx, share_id, 'share:update'),
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
        share = self.own_share(ctx, share_id, 'share:delete')
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
            self.cast('delete_share_instance',
                       self.share_rpcapi.delete_share_instance, ctx,
                       instance.host, instance.id, force=force)

    def share_force_delete(self, ctx, share_id):
        share = self.own_share(ctx, share_id)
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
        share = self.own_share(ctx, share_id)
        recycle.refuse_if_soft_deleted(
            share, message="status cannot be reset for share '%s' since it "
                           "has been soft deleted.")
        db.share_instance_transition(ctx, share.instance.id, status,
                                     event='reset_status')

    def share_metadata_get(self, ctx, share_id):
        return self.share_get(ctx, share_id).metadata_dict

    def share_metadata_set(self, ctx, share_id, metadata, *, replace=False):
        self.own_share(ctx, share_id, 'share:update_share_metadata')
        return db.share_metadata_set(ctx, share_id, metadata,
                                     replace=replace)

    def share_metadata_delete(self, ctx, share_id, key):
        self.own_share(ctx, share_id, 'share:delete_share_metadata')
        db.share_metadata_delete(ctx, share_id, key)

    def _export_locations_share(self, ctx, share_id):
        """The share whose export locations are asked for. Upstream
        checks ``share:get`` on the share here, so another project's
        private share is a 403 (while its show is a 404)."""
        share = db.share_get(ctx, share_id)
        if not share.instances:
            raise exceptions.ShareNotFound(share_id=share_id)
        if not self.visible(ctx, share, allow_public=True):
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
