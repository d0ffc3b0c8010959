"""The share manager's resize flows on real SQLite: the local driver on
real directories (quota in its sidecar, the pool's allocated capacity)
and the fake driver where a failure or a small pool is needed; and the
start-up recovery of a resize a killed service left behind."""

import datetime
import json
import os
import threading
import types
import uuid

from oslo_utils import timeutils
import pytest

from manila_lite import quota
from manila_lite.common import config
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db_api
from manila_lite.db import quotas as quota_db
from manila_lite.db import resize as resize_db
from manila_lite.share.drivers import local
from tests.unit import rows
from tests.unit.share.test_manager import FAKE
from tests.unit.share.test_manager import _admin_path
from tests.unit.share.test_manager import _created
from tests.unit.share.test_manager import _manager
from tests.unit.share.test_manager import _share

GIB = 1024 ** 3


def _resizing(db, ctx, inst, status):
    db.share_instance_transition(ctx, inst, status)


def _pool(mgr, name):
    pool, = [p for p in mgr.get_capabilities()['pools']
             if p['pool_name'] == name]
    return pool


def test_extend_and_shrink_move_size_and_allocated_capacity(
        conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _created(mgr, db, admin_ctx, size=2)
    assert _pool(mgr, 'pool1')['allocated_capacity_gb'] == 2

    _resizing(db, admin_ctx, inst, states.STATUS_EXTENDING)
    mgr.extend_share(admin_ctx, inst, 5)
    share = db.share_get(admin_ctx, share_id)
    assert (share.size, share.status) == (5, states.STATUS_AVAILABLE)
    assert _pool(mgr, 'pool1')['allocated_capacity_gb'] == 5

    _resizing(db, admin_ctx, inst, states.STATUS_SHRINKING)
    mgr.shrink_share(admin_ctx, inst, 3)
    share = db.share_get(admin_ctx, share_id)
    assert (share.size, share.status) == (3, states.STATUS_AVAILABLE)
    assert _pool(mgr, 'pool1')['allocated_capacity_gb'] == 3


def test_shrink_below_the_bytes_in_use_is_refused(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _created(mgr, db, admin_ctx, size=2)
    path = _admin_path(db, admin_ctx, share_id)
    with open(os.path.join(path, 'sparse'), 'wb') as f:
        f.truncate(GIB + 1)
    _resizing(db, admin_ctx, inst, states.STATUS_SHRINKING)
    mgr.shrink_share(admin_ctx, inst, 1)
    share = db.share_get(admin_ctx, share_id)
    assert share.status == states.STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR
    assert share.size == 2
    assert _pool(mgr, 'pool1')['allocated_capacity_gb'] == 2
    assert os.path.getsize(os.path.join(path, 'sparse')) == GIB + 1


@pytest.mark.parametrize('method,status,error', [
    ('extend_share', states.STATUS_EXTENDING, states.STATUS_EXTENDING_ERROR),
    ('shrink_share', states.STATUS_SHRINKING, states.STATUS_SHRINKING_ERROR),
])
def test_driver_failure_ends_in_the_error_state(conf, db, admin_ctx, method,
                                                status, error):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _created(mgr, db, admin_ctx, host='node1@b1#fake',
                              size=2)
    mgr.driver.fail_on.add(method)
    _resizing(db, admin_ctx, inst, status)
    getattr(mgr, method)(admin_ctx, inst, 3 if method == 'extend_share'
                         else 1)
    share = db.share_get(admin_ctx, share_id)
    assert (share.status, share.size) == (error, 2)


def test_resize_of_an_instance_not_resizing_does_nothing(conf, db,
                                                         admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _created(mgr, db, admin_ctx, host='node1@b1#fake')
    mgr.extend_share(admin_ctx, inst, 3)
    mgr.shrink_share(admin_ctx, inst, 3)
    mgr.extend_share(admin_ctx, 'no-such-instance', 3)
    assert db.share_get(admin_ctx, share_id).size == 1
    assert ('extend_share', inst) not in mgr.driver.calls


def test_extend_without_room_in_the_pool(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    mgr.driver.pools = {'fake': 4.0}
    share_id, inst = _created(mgr, db, admin_ctx, host='node1@b1#fake',
                              size=2)
    mgr.invalidate_stats()
    # 2 of 4 GiB free: growing by 3 does not fit (upstream's scheduler
    # answers NoValidHost and the share goes back to available).
    _resizing(db, admin_ctx, inst, states.STATUS_EXTENDING)
    mgr.extend_share(admin_ctx, inst, 5)
    share = db.share_get(admin_ctx, share_id)
    assert (share.status, share.size) == (states.STATUS_AVAILABLE, 2)
    assert ('extend_share', inst) not in mgr.driver.calls
    # ``force`` skips the check.
    _resizing(db, admin_ctx, inst, states.STATUS_EXTENDING)
    mgr.extend_share(admin_ctx, inst, 5, force=True)
    share = db.share_get(admin_ctx, share_id)
    assert (share.status, share.size) == (states.STATUS_AVAILABLE, 5)


def test_a_replica_does_not_set_the_share_size(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, active = _created(mgr, db, admin_ctx, host='node1@b1#fake')
    replica = db_api.share_instance_create(admin_ctx, share_id, dict(
        status=states.STATUS_CREATING, host='node1@b1#fake',
        availability_zone='az1',
        replica_state=states.REPLICA_STATE_IN_SYNC))
    mgr.driver.create_share(
        admin_ctx, db.share_instance_get(admin_ctx, replica.id), 'fake')
    db.share_instance_transition(admin_ctx, replica.id,
                                 states.STATUS_AVAILABLE)
    rows.share_instance_update(admin_ctx, active, {
        'replica_state': states.REPLICA_STATE_ACTIVE})
    for inst in (active, replica.id):
        _resizing(db, admin_ctx, inst, states.STATUS_EXTENDING)
    mgr.extend_share(admin_ctx, replica.id, 3)
    assert db.share_get(admin_ctx, share_id).size == 1
    assert mgr.driver.shares[replica.id]['size'] == 3
    mgr.extend_share(admin_ctx, active, 3)
    assert db.share_get(admin_ctx, share_id).size == 3


def test_restart_ends_interrupted_resizes_in_error(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    grow_id, grow = _created(mgr, db, admin_ctx, size=1)
    cut_id, cut = _created(mgr, db, admin_ctx, size=2)
    _resizing(db, admin_ctx, grow, states.STATUS_EXTENDING)
    _resizing(db, admin_ctx, cut, states.STATUS_SHRINKING)
    # Another backend's resize is not this service's to settle.
    _other_id, other = _share(db, admin_ctx, host='node1@b2#pool1',
                              status=states.STATUS_EXTENDING)

    _manager(conf, admin_ctx)   # a new process takes over the backend
    grown = db.share_get(admin_ctx, grow_id)
    assert (grown.status, grown.size) == (states.STATUS_EXTENDING_ERROR, 1)
    cut_share = db.share_get(admin_ctx, cut_id)
    assert (cut_share.status, cut_share.size) == (
        states.STATUS_SHRINKING_ERROR, 2)
    assert db.share_instance_get(admin_ctx, other).status == \
        states.STATUS_EXTENDING
    # An admin's reset_status brings them back; the files never moved.
    assert os.path.isdir(_admin_path(db, admin_ctx, grow_id))


def test_a_lost_resize_message_does_not_leave_it_stuck(conf, db,
                                                      admin_ctx):
    conf.set_override('transition_redrive_after', 1)
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _created(mgr, db, admin_ctx, host='node1@b1#fake')
    # The API moved the instance, then its cast never arrived.
    _resizing(db, admin_ctx, inst, states.STATUS_EXTENDING)
    mgr.resizes.recover(admin_ctx, mgr.host, stale_after=60)
    assert db.share_get(admin_ctx, share_id).status == \
        states.STATUS_EXTENDING          # fresh: maybe merely queued
    db.share_instance_update(admin_ctx, inst, {
        'updated_at': timeutils.utcnow() - datetime.timedelta(minutes=5)})
    mgr._inflight.add(('extend_share', inst))
    mgr.resizes.recover(admin_ctx, mgr.host, stale_after=60)
    assert db.share_get(admin_ctx, share_id).status == \
        states.STATUS_EXTENDING          # its handler runs here now
    mgr._inflight.clear()
    mgr._redrive_at = 0
    mgr.periodic_tasks(admin_ctx)
    share = db.share_get(admin_ctx, share_id)
    assert (share.status, share.size) == (states.STATUS_EXTENDING_ERROR, 1)
    # The late message, should it come, finds nothing to do.
    mgr.extend_share(admin_ctx, inst, 2)
    assert ('extend_share', inst) not in mgr.driver.calls


def test_start_takes_the_share_row_and_every_instance(conf, db, admin_ctx):
    share_id, first = _share(db, admin_ctx, status=states.STATUS_AVAILABLE)
    # A replica created just before (its transaction committed first).
    second = db.share_instance_create(admin_ctx, share_id, dict(
        status=states.STATUS_CREATING, host='node1@b2#pool1',
        availability_zone='az2')).id
    sources = {states.STATUS_AVAILABLE}
    with pytest.raises(exceptions.InvalidState):
        resize_db.share_instances_start_resize(
            admin_ctx, share_id, states.STATUS_EXTENDING, sources=sources)
    assert {i.status for i in db.share_get(admin_ctx, share_id).instances} \
        == {states.STATUS_AVAILABLE, states.STATUS_CREATING}   # none moved
    db.share_instance_transition(admin_ctx, second, states.STATUS_AVAILABLE)
    rows.share_update(admin_ctx, share_id, {
        'task_state': states.TASK_STATE_MIGRATION_IN_PROGRESS})
    with pytest.raises(exceptions.InvalidShare):
        resize_db.share_instances_start_resize(
            admin_ctx, share_id, states.STATUS_EXTENDING, sources=sources)
    rows.share_update(admin_ctx, share_id, {
        'task_state': states.TASK_STATE_MIGRATION_SUCCESS})
    before = resize_db.share_instances_start_resize(
        admin_ctx, share_id, states.STATUS_EXTENDING, sources=sources)
    assert before == {first: states.STATUS_AVAILABLE,
                      second: states.STATUS_AVAILABLE}
    assert {i.status for i in db.share_get(admin_ctx, share_id).instances} \
        == {states.STATUS_EXTENDING}


def test_local_resize_racing_an_access_update_keeps_its_size(conf, tmp_path):
    """The local driver's sidecar holds both the size and the rules;
    the two are written from different RPC threads. Without a lock
    around its read-modify-write, some of these 200 sizes were lost
    (19 and 37 in two runs)."""
    config.register_backend_opts(conf, 'b1', local.LOCAL_OPTS)
    conf.set_override('local_pools', ['p1:%s' % (tmp_path / 'p1')],
                      group='b1')
    drv = local.LocalShareDriver(conf, 'b1')
    drv.do_setup(None)
    inst = types.SimpleNamespace(
        id=str(uuid.uuid4()), host='n@b1#p1', cast_rules_to_readonly=False,
        share=types.SimpleNamespace(size=1, replication_type=None))
    drv.create_share(None, inst, 'p1')
    rule = types.SimpleNamespace(access_type='ip', access_to='10.0.0.1',
                                 access_level='rw')
    stop = threading.Event()

    def rules():
        while not stop.is_set():
            drv.update_access(None, inst, [rule])

    thread = threading.Thread(target=rules)
    thread.start()
    lost = []
    try:
        for size in range(2, 202):
            drv.extend_share(None, inst, size)
            with open(drv.share_path(inst) + '.json') as f:
                if json.load(f)['size'] != size:
                    lost.append(size)
    finally:
        stop.set()
        thread.join()
    assert lost == []


def _gigabytes(ctx):
    return quota_db.usage_get(ctx, 'p1')['gigabytes'][0]


def _charged_share(conf, db, ctx, mgr, size=1):
    """A share created and charged as the API charges it."""
    share_id, inst = _created(mgr, db, ctx, size=size)
    stype = db.share_get(ctx, share_id).share_type_id
    with db.writer(ctx) as session:
        quota.charge_share(conf, ctx, session, ('p1', None, stype), size,
                           replicated=False)
    return share_id, inst


def _extend_asked(conf, db, ctx, share_id, new_size):
    """What the API does for an extend: instances to ``extending`` and
    the increase charged, in one transaction (the cast is left out)."""
    with db.writer(ctx) as session:
        resize_db.share_instances_start_resize(
            ctx, share_id, states.STATUS_EXTENDING,
            sources={states.STATUS_AVAILABLE})
        quota.charge_extend_of(conf, ctx, session,
                               db.share_get(ctx, share_id), new_size)


def test_an_extend_abandoned_by_recovery_gives_its_charge_back(
        conf, db, admin_ctx):
    """The share service dies with the extend in flight: recovery ends
    it in extending_error, and the increase charged goes with it."""
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _charged_share(conf, db, admin_ctx, mgr)
    _extend_asked(conf, db, admin_ctx, share_id, 4)
    assert _gigabytes(admin_ctx) == 4

    _manager(conf, admin_ctx)   # the restarted service recovers
    share = db.share_get(admin_ctx, share_id)
    assert (share.status, share.size) == (states.STATUS_EXTENDING_ERROR, 1)
    assert _gigabytes(admin_ctx) == 1
    # The late message finds nothing to do; a second recovery and a
    # failure report racing it release nothing more.
    mgr.extend_share(admin_ctx, inst, 4)
    mgr.resizes.recover(admin_ctx, mgr.host)
    mgr.resizes._fail(admin_ctx, db.share_instance_get(admin_ctx, inst),
                      states.STATUS_EXTENDING,
                      states.STATUS_EXTENDING_ERROR, 'share.extend.error')
    assert (db.share_get(admin_ctx, share_id).size,
            _gigabytes(admin_ctx)) == (1, 1)


def test_an_extend_completed_keeps_its_charge_against_recovery(
        conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _charged_share(conf, db, admin_ctx, mgr)
    _extend_asked(conf, db, admin_ctx, share_id, 3)
    mgr.extend_share(admin_ctx, inst, 3)
    mgr.resizes.recover(admin_ctx, mgr.host)
    share = db.share_get(admin_ctx, share_id)
    assert (share.status, share.size) == (states.STATUS_AVAILABLE, 3)
    assert _gigabytes(admin_ctx) == 3
    # The charge is the size now: a shrink then gives back exactly it.
    _resizing(db, admin_ctx, inst, states.STATUS_SHRINKING)
    mgr.shrink_share(admin_ctx, inst, 2)
    assert _gigabytes(admin_ctx) == 2


def test_an_extend_reset_by_an_admin_is_given_back_at_the_next(
        conf, db, admin_ctx):
    """An admin's reset_status ends an interrupted extend before any
    recovery: the next extend gives the stale charge back first."""
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _charged_share(conf, db, admin_ctx, mgr)
    _extend_asked(conf, db, admin_ctx, share_id, 5)
    db.share_instance_transition(admin_ctx, inst, states.STATUS_AVAILABLE,
                                 event='reset_status')
    assert _gigabytes(admin_ctx) == 5
    _extend_asked(conf, db, admin_ctx, share_id, 2)
    assert _gigabytes(admin_ctx) == 2
    mgr.extend_share(admin_ctx, inst, 2)
    assert (db.share_get(admin_ctx, share_id).size,
            _gigabytes(admin_ctx)) == (2, 2)
