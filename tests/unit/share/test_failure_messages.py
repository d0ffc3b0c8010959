"""Every asynchronous failure a user can meet leaves its owner a user
message with upstream's action and detail ids: a resize that failed or
was cut off, an ensure that put a share in error, a replica that could
not be created, synced, promoted or deleted, and a migration that ended
in ``migration_error`` (in the share service or in the scheduler)."""

import os

import pytest

from manila_lite.common import states
from manila_lite.db import messages as msg_db
from manila_lite.scheduler import manager as sched_manager
from tests.unit import rows
from tests.unit.share.test_manager import FAKE
from tests.unit.share.test_manager import _admin_path
from tests.unit.share.test_manager import _created
from tests.unit.share.test_manager import _manager
from tests.unit.share.test_manager import _share
from tests.unit.share.test_migration_steps import _migrating_share
from tests.unit.share.test_migration_steps import _started

GIB = 1024 ** 3


def _messages(ctx, resource_id):
    return [(m.resource_type, m.action_id, m.detail_id, m.project_id)
            for m in msg_db.message_get_all(
                ctx, filters={'resource_id': resource_id})]


def _fake_share(db, ctx, mgr, size=2):
    return _created(mgr, db, ctx, host='node1@b1#fake', size=size)


@pytest.mark.parametrize('method,status,size,expected', [
    ('extend_share', states.STATUS_EXTENDING, 3, ('008', '015')),
    ('shrink_share', states.STATUS_SHRINKING, 1, ('009', '001')),
])
def test_a_driver_failing_a_resize(conf, db, admin_ctx, method, status,
                                   size, expected):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _fake_share(db, admin_ctx, mgr)
    mgr.driver.fail_on.add(method)
    db.share_instance_transition(admin_ctx, inst, status)
    getattr(mgr, method)(admin_ctx, inst, size)
    assert _messages(admin_ctx, share_id) == [('SHARE',) + expected
                                              + ('p1',)]


