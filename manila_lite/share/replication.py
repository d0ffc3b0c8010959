"""Share replica flows of the share manager: create, sync, promote,
delete.

A replica is a share instance with a ``replica_state``. The share
manager of the replica's backend runs every step here; the driver moves
the data, this module moves the states (through ``db.api``'s conditional
transitions) and records what the driver reports, as upstream's share
manager does:

* create: driver ``create_replica`` from the active replica -> the
  replica ``available`` with the driver's ``replica_state``, its
  snapshot instances copied, access rules applied (read-only when
  ``cast_rules_to_readonly``).
* sync (periodic, every ``replica_state_update_interval`` seconds, and
  the ``resync`` action): driver ``update_replica_state`` ->
  ``in_sync`` / ``out_of_sync`` / ``error``; ``last_sync_at`` records the
  last time the replica was known equal to the active one. Snapshots
  taken on the active replica since follow.
* promote: driver ``promote_replica``; the promoted replica becomes
  ``active`` (rules read-write), every old active one ``out_of_sync``
  (rules read-only only for ``readable``); a driver failure leaves every
  replica of the share ``error``, as upstream.
* delete: driver ``delete_replica``; the row, its snapshot instances and
  export locations go. ``force`` ignores driver errors.

The flows of one share never interleave in a manager: each holds the
share's lock (as upstream's ``locked_share_replica_operation``). The API
checks a request against the states it sees, and an admin's
``reset_status`` can let a delete through while a promote of the same
replica is still running; the lock puts them one after the other, and
each flow re-checks what the other left: a delete does not remove the
share's only active replica, and a promote whose replica went into
deletion meanwhile leaves the old active replicas active.
"""


from oslo_log import log as logging
from oslo_utils import timeutils

from manila_lite.common import coordination
from manila_lite.common import exceptions
from manila_lite.common import messages
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import messages as msg_db

LOG = logging.getLogger(__name__)

#: Replica statuses the periodic sync leaves alone (upstream skips
#: transitional ones and error_deleting).
_NO_SYNC = states.TRANSITIONAL_STATUSES | {
    states.STATUS_ERROR_DELETING, states.STATUS_REPLICATION_CHANGE}


#: Statuses a promoted replica may hold when its promote ends: the
#: ``replication_change`` the API set, or whatever an admin's
#: ``reset_status`` set meanwhile; not ``deleting`` (nor gone).
_PROMOTE_ENDS_FROM = {states.STATUS_REPLICATION_CHANGE,
                      states.STATUS_AVAILABLE, states.STATUS_ERROR}


def _set_failed(ctx, replica_id):
    """A replica flow failed: status and replica_state ``error``,
    together."""
    with db.writer(ctx):
        db.share_instance_transition(ctx, replica_id, event='replica_failed')
        db.replica_state_transition(ctx, replica_id, event='replica_failed')


def _payload(replica, **extra):
    return dict({'share_id': replica.share_id,
                 'share_replica_id': replica.id, 'host': replica.host,
                 'replica_state': replica.replica_state}, **extra)


