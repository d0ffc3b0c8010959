"""The share manager on real SQLite with the local driver on real
directories (and the fake driver where a failure is needed): shares and
snapshots reach their states, bytes appear and disappear on disk, access
rules land in the pool's exports file, and a restarted manager settles
what its predecessor left in transition."""

import os

import pytest

from manila_lite.common import config
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.share import manager as share_manager
from tests.unit import rows

FAKE = 'manila_lite.share.drivers.fake:FakeShareDriver'


def _manager(conf, ctx, backend='b1', driver='local', start=True):
    config.register_backend_opts(conf, backend)
    conf.set_override('share_driver', driver, group=backend)
    conf.set_override('backend_availability_zone', 'az1', group=backend)
    mgr = share_manager.ShareManager(conf, 'node1@%s' % backend, backend)
    if start:
        mgr.init_host(ctx)
    return mgr


def _share(db, ctx, *, host='node1@b1#pool1', status=None, size=1):
    stype = db.share_type_ensure(ctx, 'default',
                                 {'driver_handles_share_servers': 'False'})
    share = db.share_create(
        ctx, dict(project_id='p1', size=size, share_proto='NFS',
                  share_type_id=stype.id),
        dict(status=status or states.STATUS_CREATING, host=host,
             availability_zone='az1', share_type_id=stype.id))
    return share.id, share.instances[0].id


def _admin_path(db, ctx, share_id):
    locations = db.share_get(ctx, share_id).export_locations
    return [el.path for el in locations if el.is_admin_only][0]


def _created(mgr, db, ctx, **kwargs):
    share_id, inst = _share(db, ctx, **kwargs)
    mgr.create_share_instance(ctx, inst)
    return share_id, inst


