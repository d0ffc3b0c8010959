"""Revert to snapshot, in the share service holding the instance.

The API moved the instance to ``reverting`` and the snapshot's instance
on it to ``restoring`` (``share/revert_api.py``) and cast here. The
flow asks the driver to make the instance's content the snapshot's,
then ends both rows ``available`` with the share's size the snapshot's
(one transaction), or the instance in ``reverting_error`` and the
snapshot ``available`` with a user message (as upstream). Other
replicas of a replicated share are marked ``out_of_sync``: the
periodic sync brings them to the reverted content.

Recovery: a revert is safe to run again (the driver mirrors the
snapshot over whatever the share holds, and the snapshot cannot go
while it is ``restoring``), so an instance left ``reverting`` (its
service died mid-revert, or the message was lost) is reverted again:
at start-up every one, periodically those unchanged for
``transition_redrive_after`` seconds and not being reverted here
(``share/recovery.py``).
"""

from oslo_log import log as logging

from manila_lite.common import coordination
from manila_lite.common import exceptions
from manila_lite.common import messages
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import messages as msg_db
from manila_lite.db import revert as revert_db

LOG = logging.getLogger(__name__)


class RevertFlows:
    def __init__(self, manager):
        self.manager = manager

    def revert(self, ctx, instance_id, snapshot_instance_id):
        try:
            instance = db.share_instance_get(ctx, instance_id)
            snap = db.snapshot_instance_get(ctx, snapshot_instance_id)
        except exceptions.NotFound:
            LOG.info('Not reverting %s: it or snapshot %s is gone',
                     instance_id, snapshot_instance_id)
            return
        if (instance.status != states.STATUS_REVERTING
                or snap.status != states.STATUS_RESTORING):
            LOG.info('Not reverting %s: status is %s, snapshot %s',
                     instance_id, instance.status, snap.status)
            return
        try:
            # The share's lock, as resize and the replica flows take it:
            # no sync of this share runs beside its revert.
            with coordination.lock(self.manager.conf,
                                   'share-' + instance.share_id):
                self.manager.driver.revert_to_snapshot(ctx, instance, snap)
        except Exception:
            LOG.exception('Reverting share instance %s to snapshot %s '
                          'failed', instance_id, snap.snapshot_id)
            self._fail(ctx, instance, snap)
            return
        try:
            revert_db.finish(ctx, instance.share_id, instance_id, snap.id,
                             snap.snapshot.size)
        except exceptions.InvalidState:
            LOG.warning('Share instance %s left reverting during its '
                        'revert; not recording it', instance_id)
            return
        self._resync_replicas(ctx, instance)
        self.manager.invalidate_stats()
        self.manager.notifier.info(ctx, 'share.revert.end', {
            'share_id': instance.share_id, 'share_instance_id': instance_id,
            'snapshot_id': snap.snapshot_id})
        LOG.info('Share %s reverted to snapshot %s', instance.share_id,
                 snap.snapshot_id)

    def _fail(self, ctx, instance, snap):
        try:
            revert_db.fail(ctx, instance.id, snap.id)
        except exceptions.InvalidState:
            LOG.warning('Could not mark %s %s', instance.id,
                        states.STATUS_REVERTING_ERROR)
        msg_db.record(self.manager.conf, ctx,
                      messages.Action.REVERT_TO_SNAPSHOT,
                      messages.Resource.SHARE, instance.share_id,
                      project_id=instance.share.project_id)
        self.manager.notifier.error(ctx, 'share.revert.error', {
            'share_id': instance.share_id, 'share_instance_id': instance.id,
            'snapshot_id': snap.snapshot_id})

    @staticmethod
    def _resync_replicas(ctx, instance):
        """The other replicas now differ from the active one."""
        share = db.share_get(ctx, instance.share_id)
        for other in share.instances:
            if other.id == instance.id or other.replica_state not in (
                    states.REPLICA_STATE_IN_SYNC,):
                continue
            try:
                db.replica_state_transition(ctx, other.id,
                                            event='resync_forced')
            except exceptions.InvalidState:
                continue

    def redrive(self, ctx, instance):
        """Revert ``instance`` (left ``reverting``) again."""
        snap = revert_db.restoring_snapshot_instance(ctx, instance.id)
        if snap is None:
            # Nothing says which snapshot: the content is unknown.
            LOG.warning('Share instance %s is reverting to no restoring '
                        'snapshot; marking it %s', instance.id,
                        states.STATUS_REVERTING_ERROR)
            try:
                db.share_instance_transition(ctx, instance.id,
                                             event='revert_failed')
            except exceptions.InvalidState:
                pass
            return
        LOG.info('Reverting %s to snapshot %s again: its revert was '
                 'interrupted', instance.id, snap.snapshot_id)
        self.manager.revert_to_snapshot(ctx, instance.id, snap.id)
