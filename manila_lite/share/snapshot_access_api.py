"""Mountable snapshots, API side (2.32): a snapshot's access rules
(allow, deny, list) and its export locations (by snapshot, and by
snapshot instance for administrators).

As ``share/api.py``: checks state in the database, records the intent
(a rule ``queued_to_apply`` or moved ``queued_to_deny`` through
``states.SNAPSHOT_ACCESS_EVENTS``) and casts ``snapshot_update_access``
to the share service of every instance of the snapshot; no driver, no
policy (the controller checks it), no HTTP.
"""

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import snapshot_access as snap_db
from manila_lite.share import access_values
from manila_lite.share import snapshot_access
from manila_lite.share.api import access as share_access


class SnapshotAccessAPI:
    def __init__(self, share_api):
        self.share_api = share_api

    # --- snapshots and their shares ---------------------------------------
    def _mountable_snapshot(self, ctx, snapshot_id):
        """The snapshot, if visible and its share's type makes it
        mountable.

        :raises: ShareSnapshotNotFound (404); InvalidShareSnapshot
            (400, upstream's message) for a share without
            ``mount_snapshot_support``
        """
        snapshot = self.share_api.snapshot_get(ctx, snapshot_id)
        share = self.share_api.share_get(ctx, snapshot.share_id)
        if not snapshot_access.mountable(share):
            raise exceptions.Invalid(
                'Cannot control access to the snapshot %s since the parent '
                'share %s does not support mounting its snapshots.'
                % (snapshot.id, share.id))
        return snapshot

    @staticmethod
    def _check_instances(ctx, snapshot, message):
        """Every instance ``available`` on a share instance with a host
        (upstream's rule for both allow and deny)."""
        for inst in snapshot.instances:
            host = db.share_instance_get(ctx, inst.share_instance_id).host
            if inst.status != states.STATUS_AVAILABLE or not host:
                raise exceptions.InvalidShareSnapshotInstance(
                    reason=message % states.STATUS_AVAILABLE)

    def _cast_all(self, ctx, snapshot):
        for inst in snapshot.instances:
            host = db.share_instance_get(ctx, inst.share_instance_id).host
            self.share_api.cast(
                'snapshot_update_access',
                self.share_api.share_rpcapi.snapshot_update_access,
                ctx, host, inst.id)

    # --- access rules -------------------------------------------------------
    def allow_access(self, ctx, snapshot_id, *, access_type, access_to,
                     ipv6=True):
        """A new read-only rule of every instance of the snapshot.

        :raises: InvalidShareAccess (400) for a bad value,
            ShareSnapshotAccessExists (400) for a duplicate,
            InvalidShareSnapshotInstance (400) for a busy snapshot
        """
        access_values.validate(access_type, access_to, ipv6=ipv6)
        snapshot = self._mountable_snapshot(ctx, snapshot_id)
        # 1.2.3.4 and 1.2.3.4/32 are one rule, as for shares.
        wanted = share_access._access_target(access_type, access_to)
        for rule in snap_db.snapshot_access_get_all(ctx, snapshot.id):
            if share_access._access_target(
                    rule.access_type, rule.access_to) == wanted:
                raise exceptions.ShareSnapshotAccessExists(
                    access_type=access_type, access=access_to)
        self._check_instances(
            ctx, snapshot,
            'New access rules cannot be applied while the snapshot or any '
            'of its replicas or migration copies lacks a valid host or is '
            'not in %s state')
        rule = snap_db.snapshot_access_create(ctx, snapshot.id, access_type,
                                              access_to)
        self._cast_all(ctx, snapshot)
        return rule

    def deny_access(self, ctx, snapshot_id, access_id):
        """Queue the rule's removal from every instance.

        :raises: ShareSnapshotAccessNotFound (404), Invalid (400) for a
            rule of another snapshot, InvalidShareSnapshotInstance (400)
        """
        snapshot = self._mountable_snapshot(ctx, snapshot_id)
        rule = snap_db.snapshot_access_get(ctx, access_id)
        if rule.share_snapshot_id != snapshot.id:
            raise exceptions.Invalid(
                'Access rule provided is not associated with given '
                'snapshot.')
        self._check_instances(
            ctx, snapshot,
            'Access rules cannot be denied while the snapshot or any of '
            'its replicas or migration copies lacks a valid host or is '
            'not in %s state')
        snap_db.snapshot_access_transition(ctx, rule.id, event='deny')
        self._cast_all(ctx, snapshot)

    def access_list(self, ctx, snapshot_id):
        snapshot = self._mountable_snapshot(ctx, snapshot_id)
        return snap_db.snapshot_access_get_all(ctx, snapshot.id)

    # --- export locations ---------------------------------------------------
    def export_locations(self, ctx, snapshot_id):
        """Every export location of every instance of the snapshot."""
        snapshot = self.share_api.snapshot_get(ctx, snapshot_id)
        return snap_db.export_locations_of_instances(
            ctx, [i.id for i in snapshot.instances])

    def export_location_get(self, ctx, snapshot_id, export_location_id):
        """:raises: ExportLocationNotFound unless it is one of the
        snapshot's."""
        for location in self.export_locations(ctx, snapshot_id):
            if location.id == export_location_id:
                return location
        raise exceptions.ExportLocationNotFound(uuid=export_location_id)

    def instance_export_locations(self, ctx, snapshot_instance_id):
        inst = self.share_api.instances.snapshot_instance_get(
            ctx, snapshot_instance_id)
        return snap_db.export_locations_of_instances(ctx, [inst.id])

    def instance_export_location_get(self, ctx, snapshot_instance_id,
                                     export_location_id):
        for location in self.instance_export_locations(
                ctx, snapshot_instance_id):
            if location.id == export_location_id:
                return location
        raise exceptions.ExportLocationNotFound(uuid=export_location_id)
