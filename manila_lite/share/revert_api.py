"""Revert to snapshot (2.27), API side.

Upstream's checks in upstream's order and with its codes: the share
(404) and the snapshot (400 when missing), the recycle bin (403), the
type's ``revert_to_snapshot_support`` (400), a snapshot of another
share (400), share or snapshot not ``available`` (409), a running task
(409), a snapshot other than the latest (409; none at all: 400), access
rules not ``active`` (409), and for a replicated share no available
active replica (400). Then the instance the share shows (its active
replica) goes to ``reverting`` and the snapshot's instance on it to
``restoring`` in one transaction (``db/revert.py``), and the share
service holding that instance is asked to revert it
(``share/revert.py``).
"""

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.common import type_specs
from manila_lite.common import utils
from manila_lite.db import revert as revert_db

LOG = logging.getLogger(__name__)


def supports_revert(share):
    """The share's type says ``revert_to_snapshot_support`` true."""
    if share.share_type is None:
        return False
    specs = type_specs.extra_specs_dict(share.share_type)
    return utils.is_true(specs.get('revert_to_snapshot_support', False))


class RevertAPI:
    def __init__(self, share_api):
        self.share_api = share_api
        self.conf = share_api.conf

    def _snapshot(self, ctx, snapshot_id):
        try:
            return self.share_api.snapshot_get(ctx, snapshot_id)
        except exceptions.ShareSnapshotNotFound:
            # Upstream answers a missing snapshot with 400 here.
            raise exceptions.InvalidInput(
                message='Snapshot %s could not be found.' % snapshot_id
            ) from None

    def revert(self, ctx, share_id, snapshot_id):
        """Revert the share to ``snapshot_id``, its latest snapshot.

        :raises: ShareNotFound, PolicyNotAuthorized, InvalidInput,
            NotAuthorized (recycle bin), Conflict, ReplicationException,
            MessagingUnavailable
        """
        share = self.share_api.own_share(ctx, share_id,
                                          'share:revert_to_snapshot')
        snapshot = self._snapshot(ctx, snapshot_id)
        if share.is_soft_deleted:
            raise exceptions.NotAuthorized(message=(
                "Share '%s cannot revert to snapshot, since it has been "
                "soft deleted." % share_id))
        args = {'share_id': share_id, 'snap_id': snapshot_id}
        if not supports_revert(share):
            raise exceptions.InvalidInput(message=(
                'Share %(share_id)s may not be reverted to snapshot '
                '%(snap_id)s, because the share does not have that '
                'capability.' % args))
        if snapshot.share_id != share_id:
            raise exceptions.InvalidInput(message=(
                'Snapshot %(snap_id)s is not associated with share '
                '%(share_id)s.' % args))
        if share.status != states.STATUS_AVAILABLE:
            raise exceptions.Conflict(message=(
                "Share %s is in '%s' state, but it must be in 'available' "
                "state to be reverted to a snapshot."
                % (share_id, share.status)))
        if snapshot.status != states.STATUS_AVAILABLE:
            raise exceptions.Conflict(message=(
                "Snapshot %s is in '%s' state, but it must be in "
                "'available' state to be restored."
                % (snapshot_id, snapshot.status)))
        if states.is_busy(share.task_state):
            raise exceptions.Conflict(message=(
                'Share %s may not be reverted while it has an active task.'
                % share_id))
        latest = revert_db.latest_snapshot(ctx, share_id)
        if latest is None:
            raise exceptions.InvalidInput(message=(
                'Could not determine the latest snapshot for share %s.'
                % share_id))
        if latest.id != snapshot_id:
            raise exceptions.Conflict(message=(
                'Snapshot %s may not be restored because it is not the '
                'most recent snapshot of share %s. Currently the latest '
                'snapshot is %s.' % (snapshot_id, share_id, latest.id)))
        if any(i.access_rules_status != states.ACCESS_RULES_STATUS_ACTIVE
               for i in share.instances):
            raise exceptions.Conflict(message=(
                'Snapshot %(snap_id)s belongs to a share %(share_id)s which '
                'has access rules that are not active.' % args))
        instance, snap_instance = self._target(share, snapshot)
        self._start(ctx, share, instance, snap_instance)
        LOG.info('Reverting share %s to snapshot %s', share_id, snapshot_id)

    @staticmethod
    def _target(share, snapshot):
        """The instance to revert (the active replica of a replicated
        share) and the snapshot's instance on it."""
        instance = share.instance
        if share.has_replicas:
            if share.replication_type == states.REPLICATION_TYPE_WRITABLE:
                # Every writable replica is active and merges with the
                # others by modification time: a revert of one would be
                # undone by the next merge.
                raise exceptions.ReplicationException(
                    reason='share %s has writable replicas, which '
                           'manila_lite cannot revert together; delete '
                           'them first' % share.id)
            actives = [i for i in share.instances
                       if i.replica_state == states.REPLICA_STATE_ACTIVE
                       and i.status == states.STATUS_AVAILABLE]
            if not actives:
                raise exceptions.ReplicationException(
                    reason='Share %s has no active replica in available '
                           'state.' % share.id)
            instance = actives[0]
        found = [si for si in snapshot.instances
                 if si.share_instance_id == instance.id]
        if not found:
            raise exceptions.ReplicationException(
                reason='Share %s has no snapshot %s associated with its '
                       'active replica.' % (share.id, snapshot.id))
        return instance, found[0]

    def _start(self, ctx, share, instance, snap_instance):
        try:
            revert_db.start(ctx, share.id, instance.id, snap_instance.id)
        except exceptions.InvalidShare:
            raise exceptions.Conflict(message=(
                'Share %s may not be reverted while it has an active task.'
                % share.id)) from None
        except exceptions.InvalidState as exc:
            raise exceptions.Conflict(message=(
                'Share %s or its snapshot changed state meanwhile: %s'
                % (share.id, exc))) from None
        try:
            self.share_api.cast(
                'revert_to_snapshot',
                self.share_api.share_rpcapi.revert_to_snapshot, ctx,
                instance.host, instance.id, snap_instance.id)
        except exceptions.MessagingUnavailable:
            revert_db.undo_start(ctx, instance.id, snap_instance.id)
            raise