class ReplicationFlows:
    def __init__(self, manager):
        self.manager = manager
        self.driver = manager.driver
        self.notifier = manager.notifier

    def _share_lock(self, share_id):
        """The share's lock, held across share services (tooz)."""
        return coordination.lock(self.manager.conf, 'share-' + share_id)

    def _locked(self, flow, ctx, replica_id, **kwargs):
        """Run ``flow`` under the lock of the replica's share."""
        try:
            share_id = db.replica_get(ctx, replica_id).share_id
        except exceptions.ShareReplicaNotFound:
            LOG.info('Replica %s is gone', replica_id)
            return None
        with self._share_lock(share_id):
            return flow(ctx, replica_id, **kwargs)

    # --- the flows, each under its share's lock ------------------------------
    def create(self, ctx, replica_id):
        return self._locked(self._create, ctx, replica_id)

    def sync(self, ctx, replica_id, *, force=False):
        """Sync one replica; ``force`` (resync) copies even when the
        replica was last seen in sync."""
        return self._locked(self._sync, ctx, replica_id, force=force)

    def promote(self, ctx, replica_id):
        return self._locked(self._promote, ctx, replica_id)

    def delete(self, ctx, replica_id, *, force=False):
        return self._locked(self._delete, ctx, replica_id, force=force)

    # --- helpers -------------------------------------------------------------
    @staticmethod
    def active_replica(ctx, share_id, *, exclude=None):
        """The share's active replica that is ``available``, or None."""
        for replica in db.replica_get_all(ctx, share_id=share_id):
            if (replica.id != exclude
                    and replica.replica_state == states.REPLICA_STATE_ACTIVE
                    and replica.status == states.STATUS_AVAILABLE):
                return replica
        return None

    def _fail(self, ctx, replica, event, reason, *,
              detail=messages.Detail.UNKNOWN_ERROR):
        LOG.error('Replica %s: %s', replica.id, reason)
        _set_failed(ctx, replica.id)
        self._tell_owner(ctx, replica, messages.Action.CREATE, detail)
        self.notifier.error(ctx, event, _payload(replica, reason=reason))

    def _tell_owner(self, ctx, replica, action,
                    detail=messages.Detail.UNKNOWN_ERROR):
        """A user message on the replica, as upstream's share manager
        records for a replica create, update (sync), promote or delete
        that failed."""
        share = db.share_get(ctx, replica.share_id)
        msg_db.record(self.manager.conf, ctx, action,
                      messages.Resource.SHARE_REPLICA, replica.id,
                      detail=detail, project_id=share.project_id)

    def _copy_snapshots(self, ctx, active, replica):
        """Give ``replica`` a copy of each available snapshot of the
        active replica (missing instances are added first)."""
        mine = {s.snapshot_id: s for s in
                db.snapshot_instance_get_all_by_share_instance(
                    ctx, replica.id)}
        for theirs in db.snapshot_instance_get_all_by_share_instance(
                ctx, active.id):
            if theirs.status != states.STATUS_AVAILABLE:
                continue
            snap = mine.get(theirs.snapshot_id)
            if snap is None:
                snap = db.snapshot_instance_add(
                    ctx, theirs.snapshot_id, replica.id)
            elif snap.status != states.STATUS_CREATING:
                continue
            try:
                values = self.driver.create_replicated_snapshot(
                    ctx, active, replica, theirs, snap) or {}
                db.snapshot_instance_transition(
                    ctx, snap.id, states.STATUS_AVAILABLE,
                    sources={states.STATUS_CREATING},
                    values={'progress': '100%', 'provider_location':
                            values.get('provider_location')})
            except exceptions.InvalidState:
                LOG.info('Snapshot instance %s left creating meanwhile',
                         snap.id)
            except Exception:
                LOG.exception('Copying snapshot %s to replica %s failed',
                              theirs.snapshot_id, replica.id)
                db.snapshot_instance_transition(ctx, snap.id,
                                                event='create_failed')

    # --- create ------------------------------------------------------------
    def _create(self, ctx, replica_id):
        try:
            replica = db.replica_get(ctx, replica_id)
        except exceptions.ShareReplicaNotFound:
            LOG.info('Replica %s vanished before creation', replica_id)
            return
        if replica.status != states.STATUS_CREATING:
            LOG.info('Not creating replica %s: status is %s', replica.id,
                     replica.status)
            return
        active = self.active_replica(ctx, replica.share_id,
                                     exclude=replica.id)
        if active is None:
            self._fail(ctx, replica, 'share_replica.create.error',
                       'the share has no active replica that is available',
                       detail=messages.Detail.NO_ACTIVE_REPLICA)
            return
        rtype = replica.share.replication_type
        try:
            result = self.driver.create_replica(
                ctx, active, replica, self.manager.pool_of(replica), rtype)
        except Exception as exc:
            LOG.exception('Creating replica %s failed', replica.id)
            self._fail(ctx, replica, 'share_replica.create.error', str(exc))
            return
        new_state = result.get('replica_state') or \
            states.REPLICA_STATE_OUT_OF_SYNC
        db.export_locations_replace(ctx, replica.id,
                                    result.get('export_locations') or [])
        values = {'launched_at': timeutils.utcnow(), 'progress': '100%'}
        if new_state in (states.REPLICA_STATE_IN_SYNC,
                         states.REPLICA_STATE_ACTIVE):
            values['last_sync_at'] = timeutils.utcnow()
        try:
            with db.writer(ctx):
                db.share_instance_transition(
                    ctx, replica.id, states.STATUS_AVAILABLE,
                    sources={states.STATUS_CREATING}, values=values)
                db.replica_state_transition(ctx, replica.id, new_state,
                                            event='synced')
        except exceptions.InvalidState:
            # Deleted (or reset) while the driver worked: leave it.
            LOG.info('Replica %s left creating meanwhile', replica.id)
            return
        self._copy_snapshots(ctx, active, replica)
        self.manager.update_access(ctx, replica.id)
        self.notifier.info(ctx, 'share_replica.create.end', _payload(
            db.replica_get(ctx, replica.id)))

    # --- sync ---------------------------------------------------------------
    @staticmethod
    def _needs_sync(ctx, replica):
        """Non-active replicas follow the active one; ``writable``
        replicas are all active and each merges with the oldest one
        (which itself has nothing to do)."""
        if replica.status in _NO_SYNC:
            return False
        if replica.replica_state != states.REPLICA_STATE_ACTIVE:
            return True
        if replica.share.replication_type != \
                states.REPLICATION_TYPE_WRITABLE:
            return False
        first = db.replica_get_all(ctx, share_id=replica.share_id)
        return bool(first) and first[0].id != replica.id

    def _sync(self, ctx, replica_id, *, force=False):
        try:
            replica = db.replica_get(ctx, replica_id)
        except exceptions.ShareReplicaNotFound:
            return
        if not self._needs_sync(ctx, replica):
            return
        active = self.active_replica(ctx, replica.share_id,
                                     exclude=replica.id)
        if active is None:
            db.replica_state_transition(ctx, replica.id,
                                        event='replica_failed')
            LOG.warning('Replica %s: its share has no available active '
                        'replica to sync from', replica.id)
            return
        if force and replica.replica_state == states.REPLICA_STATE_IN_SYNC:
            db.replica_state_transition(ctx, replica.id,
                                        event='resync_forced')
            replica = db.replica_get(ctx, replica.id)
        try:
            new_state = self.driver.update_replica_state(
                ctx, active, replica, replica.share.replication_type)
        except Exception:
            LOG.exception('Syncing replica %s failed', replica.id)
            _set_failed(ctx, replica.id)
            self._tell_owner(ctx, replica, messages.Action.UPDATE)
            return
        if new_state not in states.REPLICA_STATES:
            return
        values = {}
        if new_state in (states.REPLICA_STATE_IN_SYNC,
                         states.REPLICA_STATE_ACTIVE):
            values['last_sync_at'] = timeutils.utcnow()
        with db.writer(ctx):
            db.replica_state_transition(ctx, replica.id, new_state,
                                        event='synced', values=values)
            if replica.status == states.STATUS_ERROR and \
                    new_state == states.REPLICA_STATE_IN_SYNC:
                db.share_instance_transition(ctx, replica.id,
                                             event='replica_resynced')
        if new_state == states.REPLICA_STATE_IN_SYNC:
            self._copy_snapshots(ctx, active, replica)

    def sync_all(self, ctx, host):
        """The periodic task: every non-active replica on ``host``."""
        for replica in db.replica_get_all(ctx, host=host):
            if not self._needs_sync(ctx, replica):
                continue
            try:
                self.sync(ctx, replica.id)
            except Exception:
                LOG.exception('Periodic sync of replica %s failed',
                              replica.id)

    # --- promote ------------------------------------------------------------
    def _promote(self, ctx, replica_id):
        try:
            replica = db.replica_get(ctx, replica_id)
        except exceptions.ShareReplicaNotFound:
            return
        rtype = replica.share.replication_type
        self.notifier.info(ctx, 'share_replica.promote.start',
                           _payload(replica))
        olds = [r for r in db.replica_get_all(ctx, share_id=replica.share_id)
                if r.id != replica.id
                and r.replica_state == states.REPLICA_STATE_ACTIVE]
        if not olds:
            LOG.error('Replica %s: no active replica to promote it over',
                      replica.id)
            db.share_instance_transition(
                ctx, replica.id, states.STATUS_AVAILABLE,
                sources={states.STATUS_REPLICATION_CHANGE})
            self._tell_owner(ctx, replica, messages.Action.PROMOTE,
                             messages.Detail.NO_ACTIVE_REPLICA)
            self.notifier.error(ctx, 'share_replica.promote.error',
                                _payload(replica, reason='no active'))
            return
        try:
            exports = self.driver.promote_replica(ctx, olds, replica, rtype)
        except Exception as exc:
            LOG.exception('Promoting replica %s failed', replica.id)
            for r in db.replica_get_all(ctx, share_id=replica.share_id):
                db.share_instance_transition(ctx, r.id,
                                             event='replica_failed')
            self._tell_owner(ctx, replica, messages.Action.PROMOTE)
            self.notifier.error(ctx, 'share_replica.promote.error',
                                _payload(replica, reason=str(exc)))
            return
        exports = exports or {}
        # One transaction: readers see the old active replicas or the
        # new one, never both. The new one's transition comes first: if
        # it went into deletion meanwhile, nothing changes.
        try:
            with db.writer(ctx):
                db.share_instance_transition(
                    ctx, replica.id, event='promote_done',
                    sources=_PROMOTE_ENDS_FROM,
                    values={'cast_rules_to_readonly': False,
                            'last_sync_at': None})
                db.replica_state_transition(ctx, replica.id,
                                            event='promoted')
                if replica.id in exports:
                    db.export_locations_replace(ctx, replica.id,
                                                exports[replica.id])
                now = timeutils.utcnow()
                for old in olds:
                    if old.id in exports:
                        db.export_locations_replace(ctx, old.id,
                                                    exports[old.id])
                    db.replica_state_transition(ctx, old.id, event='demoted',
                                                values={
                        'cast_rules_to_readonly':
                            rtype == states.REPLICATION_TYPE_READABLE,
                        'last_sync_at': now})
        except (exceptions.InvalidState, exceptions.NotFound):
            LOG.warning('Replica %s went into deletion while being '
                        'promoted; the active replicas stay active',
                        replica_id)
            for old in olds:
                self.manager.update_access_anywhere(ctx, old)
            self.notifier.error(ctx, 'share_replica.promote.error', dict(
                share_id=olds[0].share_id, share_replica_id=replica_id,
                reason='deleted while being promoted'))
            return
        for r in olds + [replica]:
            self.manager.update_access_anywhere(ctx, r)
        self.notifier.info(ctx, 'share_replica.promote.end', _payload(
            db.replica_get(ctx, replica.id)))

    # --- delete ------------------------------------------------------------
    def _delete(self, ctx, replica_id, *, force=False):
        try:
            replica = db.replica_get(ctx, replica_id)
        except exceptions.ShareReplicaNotFound:
            return
        if (not force
                and replica.replica_state == states.REPLICA_STATE_ACTIVE
                and not any(r.replica_state == states.REPLICA_STATE_ACTIVE
                            for r in db.replica_get_all(
                                ctx, share_id=replica.share_id)
                            if r.id != replica.id)):
            # Accepted while another replica was active; a promote that
            # ran since made this one the only active replica.
            reason = ('not deleted: it became the only active replica of '
                      'its share while the delete waited')
            LOG.warning('Replica %s %s', replica.id, reason)
            db.share_instance_transition(
                ctx, replica.id, states.STATUS_AVAILABLE,
                sources={states.STATUS_DELETING})
            self.notifier.error(ctx, 'share_replica.delete.error',
                                _payload(replica, reason=reason))
            return
        self.notifier.info(ctx, 'share_replica.delete.start',
                           _payload(replica))
        try:
            for snap in db.snapshot_instance_get_all_by_share_instance(
                    ctx, replica.id):
                self.driver.delete_snapshot(ctx, snap, replica)
            self.driver.delete_replica(ctx, replica)
        except Exception:
            LOG.exception('Deleting replica %s failed', replica.id)
            if not force:
                with db.writer(ctx):
                    db.share_instance_transition(
                        ctx, replica.id, event='replica_delete_failed')
                    db.replica_state_transition(ctx, replica.id,
                                                event='replica_failed')
                self._tell_owner(ctx, replica, messages.Action.DELETE)
                return
        db.share_instance_destroy(ctx, replica.id)
        self.notifier.info(ctx, 'share_replica.delete.end',
                           _payload(replica))
