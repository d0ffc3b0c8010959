"""The replica flows when an admin's reset_status let a delete through
while a promote of the same replica was pending: the share keeps
exactly one active replica whichever ran first (real SQLite, a driver
stub recording what it was asked)."""

import types

from manila_lite.common import states
from manila_lite.share import replication
from tests.unit import rows


class _Driver:
    def __init__(self):
        self.calls = []

    def promote_replica(self, ctx, olds, replica, rtype):
        self.calls.append(('promote', replica.id))
        return {}

    def delete_replica(self, ctx, replica):
        self.calls.append(('delete', replica.id))


class _Notifier:
    def __init__(self):
        self.errors = []

    def info(self, ctx, event, payload):
        pass

    def error(self, ctx, event, payload):
        self.errors.append(event)


def _flows(conf):
    manager = types.SimpleNamespace(
        conf=conf, driver=_Driver(), notifier=_Notifier(),
        update_access_anywhere=lambda ctx, replica: None)
    return replication.ReplicationFlows(manager)


def _replicated_share(db, ctx):
    stype = db.share_type_ensure(ctx, 'rep', {
        'driver_handles_share_servers': 'False',
        'replication_type': 'readable'})
    share = db.share_create(
        ctx, dict(project_id='p1', size=1, share_proto='NFS',
                  share_type_id=stype.id, replication_type='readable'),
        dict(status=states.STATUS_AVAILABLE, host='n@b1#p',
             availability_zone='az1', share_type_id=stype.id,
             replica_state=states.REPLICA_STATE_ACTIVE))
    other = db.replica_create(ctx, share.id, dict(
        status=states.STATUS_AVAILABLE, host='n@b2#p',
        availability_zone='az2', share_type_id=stype.id,
        replica_state=states.REPLICA_STATE_IN_SYNC))
    return share.instances[0].id, other.id


def _states(db, ctx, *ids):
    out = {}
    for replica_id in ids:
        try:
            replica = db.replica_get(ctx, replica_id)
        except Exception:  # noqa: BLE001 - gone is a state here
            out[replica_id] = None
            continue
        out[replica_id] = (replica.status, replica.replica_state)
    return out


def test_promote_then_delete_keeps_the_promoted_replica(conf, db,
                                                      admin_ctx):
    """Promote accepted, then (after a reset) a delete of the same
    replica: the promote ran first, so the delete finds the only active
    replica and refuses, putting it back to available."""
    active, other = _replicated_share(db, admin_ctx)
    flows = _flows(conf)
    rows.share_instance_update(admin_ctx, other, {
        'status': states.STATUS_REPLICATION_CHANGE})
    # reset_status to available, then the delete the API let through
    # queue behind the promote.
    flows.promote(admin_ctx, other)
    assert _states(db, admin_ctx, active, other) == {
        active: (states.STATUS_AVAILABLE, states.REPLICA_STATE_OUT_OF_SYNC),
        other: (states.STATUS_AVAILABLE, states.REPLICA_STATE_ACTIVE)}
    rows.share_instance_update(admin_ctx, other, {
        'status': states.STATUS_DELETING})
    flows.delete(admin_ctx, other)
    assert ('delete', other) not in flows.driver.calls
    assert _states(db, admin_ctx, other)[other] == (
        states.STATUS_AVAILABLE, states.REPLICA_STATE_ACTIVE)
    assert flows.notifier.errors == ['share_replica.delete.error']


def test_promote_of_a_replica_going_into_deletion_keeps_the_old_active(
        conf, db, admin_ctx):
    """The delete was accepted (status deleting) before the pending
    promote ran: the promote leaves the old active replica active, and
    the delete then removes the replica."""
    active, other = _replicated_share(db, admin_ctx)
    flows = _flows(conf)
    rows.share_instance_update(admin_ctx, other, {
        'status': states.STATUS_DELETING})
    flows.promote(admin_ctx, other)
    assert _states(db, admin_ctx, active, other) == {
        active: (states.STATUS_AVAILABLE, states.REPLICA_STATE_ACTIVE),
        other: (states.STATUS_DELETING, states.REPLICA_STATE_IN_SYNC)}
    assert flows.notifier.errors == ['share_replica.promote.error']
    flows.delete(admin_ctx, other)
    assert ('delete', other) in flows.driver.calls
    assert _states(db, admin_ctx, active, other) == {
        active: (states.STATUS_AVAILABLE, states.REPLICA_STATE_ACTIVE),
        other: None}


def test_promote_after_a_status_reset_still_completes(conf, db,
                                                     admin_ctx):
    """An admin reset the promoted replica to available mid-promote:
    the promote still makes it the active one (the driver already
    swapped the roles); no share is left without an active replica."""
    active, other = _replicated_share(db, admin_ctx)
    flows = _flows(conf)
    flows.promote(admin_ctx, other)
    assert _states(db, admin_ctx, active, other) == {
        active: (states.STATUS_AVAILABLE, states.REPLICA_STATE_OUT_OF_SYNC),
        other: (states.STATUS_AVAILABLE, states.REPLICA_STATE_ACTIVE)}
