"""The share group API: what the /share-groups controllers call.

As ``share/api.py``: checks state with conditional database updates,
records the intent and casts to the scheduler, which places a group on
one backend (``scheduler/manager.py`` ``create_share_group``); shares
created in the group then go to that backend, in the group's zone
(``member_placement``). Nothing is created on a backend for a group, so
deleting one needs no share service. No policy checks and no HTTP here;
another project's groups are ``NotFound`` for non-admins. Group
snapshots are not served.
"""

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.common import type_specs
from manila_lite.common import utils
from manila_lite.db import api as db
from manila_lite.db import share_group_types as sgt_db
from manila_lite.db import share_groups as group_db
from manila_lite.share import type_zones

LOG = logging.getLogger(__name__)

#: Statuses a group may be deleted from (without force), as upstream.
DELETABLE_STATUSES = frozenset({states.STATUS_AVAILABLE,
                                states.STATUS_ERROR})


class GroupAPI:
    def __init__(self, share_api):
        self.share_api = share_api
        self.conf = share_api.conf

    # --- reading ------------------------------------------------------------
    def get(self, ctx, share_group_id):
        group = group_db.share_group_get(ctx, share_group_id)
        if not (ctx.is_admin or group.project_id == ctx.project_id):
            raise exceptions.ShareGroupNotFound(
                share_group_id=share_group_id)
        return group

    def get_all(self, ctx, *, filters, limit=None, offset=None,
                sort_key='created_at', sort_dir='desc', all_tenants=False):
        project = None if (ctx.is_admin and all_tenants) else ctx.project_id
        return group_db.share_group_get_all(
            ctx, filters=filters, project_id=project, limit=limit,
            offset=offset, sort_key=sort_key, sort_dir=sort_dir)

    # --- create -------------------------------------------------------------
    def _group_type(self, ctx, share_group_type_id):
        if share_group_type_id is None:
            name = self.conf.default_share_group_type
            row = sgt_db.get_by_name(ctx, name) if name else None
            if row is None:
                raise exceptions.InvalidInput(reason=(
                    'Must specify a share group type as a default share '
                    'group type has not been defined.'))
            return row
        try:
            return sgt_db.get(ctx, share_group_type_id)
        except exceptions.ShareGroupTypeNotFound:
            raise exceptions.NotFound(
                'Share group type %s not found.'
                % share_group_type_id) from None

    @staticmethod
    def _share_types(ctx, names, group_type):
        supported = [m.share_type_id for m in group_type.share_types]
        if not names:
            return [db.share_type_get(ctx, t) for t in supported]
        types = []
        for name in names:
            try:
                stype = db.share_type_get_by_id_or_name(ctx, name)
            except exceptions.NotFound:
                raise exceptions.InvalidInput(
                    reason='Share type with id %s could not be found.'
                           % name) from None
            if stype.id not in {t.id for t in types}:
                types.append(stype)
        if not {t.id for t in types} <= set(supported):
            raise exceptions.InvalidInput(reason=(
                'The specified share types must be a subset of the share '
                'types supported by the share group type.'))
        return types

    @staticmethod
    def _check_types(types, availability_zone, share_network_id):
        """Upstream's checks of a group's share types: one
        driver_handles_share_servers value, False here (no backend
        serves share networks), and the zone asked for offered by
        each."""
        for stype in types:
            specs = type_specs.extra_specs_dict(stype)
            if utils.is_true(specs.get('driver_handles_share_servers',
                                       False)):
                raise exceptions.InvalidInput(reason=(
                    'When using a share type with the '
                    'driver_handles_share_servers extra spec as True, a '
                    'share_network_id must be provided; no back end of '
                    'this deployment serves share networks.'))
            if share_network_id:
                raise exceptions.InvalidInput(reason=(
                    'When using a share types with the '
                    'driver_handles_share_servers extra spec as False, a '
                    'share_network_id must not be provided.'))
            type_zones.check_create(stype, specs, availability_zone)

    def create(self, ctx, *, name=None, description=None, share_types=None,
               share_group_type_id=None, availability_zone=None,
               share_network_id=None):
        """Record a group (``creating``) and ask the scheduler to place
        it; returns the row.

        :raises: NotFound (group type, zone), InvalidInput (types, zone
            a type does not offer, share network),
            MessagingUnavailable (the group is then ``error``)
        """
        group_type = self._group_type(ctx, share_group_type_id)
        types = self._share_types(ctx, share_types, group_type)
        self.share_api.check_zone(ctx, availability_zone)
        self._check_types(types, availability_zone, share_network_id)
        group = group_db.share_group_create(ctx, dict(
            project_id=ctx.project_id, user_id=ctx.user_id, name=name,
            description=description, status=states.STATUS_CREATING,
            host='', availability_zone=availability_zone,
            share_group_type_id=group_type.id),
            [t.id for t in types])
        spec = dict(
            share_group_id=group.id, availability_zone=availability_zone,
            project_id=ctx.project_id,
            share_types=[dict(share_type_id=t.id,
                              extra_specs=type_specs.extra_specs_dict(t))
                         for t in types])
        try:
            self.share_api.cast(
                'create_share_group',
                self.share_api.scheduler_rpcapi.create_share_group, ctx,
                group.id, spec)
        except exceptions.MessagingUnavailable:
            group_db.share_group_transition(ctx, group.id,
                                            event='create_failed')
            raise
        return group_db.share_group_get(ctx, group.id)

    # --- change -------------------------------------------------------------
    def update(self, ctx, share_group_id, fields):
        self.get(ctx, share_group_id)
        values = {k: v for k, v in fields.items()
                  if k in ('name', 'description')}
        return group_db.share_group_update(ctx, share_group_id, values)

    def delete(self, ctx, share_group_id):
        """Refused (InvalidShareGroup, 409) while the group holds shares
        or is not available or error."""
        group = self.get(ctx, share_group_id)
        if group_db.share_group_count_shares(ctx, share_group_id):
            raise exceptions.InvalidShareGroup(
                reason='Cannot delete a share group with shares')
        try:
            group_db.share_group_transition(ctx, share_group_id,
                                            event='delete')
        except exceptions.InvalidShareGroup:
            raise exceptions.InvalidShareGroup(reason=(
                'Share group status must be one of %s, not %s'
                % (', '.join(sorted(DELETABLE_STATUSES)),
                   group_db.share_group_get(ctx, group.id).status))
            ) from None
        group_db.share_group_destroy(ctx, share_group_id)

    def force_delete(self, ctx, share_group_id):
        """Whatever its status; still refused while it holds shares."""
        self.get(ctx, share_group_id)
        if group_db.share_group_count_shares(ctx, share_group_id):
            raise exceptions.InvalidShareGroup(
                reason='Cannot delete a share group with shares')
        group_db.share_group_transition(ctx, share_group_id,
                                        event='force_delete')
        group_db.share_group_destroy(ctx, share_group_id)

    def reset_status(self, ctx, share_group_id, status):
        if status not in states.SHARE_GROUP_RESET_STATUSES:
            raise exceptions.InvalidInput(
                reason='Invalid status %r; valid: %s' % (
                    status,
                    ', '.join(sorted(states.SHARE_GROUP_RESET_STATUSES))))
        self.get(ctx, share_group_id)
        group_db.share_group_transition(ctx, share_group_id, status,
                                        event='reset_status')

    # --- shares created in a group ------------------------------------------
    def member_placement(self, ctx, share_group_id, share_type_id,
                         availability_zone):
        """``(zone, backend host)`` a new share of ``share_type_id`` in
        the group must take.

        :raises: ShareGroupNotFound; InvalidInput (a type the group
            does not allow, another zone); InvalidShareGroup (the group
            is not available)
        """
        group = self.get(ctx, share_group_id)
        if group.status != states.STATUS_AVAILABLE:
            raise exceptions.InvalidShareGroup(
                reason='Share group status must be %s, not %s'
                       % (states.STATUS_AVAILABLE, group.status))
        if share_type_id not in {m.share_type_id for m in group.share_types}:
            raise exceptions.InvalidInput(reason=(
                'The specified share type (%s) is not supported by the '
                'specified share group (%s).'
                % (share_type_id, share_group_id)))
        if availability_zone and availability_zone != (
                group.availability_zone):
            raise exceptions.InvalidInput(reason=(
                'Share cannot have AZ (%s) different than share group '
                'it is added to (%s).'
                % (availability_zone, group.availability_zone)))
        return group.availability_zone, group.host
