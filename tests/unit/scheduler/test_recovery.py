"""The scheduler's periodic recovery of instances a dead process left
``creating`` with no host (``SchedulerManager.fail_unscheduled``).

The API commits a share, then casts to the scheduler; oslo.messaging
acknowledges the cast before the scheduler handles it. An API killed
between the two, or a scheduler killed while placing, leaves the
instance ``creating`` with no host forever, which its owner cannot even
delete. Re-scheduling is unsafe (the request's hints are not stored, a
request still queued would be placed twice), so after
``unscheduled_instance_timeout`` seconds the scheduler sets it to
``error`` with a warning and an error notification naming the reason;
a scheduler that has not itself run that long checks nothing yet, so
requests queued while no scheduler ran get placed first.
"""

import datetime

from oslo_utils import timeutils
import pytest

from manila_lite.common import states
from manila_lite.scheduler import manager

OLD = datetime.timedelta(hours=1)


class Notes:
    def __init__(self):
        self.sent = []

    def error(self, ctx, event_type, payload):
        self.sent.append((event_type, payload))


def _share(db, ctx, *, age=OLD, host='', status=states.STATUS_CREATING,
           replica_state=None):
    when = timeutils.utcnow() - age
    stype = db.share_type_ensure(ctx, 'default',
                                 {'driver_handles_share_servers': 'False'})
    share = db.share_create(
        ctx, dict(project_id='p1', size=1, share_proto='NFS',
                  share_type_id=stype.id),
        dict(status=status, host=host, share_type_id=stype.id,
             replica_state=replica_state, created_at=when,
             updated_at=when))
    return share.instances[0]


@pytest.fixture
def sched(conf):
    conf.set_override('unscheduled_instance_timeout', 30)
    sched = manager.SchedulerManager(conf)
    sched.notifier = Notes()
    # As if this scheduler had been running for a minute.
    sched._started -= 60
    return sched


def test_old_unplaced_instance_goes_to_error_with_a_reason(
        sched, db, admin_ctx, caplog):
    inst = _share(db, admin_ctx)
    assert sched.fail_unscheduled(admin_ctx) == [inst.id]
    row = db.share_instance_get(admin_ctx, inst.id)
    assert (row.status, row.host) == (states.STATUS_ERROR, '')
    assert 'never scheduled' in caplog.text and inst.id in caplog.text
    [(event, payload)] = sched.notifier.sent
    assert event == 'scheduler.create_share'
    assert payload['share_instance_id'] == inst.id
    assert payload['share_id'] == inst.share_id
    assert 'never scheduled' in payload['reason']
    # Done once: the next run finds nothing.
    assert sched.fail_unscheduled(admin_ctx) == []


def test_periodic_task_runs_the_check(sched, db, admin_ctx):
    inst = _share(db, admin_ctx)
    sched.periodic_tasks(admin_ctx)
    assert db.share_instance_get(admin_ctx, inst.id).status == \
        states.STATUS_ERROR


def test_unplaced_replica_gets_replica_state_error(sched, db, admin_ctx):
    inst = _share(db, admin_ctx,
                  replica_state=states.REPLICA_STATE_OUT_OF_SYNC)
    assert sched.fail_unscheduled(admin_ctx) == [inst.id]
    row = db.share_instance_get(admin_ctx, inst.id)
    assert (row.status, row.replica_state) == (
        states.STATUS_ERROR, states.REPLICA_STATE_ERROR)
    assert sched.notifier.sent[0][0] == 'scheduler.create_share_replica'


@pytest.mark.parametrize('kwargs', [
    # Young: its request may still be on its way.
    {'age': datetime.timedelta(seconds=5)},
    # Placed: the share service's start-up recovery owns it.
    {'host': 'n1@b1#p'},
    # Not creating at all.
    {'status': states.STATUS_AVAILABLE},
    {'status': states.STATUS_DELETING},
])
def test_leaves_everything_else_alone(sched, db, admin_ctx, kwargs):
    inst = _share(db, admin_ctx, **kwargs)
    assert sched.fail_unscheduled(admin_ctx) == []
    row = db.share_instance_get(admin_ctx, inst.id)
    assert (row.status, row.host) == (inst.status, inst.host)
    assert sched.notifier.sent == []


def test_a_fresh_scheduler_waits_for_queued_requests(sched, db, admin_ctx):
    """Requests queued while no scheduler ran arrive first after a
    (re)start: until this scheduler has run for the timeout, nothing is
    failed, however old."""
    inst = _share(db, admin_ctx)
    sched.init_host(admin_ctx)
    assert sched.fail_unscheduled(admin_ctx) == []
    assert db.share_instance_get(admin_ctx, inst.id).status == \
        states.STATUS_CREATING
    sched._started -= 31
    assert sched.fail_unscheduled(admin_ctx) == [inst.id]


def test_zero_disables_the_check(sched, conf, db, admin_ctx):
    conf.set_override('unscheduled_instance_timeout', 0)
    inst = _share(db, admin_ctx)
    assert sched.fail_unscheduled(admin_ctx) == []
    assert db.share_instance_get(admin_ctx, inst.id).status == \
        states.STATUS_CREATING


def test_placed_meanwhile_is_not_failed(sched, db, admin_ctx, monkeypatch):
    """The instance moved on between the listing and the update: the
    conditional update refuses and nothing is reported."""
    inst = _share(db, admin_ctx)
    listing = db.share_instance_get_all_by_host

    def list_then_race(ctx, host, **kw):
        rows = listing(ctx, host, **kw)
        db.share_instance_transition(ctx, inst.id, states.STATUS_AVAILABLE,
                                     values={'host': 'n1@b1#p'})
        return rows

    monkeypatch.setattr(manager.db, 'share_instance_get_all_by_host',
                        list_then_race)
    assert sched.fail_unscheduled(admin_ctx) == []
    assert db.share_instance_get(admin_ctx, inst.id).status == \
        states.STATUS_AVAILABLE
    assert sched.notifier.sent == []