def test_an_extend_the_pool_has_no_room_for(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    mgr.driver.pools = {'fake': 4.0}
    share_id, inst = _fake_share(db, admin_ctx, mgr)
    mgr.invalidate_stats()
    db.share_instance_transition(admin_ctx, inst, states.STATUS_EXTENDING)
    mgr.extend_share(admin_ctx, inst, 5)
    assert db.share_get(admin_ctx, share_id).status == \
        states.STATUS_AVAILABLE
    assert _messages(admin_ctx, share_id) == [('SHARE', '008', '002',
                                               'p1')]


def test_a_shrink_refused_below_the_data(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _created(mgr, db, admin_ctx, size=2)
    with open(os.path.join(_admin_path(db, admin_ctx, share_id),
                           'sparse'), 'wb') as f:
        f.truncate(GIB + 1)
    db.share_instance_transition(admin_ctx, inst, states.STATUS_SHRINKING)
    mgr.shrink_share(admin_ctx, inst, 1)
    assert _messages(admin_ctx, share_id) == [('SHARE', '009', '018',
                                               'p1')]


def test_resizes_cut_off_by_a_restart(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    grow_id, grow = _created(mgr, db, admin_ctx, size=1)
    cut_id, cut = _created(mgr, db, admin_ctx, size=2)
    db.share_instance_transition(admin_ctx, grow, states.STATUS_EXTENDING)
    db.share_instance_transition(admin_ctx, cut, states.STATUS_SHRINKING)
    _manager(conf, admin_ctx)
    assert _messages(admin_ctx, grow_id) == [('SHARE', '008', '001', 'p1')]
    assert _messages(admin_ctx, cut_id) == [('SHARE', '009', '001', 'p1')]


def test_an_ensure_that_puts_a_share_in_error(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    kept_id, _kept = _fake_share(db, admin_ctx, mgr)
    # Its backend lost it: the driver's ensure answers error.
    lost_id, _lost = _share(db, admin_ctx, host='node1@b1#fake',
                            status=states.STATUS_AVAILABLE)
    mgr._ensure(admin_ctx, reason='api')
    assert db.share_get(admin_ctx, lost_id).status == states.STATUS_ERROR
    assert _messages(admin_ctx, lost_id) == [('SHARE', '005', '001', 'p1')]
    assert _messages(admin_ctx, kept_id) == []


def _replica(db, ctx, share_id, status=states.STATUS_CREATING,
             replica_state=states.REPLICA_STATE_OUT_OF_SYNC):
    return db.share_instance_create(ctx, share_id, dict(
        status=status, host='node1@b1#fake', availability_zone='az1',
        replica_state=replica_state)).id


@pytest.mark.parametrize('active,detail', [(True, '001'), (False, '006')])
def test_a_replica_that_cannot_be_created(conf, db, admin_ctx, active,
                                          detail):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _fake_share(db, admin_ctx, mgr)
    if active:
        rows.share_instance_update(admin_ctx, inst, {
            'replica_state': states.REPLICA_STATE_ACTIVE})
    replica = _replica(db, admin_ctx, share_id)
    mgr.driver.fail_on.add('create_replica')
    mgr.create_replica(admin_ctx, replica)
    assert db.share_instance_get(admin_ctx, replica).status == \
        states.STATUS_ERROR
    assert _messages(admin_ctx, replica) == [
        ('SHARE_REPLICA', '002', detail, 'p1')]


def test_a_replica_that_fails_to_sync(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _fake_share(db, admin_ctx, mgr)
    rows.share_instance_update(admin_ctx, inst, {
        'replica_state': states.REPLICA_STATE_ACTIVE})
    replica = _replica(db, admin_ctx, share_id,
                       status=states.STATUS_AVAILABLE)
    mgr.driver.fail_on.add('update_replica_state')
    mgr.update_replica_state(admin_ctx, replica)
    assert db.share_instance_get(admin_ctx, replica).status == \
        states.STATUS_ERROR
    assert _messages(admin_ctx, replica) == [
        ('SHARE_REPLICA', '005', '001', 'p1')]


def test_a_migration_that_ends_in_error(conf, db, admin_ctx):
    share, _dest = _migrating_share(
        _started(conf, admin_ctx), db, admin_ctx,
        states.TASK_STATE_MIGRATION_DRIVER_STARTING,
        dest_status=states.STATUS_MIGRATING_TO)
    _started(conf, admin_ctx)
    assert db.share_get(admin_ctx, share.id).task_state == \
        states.TASK_STATE_MIGRATION_ERROR
    assert _messages(admin_ctx, share.id) == [('SHARE', '005', '001', 'p1')]


def test_a_migration_the_scheduler_finds_no_room_for(conf, db, admin_ctx):
    share, _dest = _migrating_share(
        _started(conf, admin_ctx), db, admin_ctx,
        states.TASK_STATE_MIGRATION_STARTING)
    sched = sched_manager.SchedulerManager(conf)
    sched.migrate_share_to_host(admin_ctx, share.id, 'nowhere@b9#p',
                                {'share_id': share.id, 'size': 1,
                                 'share_type_id': share.share_type_id,
                                 'project_id': 'p1'}, {})
    assert db.share_get(admin_ctx, share.id).task_state == \
        states.TASK_STATE_MIGRATION_ERROR
    assert _messages(admin_ctx, share.id) == [('SHARE', '001', '002', 'p1')]


@pytest.mark.parametrize('active,detail', [(True, '001'), (False, '006')])
def test_a_replica_that_cannot_be_promoted(conf, db, admin_ctx, active,
                                           detail):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _fake_share(db, admin_ctx, mgr)
    if active:
        rows.share_instance_update(admin_ctx, inst, {
            'replica_state': states.REPLICA_STATE_ACTIVE})
    replica = _replica(db, admin_ctx, share_id,
                       status=states.STATUS_REPLICATION_CHANGE,
                       replica_state=states.REPLICA_STATE_IN_SYNC)
    mgr.driver.fail_on.add('promote_replica')
    mgr.promote_replica(admin_ctx, replica)
    assert _messages(admin_ctx, replica) == [
        ('SHARE_REPLICA', '004', detail, 'p1')]


def test_a_replica_that_cannot_be_deleted(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _fake_share(db, admin_ctx, mgr)
    rows.share_instance_update(admin_ctx, inst, {
        'replica_state': states.REPLICA_STATE_ACTIVE})
    replica = _replica(db, admin_ctx, share_id,
                       status=states.STATUS_DELETING,
                       replica_state=states.REPLICA_STATE_IN_SYNC)
    mgr.driver.fail_on.add('delete_replica')
    mgr.delete_replica(admin_ctx, replica)
    assert db.share_instance_get(admin_ctx, replica).status == \
        states.STATUS_ERROR_DELETING
    assert _messages(admin_ctx, replica) == [
        ('SHARE_REPLICA', '007', '001', 'p1')]
