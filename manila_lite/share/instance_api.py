"""The admin instance API: share instances and snapshot instances, what
the /share_instances, /snapshot-instances and snapshot action
controllers call.

As ``share/api/``: reads and writes the database, casts deletions to
the owning share service, never calls a driver and never checks policy
(every caller is admin-only by policy, as upstream).
"""

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import instances as instances_db


def check_reset_status(status):
    """:raises: InvalidInput unless an admin may set ``status``."""
    if status not in states.RESET_STATUSES:
        raise exceptions.InvalidInput(
            reason='invalid status %r; valid: %s'
                   % (status, ', '.join(sorted(states.RESET_STATUSES))))


class InstanceAPI:
    def __init__(self, share_api):
        self.share_api = share_api

    # --- share instances ----------------------------------------------------
    def get(self, ctx, instance_id):
        return db.share_instance_get(ctx, instance_id)

    def get_all(self, ctx, *, export_location_id=None,
                export_location_path=None):
        return instances_db.share_instance_get_all(
            ctx, export_location_id=export_location_id,
            export_location_path=export_location_path)

    def get_all_by_share(self, ctx, share_id):
        return self.share_api.share_get(ctx, share_id).instances

    def export_location(self, ctx, instance_id, export_location_id):
        for el in self.get(ctx, instance_id).export_locations:
            if el.uuid == export_location_id:
                return el
        raise exceptions.ExportLocationNotFound(uuid=export_location_id)

    def reset_status(self, ctx, instance_id, status):
        check_reset_status(status)
        db.share_instance_transition(ctx, instance_id, status,
                                     event='reset_status')

    def force_delete(self, ctx, instance_id):
        """Delete the instance whatever its status: the share service
        removes it (and its snapshot instances) even if the driver
        fails; the share goes with its last instance."""
        instance = self.get(ctx, instance_id)
        db.share_instance_transition(ctx, instance.id, event='force_delete')
        if not instance.host:
            # Never scheduled: nothing on any backend to remove.
            db.share_instance_destroy(ctx, instance.id, share_too=True)
            return
        self.share_api.cast(
            'delete_share_instance',
            self.share_api.share_rpcapi.delete_share_instance, ctx,
            instance.host, instance.id, force=True)

    # --- snapshot instances -------------------------------------------------
    def snapshot_instance_get(self, ctx, snapshot_instance_id):
        try:
            return db.snapshot_instance_get(ctx, snapshot_instance_id)
        except exceptions.ShareSnapshotNotFound:
            raise exceptions.ShareSnapshotInstanceNotFound(
                instance_id=snapshot_instance_id) from None

    def snapshot_instance_get_all(self, ctx, *, snapshot_id=None):
        if snapshot_id is not None:
            # Upstream looks the snapshot up: unknown -> 404.
            self.share_api.snapshot_get(ctx, snapshot_id)
        return instances_db.snapshot_instance_get_all(
            ctx, snapshot_id=snapshot_id)

    def snapshot_instance_reset_status(self, ctx, snapshot_instance_id,
                                       status):
        check_reset_status(status)
        self.snapshot_instance_get(ctx, snapshot_instance_id)
        db.snapshot_instance_transition(ctx, snapshot_instance_id, status,
                                        event='reset_status')

    # --- snapshot admin actions ---------------------------------------------
    def snapshot_reset_status(self, ctx, snapshot_id, status):
        """Set the status the snapshot shows (its first instance's)."""
        check_reset_status(status)
        snapshot = self.share_api.snapshot_get(ctx, snapshot_id)
        db.snapshot_instance_transition(ctx, snapshot.instance.id, status,
                                        event='reset_status')

    def snapshot_force_delete(self, ctx, snapshot_id):
        """Delete every instance of the snapshot whatever its status;
        share services drop them even if the driver fails."""
        snapshot = self.share_api.snapshot_get(ctx, snapshot_id)
        for inst in snapshot.instances:
            db.snapshot_instance_transition(ctx, inst.id,
                                            event='force_delete')
        for inst in snapshot.instances:
            host = db.share_instance_get(ctx, inst.share_instance_id).host
            if not host:
                db.snapshot_instance_destroy(ctx, inst.id)
                continue
            self.share_api.cast(
                'delete_snapshot', self.share_api.share_rpcapi.delete_snapshot,
                ctx, host, inst.id, force=True)