def test_create_and_delete_move_a_real_directory(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _created(mgr, db, admin_ctx, size=2)
    share = db.share_get(admin_ctx, share_id)
    assert share.status == states.STATUS_AVAILABLE
    path = _admin_path(db, admin_ctx, share_id)
    pool_root = os.path.join(conf.state_path, 'backends', 'b1', 'pool1')
    assert path.startswith(pool_root + os.sep)
    assert os.path.isdir(path)
    assert sorted((el.path, el.preferred, el.is_admin_only)
                  for el in share.export_locations) == sorted([
        ('127.0.0.1:' + path, True, False), (path, False, True)])
    with open(os.path.join(path, 'data'), 'w') as f:
        f.write('bytes')
    pool, = [p for p in mgr.get_capabilities()['pools']
             if p['pool_name'] == 'pool1']
    assert pool['allocated_capacity_gb'] == 2
    assert mgr.get_capabilities()['availability_zone'] == 'az1'

    db.share_instance_transition(admin_ctx, inst, states.STATUS_DELETING)
    mgr.delete_share_instance(admin_ctx, inst)
    assert not os.path.exists(path)
    with pytest.raises(exceptions.ShareNotFound):
        db.share_get(admin_ctx, share_id)


def test_create_is_skipped_unless_creating(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    _share_id, inst = _share(db, admin_ctx, host='node1@b1#fake',
                             status=states.STATUS_DELETING)
    mgr.create_share_instance(admin_ctx, inst)
    assert 'create_share' not in [name for name, _id in mgr.driver.calls]
    assert db.share_instance_get(admin_ctx, inst).status == 'deleting'


def test_driver_failures_end_in_error_states(conf, db, admin_ctx, caplog):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    mgr.driver.fail_on.add('create_share')
    share_id, inst = _created(mgr, db, admin_ctx, host='node1@b1#fake')
    assert db.share_get(admin_ctx, share_id).status == states.STATUS_ERROR
    assert 'fake failure in create_share' in caplog.text

    mgr.driver.fail_on = {'delete_share'}
    db.share_instance_transition(admin_ctx, inst, states.STATUS_DELETING)
    mgr.delete_share_instance(admin_ctx, inst)
    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_ERROR_DELETING)
    # force deletes the rows even though the driver still fails.
    mgr.delete_share_instance(admin_ctx, inst, force=True)
    with pytest.raises(exceptions.ShareNotFound):
        db.share_get(admin_ctx, share_id)


def _snapshot(db, ctx, share_id, inst):
    snap = db.snapshot_create(
        ctx, dict(share_id=share_id, project_id='p1', size=1,
                  share_size=1, share_proto='NFS'),
        dict(share_instance_id=inst, status=states.STATUS_CREATING))
    return snap.id, snap.instances[0].id


def test_snapshot_is_a_frozen_read_only_copy(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _created(mgr, db, admin_ctx)
    path = _admin_path(db, admin_ctx, share_id)
    with open(os.path.join(path, 'f'), 'w') as f:
        f.write('before')
    snap_id, snap_inst = _snapshot(db, admin_ctx, share_id, inst)
    mgr.create_snapshot(admin_ctx, snap_inst)
    row = db.snapshot_instance_get(admin_ctx, snap_inst)
    assert row.status == states.STATUS_AVAILABLE
    copy = os.path.join(row.provider_location, 'f')
    with open(os.path.join(path, 'f'), 'w') as f:
        f.write('after')
    with open(copy) as f:
        assert f.read() == 'before'
    assert not os.stat(copy).st_mode & 0o222

    rows.snapshot_instance_update(admin_ctx, snap_inst,
                                {'status': states.STATUS_DELETING})
    mgr.delete_snapshot(admin_ctx, snap_inst)
    assert not os.path.exists(row.provider_location)
    with pytest.raises(exceptions.ShareSnapshotNotFound):
        db.snapshot_get(admin_ctx, snap_id)


def test_snapshot_failure_is_recorded(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx, driver=FAKE)
    share_id, inst = _created(mgr, db, admin_ctx, host='node1@b1#fake')
    mgr.driver.fail_on.add('create_snapshot')
    _snap_id, snap_inst = _snapshot(db, admin_ctx, share_id, inst)
    mgr.create_snapshot(admin_ctx, snap_inst)
    assert db.snapshot_instance_get(admin_ctx, snap_inst).status == 'error'


def test_access_rules_reach_the_exports_file(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _created(mgr, db, admin_ctx)
    path = _admin_path(db, admin_ctx, share_id)
    rule = db.access_create(admin_ctx, dict(
        share_id=share_id, access_type='ip', access_to='10.0.0.7',
        access_level='ro', state=states.ACCESS_STATE_QUEUED_TO_APPLY))
    mgr.update_access(admin_ctx, inst)
    exports = os.path.join(conf.state_path, 'backends', 'b1', 'pool1',
                           'exports')
    with open(exports) as f:
        assert '%s 10.0.0.7(ro)' % path in f.read()
    assert db.access_get(admin_ctx, rule.id).state == 'active'
    assert db.share_instance_get(admin_ctx, inst).access_rules_status == (
        states.ACCESS_RULES_STATUS_ACTIVE)

    rows.access_update(admin_ctx, rule.id,
                     {'state': states.ACCESS_STATE_QUEUED_TO_DENY})
    mgr.update_access(admin_ctx, inst)
    with open(exports) as f:
        assert '10.0.0.7' not in f.read()
    with pytest.raises(exceptions.AccessRuleNotFound):
        db.access_get(admin_ctx, rule.id)


def test_restart_settles_interrupted_work(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    kept_id, kept = _created(mgr, db, admin_ctx)
    gone_id, gone = _created(mgr, db, admin_ctx)
    gone_path = _admin_path(db, admin_ctx, gone_id)
    new_id, _new = _share(db, admin_ctx)
    db.share_instance_transition(admin_ctx, kept, states.STATUS_ENSURING)
    db.share_instance_transition(admin_ctx, gone, states.STATUS_DELETING)

    _manager(conf, admin_ctx)   # a new process takes over the backend
    assert db.share_get(admin_ctx, kept_id).status == 'available'
    assert db.share_get(admin_ctx, new_id).status == 'available'
    assert os.path.isdir(_admin_path(db, admin_ctx, new_id))
    assert not os.path.exists(gone_path)
    with pytest.raises(exceptions.ShareNotFound):
        db.share_get(admin_ctx, gone_id)


def test_start_up_recomputes_export_locations(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, _inst = _created(mgr, db, admin_ctx)
    conf.set_override('local_export_host', 'nfs.example', group='b1')
    _manager(conf, admin_ctx)
    paths = {el.path for el in db.share_get(admin_ctx,
                                            share_id).export_locations}
    assert any(p.startswith('nfs.example:') for p in paths)
    assert not any(p.startswith('127.0.0.1:') for p in paths)


def test_restart_settles_snapshots_and_access_rules(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _created(mgr, db, admin_ctx)
    path = _admin_path(db, admin_ctx, share_id)
    _snap_id, pending_snap = _snapshot(db, admin_ctx, share_id, inst)
    old_id, old_snap = _snapshot(db, admin_ctx, share_id, inst)
    mgr.create_snapshot(admin_ctx, old_snap)
    old_copy = db.snapshot_instance_get(admin_ctx,
                                        old_snap).provider_location
    rows.snapshot_instance_update(admin_ctx, old_snap,
                                {'status': states.STATUS_DELETING})
    rule = db.access_create(admin_ctx, dict(
        share_id=share_id, access_type='ip', access_to='10.9.9.9',
        access_level='rw', state=states.ACCESS_STATE_APPLYING))

    _manager(conf, admin_ctx)
    assert db.snapshot_instance_get(admin_ctx, pending_snap).status == (
        states.STATUS_AVAILABLE)
    assert not os.path.exists(old_copy)
    with pytest.raises(exceptions.ShareSnapshotNotFound):
        db.snapshot_get(admin_ctx, old_id)
    assert db.access_get(admin_ctx, rule.id).state == 'active'
    exports = os.path.join(os.path.dirname(os.path.dirname(path)),
                           'exports')
    with open(exports) as f:
        assert '%s 10.9.9.9(rw)' % path in f.read()


def test_drivers_load_by_stevedore_name_or_class_path():
    from manila_lite.share.drivers import fake
    from manila_lite.share.drivers import local

    assert share_manager.load_driver_class('local') is (
        local.LocalShareDriver)
    assert share_manager.load_driver_class('fake') is fake.FakeShareDriver
    assert share_manager.load_driver_class(FAKE) is fake.FakeShareDriver
    with pytest.raises(Exception, match='nosuch'):
        share_manager.load_driver_class('nosuch')


def test_local_options_live_in_the_backend_section(conf, admin_ctx, db):
    mgr = _manager(conf, admin_ctx, backend='other', start=False)
    assert conf.other.local_export_host == '127.0.0.1'
    assert conf.other.local_replication_type == 'readable dr writable'
    assert mgr.get_capabilities()['replication_type'] == \
        'dr readable writable'


def test_failed_migration_start_notifies_error(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst_id = _share(db, admin_ctx,
                               status=states.STATUS_MIGRATING)
    db.share_task_state_transition(admin_ctx, share_id,
                                   event='migration_start')
    sent = []
    mgr.notifier._send = lambda prio, ctx, etype, payload: sent.append(
        (prio, etype, payload))

    def boom(*args):
        raise RuntimeError('no way there')

    mgr.migrations.start = boom
    mgr.migration_start(admin_ctx, share_id, 'node1@b2#pool1', {})
    assert [(p, e) for p, e, _ in sent] == [
        ('info', 'share.migration.start'), ('error', 'share.migration.error')]
    assert sent[1][2]['share_id'] == share_id
    share = db.share_get(admin_ctx, share_id)
    assert share.task_state == states.TASK_STATE_MIGRATION_ERROR
    assert db.share_instance_get(admin_ctx, inst_id).status == \
        states.STATUS_AVAILABLE
