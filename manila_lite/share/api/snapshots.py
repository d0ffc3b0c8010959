"""Share snapshots, API side."""

from manila_lite import quota
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.share import recycle
from manila_lite.share.api import base


class SnapshotsAPI(base.Base):
    def snapshot_create(self, ctx, share_id, *, name=None, description=None,
                        force=False, metadata=None):
        share = self.own_share(ctx, share_id, 'share:create_snapshot')
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
        self.cast('create_snapshot', self.share_rpcapi.create_snapshot,
                   ctx, instance.host, snapshot.instance.id)
        return db.snapshot_get(ctx, snapshot.id)

    def snapshot_get(self, ctx, snapshot_id):
        snapshot = db.snapshot_get(ctx, snapshot_id)
        if not self.visible(ctx, snapshot):
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
            self.cast('delete_snapshot', self.share_rpcapi.delete_snapshot,
                       ctx, host, inst.id)
