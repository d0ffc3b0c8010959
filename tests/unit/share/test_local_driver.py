"""The local driver on real directories."""

import os
import types
import uuid

import pytest

from manila_lite.common import config
from manila_lite.common import exceptions
from manila_lite.share.drivers import local
from manila_lite.share.drivers.local import layout


def _instance(size=1, cast_ro=False):
    return types.SimpleNamespace(
        id=str(uuid.uuid4()), host='n@b1#p1', cast_rules_to_readonly=cast_ro,
        share=types.SimpleNamespace(size=size))


def _rule(to, level='rw'):
    return types.SimpleNamespace(access_type='ip', access_to=to,
                                 access_level=level)


def test_create_reports_exports_and_allocation(driver, tmp_path):
    inst = _instance(size=3)
    exports = driver.create_share(None, inst, 'p1')
    path = str(tmp_path / 'p1' / 'shares' / ('share-' + inst.id))
    assert os.path.isdir(path)
    assert exports == [
        {'path': '127.0.0.1:' + path, 'is_admin_only': False,
         'preferred': True},
        {'path': path, 'is_admin_only': True, 'preferred': False}]
    pool, = driver.get_share_stats()['pools']
    assert pool['pool_name'] == 'p1'
    assert pool['allocated_capacity_gb'] == 3
    assert pool['total_capacity_gb'] > 0


def test_snapshot_is_a_read_only_copy(driver):
    inst = _instance()
    driver.create_share(None, inst, 'p1')
    path = driver.share_path(inst)
    with open(os.path.join(path, 'f'), 'w') as f:
        f.write('v1')
    snap = types.SimpleNamespace(id=str(uuid.uuid4()))
    loc = driver.create_snapshot(None, snap, inst)['provider_location']
    with open(os.path.join(path, 'f'), 'w') as f:
        f.write('v2')
    with open(os.path.join(loc, 'f')) as f:
        assert f.read() == 'v1'
    assert not os.access(os.path.join(loc, 'f'), os.W_OK) or \
        os.geteuid() == 0
    assert not os.stat(os.path.join(loc, 'f')).st_mode & 0o222
    clone = _instance()
    driver.create_share_from_snapshot(None, clone, 'p1', snap, inst)
    with open(os.path.join(driver.share_path(clone), 'f')) as f:
        assert f.read() == 'v1'
    driver.delete_snapshot(None, snap, inst)
    assert not os.path.exists(loc)


def test_access_rules_rendered_into_exports(driver, tmp_path):
    inst = _instance()
    driver.create_share(None, inst, 'p1')
    driver.update_access(None, inst, [_rule('10.0.0.1'),
                                      _rule('10.0.0.2', 'ro')])
    text = (tmp_path / 'p1' / 'exports').read_text()
    assert '%s 10.0.0.1(rw) 10.0.0.2(ro)' % driver.share_path(inst) in text
    readonly = _instance(cast_ro=True)
    readonly.id = inst.id
    driver.update_access(None, readonly, [_rule('10.0.0.1')])
    text = (tmp_path / 'p1' / 'exports').read_text()
    assert '%s 10.0.0.1(ro)' % driver.share_path(inst) in text
    driver.delete_share(None, inst)
    assert driver.share_path(inst) not in (
        tmp_path / 'p1' / 'exports').read_text()


def test_ensure_uses_current_export_host(driver, conf):
    inst = _instance()
    driver.create_share(None, inst, 'p1')
    missing = _instance()
    conf.set_override('local_export_host', 'nfs.example', group='b1')
    updates = driver.ensure_shares(None, [inst, missing])
    assert updates[inst.id]['status'] == 'available'
    assert updates[inst.id]['export_locations'][0]['path'].startswith(
        'nfs.example:')
    assert updates[missing.id] == {'status': 'error'}


def test_ids_must_be_uuids(driver):
    evil = _instance()
    evil.id = '../../etc'
    with pytest.raises(exceptions.InvalidInput):
        driver.create_share(None, evil, 'p1')


def test_bad_pool_entry(conf, tmp_path):
    config.register_backend_opts(conf, 'b2', local.LOCAL_OPTS)
    conf.set_override('local_pools', ['nopath'], group='b2')
    with pytest.raises(exceptions.InvalidInput):
        local.LocalShareDriver(conf, 'b2').pools()


def test_default_pools_live_under_state_path(conf):
    config.register_backend_opts(conf, 'b3', local.LOCAL_OPTS)
    drv = local.LocalShareDriver(conf, 'b3')
    base = os.path.join(conf.state_path, 'backends', 'b3')
    assert drv.pools() == {'pool1': os.path.join(base, 'pool1'),
                           'pool2': os.path.join(base, 'pool2')}
    drv.do_setup(None)
    drv.check_for_setup_error()
    stats = drv.get_share_stats()
    assert [p['pool_name'] for p in stats['pools']] == ['pool1', 'pool2']
    assert stats['replication_type'] == 'dr readable writable'
    assert stats['storage_protocol'] == 'NFS_CIFS'
    assert stats['snapshot_support'] is True
    assert isinstance(stats['pools'][0]['free_capacity_gb'], float)


@pytest.mark.parametrize('pools', [
    ['a:{tmp}/x', 'b:{tmp}/x/'],     # two names, one directory
    ['bad#name:{tmp}/y'],            # would break host@backend#pool
])
def test_setup_refuses_ambiguous_pools(conf, tmp_path, pools):
    config.register_backend_opts(conf, 'b4', local.LOCAL_OPTS)
    conf.set_override('local_pools', [p.format(tmp=tmp_path)
                                      for p in pools], group='b4')
    drv = local.LocalShareDriver(conf, 'b4')
    drv.do_setup(None)
    with pytest.raises(exceptions.InvalidInput):
        drv.check_for_setup_error()


def test_size_extend_and_shrink(driver):
    inst = _instance(size=1)
    inst.share_id = str(uuid.uuid4())
    driver.create_share(None, inst, 'p1')
    path = driver.share_path(inst)
    with open(os.path.join(path, 'a'), 'wb') as f:
        f.write(b'x' * 1000)
    os.link(os.path.join(path, 'a'), os.path.join(path, 'b'))
    assert driver.get_share_size(None, inst) == 1000
    driver.extend_share(None, inst, 4)
    assert driver.get_share_stats()['pools'][0][
        'allocated_capacity_gb'] == 4
    driver.shrink_share(None, inst, 2)
    assert driver.get_share_stats()['pools'][0][
        'allocated_capacity_gb'] == 2
    # Pretend the data grew past 1 GiB without writing a GiB.
    with open(os.path.join(path, 'sparse'), 'wb') as f:
        f.truncate(layout.GIB + 1)
    with pytest.raises(exceptions.ShareShrinkingPossibleDataLoss):
        driver.shrink_share(None, inst, 1)
    assert driver.get_share_stats()['pools'][0][
        'allocated_capacity_gb'] == 2


def test_snapshot_keeps_holes_and_hard_links(driver):
    inst = _instance()
    driver.create_share(None, inst, 'p1')
    path = driver.share_path(inst)
    with open(os.path.join(path, 'sparse'), 'wb') as f:
        f.truncate(64 * 1024 * 1024)
    with open(os.path.join(path, 'a'), 'w') as f:
        f.write('linked')
    os.link(os.path.join(path, 'a'), os.path.join(path, 'b'))
    snap = types.SimpleNamespace(id=str(uuid.uuid4()))
    loc = driver.create_snapshot(None, snap, inst)['provider_location']
    st = os.stat(os.path.join(loc, 'sparse'))
    assert st.st_size == 64 * 1024 * 1024
    assert st.st_blocks * 512 < 1024 * 1024
    a, b = (os.stat(os.path.join(loc, n)) for n in 'ab')
    assert a.st_ino == b.st_ino
    assert a.st_ino != os.stat(os.path.join(path, 'a')).st_ino


def test_failed_snapshot_leaves_nothing(driver):
    inst = _instance()
    snap = types.SimpleNamespace(id=str(uuid.uuid4()))
    # The share directory was never created: the copy must fail cleanly.
    with pytest.raises(exceptions.ShareBackendException):
        driver.create_snapshot(None, snap, inst)
    assert not os.path.exists(driver._snapshot_path(snap, inst))


def _migration_setup(driver, conf, tmp_path):
    config.register_backend_opts(conf, 'b2', local.LOCAL_OPTS)
    conf.set_override('local_pools', ['q1:%s' % (tmp_path / 'q1')],
                      group='b2')
    target = local.LocalShareDriver(conf, 'b2')
    target.do_setup(None)
    caps = target.get_share_stats()
    src = _instance()
    driver.create_share(None, src, 'p1')
    for i in range(20):
        with open(os.path.join(driver.share_path(src), 'f%d' % i),
                  'wb') as f:
            f.write(os.urandom(4096))
    dest = _instance()
    dest.host = 'n@b2#q1'
    return src, dest, caps


def _wait_continue(drv, src, dest):
    import time

    for _ in range(500):
        if drv.migration_continue(None, src, dest):
            return
        time.sleep(0.01)
    raise AssertionError('copy never finished')


@pytest.mark.parametrize('same_fs', [True, False])
def test_migration_survives_a_service_restart(driver, conf, tmp_path,
                                               same_fs):
    src, dest, caps = _migration_setup(driver, conf, tmp_path)
    assert driver.migration_check_compatibility(None, src, dest,
                                                caps)['compatible']
    before = {n: open(os.path.join(driver.share_path(src), n), 'rb').read()
              for n in os.listdir(driver.share_path(src))}
    driver.migration_start(None, src, dest, [], caps)
    record = driver._record_path(src, dest)
    if not same_fs:
        # Pretend the pools are on two file systems: the copy path.
        import json
        with open(record) as f:
            data = json.load(f)
        data['same_fs'] = False
        with open(record, 'w') as f:
            json.dump(data, f)
    # A new driver object is what a restarted share service has.
    restarted = local.LocalShareDriver(conf, 'b1')
    _wait_continue(restarted, src, dest)
    exports = restarted.migration_complete(None, src, dest)
    new_path = exports['export_locations'][1]['path']
    assert new_path.startswith(str(tmp_path / 'q1'))
    assert {n: open(os.path.join(new_path, n), 'rb').read()
            for n in os.listdir(new_path)} == before
    assert not os.path.exists(driver.share_path(src))
    assert not os.path.exists(record)


def test_migration_cancel_after_restart_removes_destination(driver, conf,
                                                            tmp_path):
    src, dest, caps = _migration_setup(driver, conf, tmp_path)
    driver.migration_start(None, src, dest, [], caps)
    restarted = local.LocalShareDriver(conf, 'b1')
    restarted.migration_cancel(None, src, dest)
    assert os.path.isdir(driver.share_path(src))
    assert not os.path.exists(driver._record_path(src, dest))


def test_driver_assisted_migration_can_be_declined(driver, conf,
                                                   tmp_path):
    """``local_driver_assisted_migration = false`` makes two local
    backends behave as two vendors: the driver declines every
    migration, so the share service goes host-assisted."""
    src, dest, caps = _migration_setup(driver, conf, tmp_path)
    assert driver.migration_check_compatibility(None, src, dest,
                                                caps)['compatible']
    conf.set_override('local_driver_assisted_migration', False,
                      group='b1')
    compat = driver.migration_check_compatibility(None, src, dest, caps)
    assert not compat['compatible']
    assert not any(compat.values())


def test_snapshot_rules_are_read_only_and_checked(driver, tmp_path):
    inst = _instance()
    driver.create_share(None, inst, 'p1')
    snap = types.SimpleNamespace(id=str(uuid.uuid4()))
    loc = driver.create_snapshot(None, snap, inst)['provider_location']
    # A rule asking rw is exported ro: a snapshot never changes.
    driver.snapshot_update_access(None, snap, inst,
                                  [_rule('10.0.0.0/24', 'rw')])
    text = (tmp_path / 'p1' / 'exports').read_text()
    assert '%s 10.0.0.0/24(ro)' % loc in text.splitlines()
    # A value that would add a client to the line is refused, and the
    # exports keep what they had.
    with pytest.raises(exceptions.ShareBackendException,
                       match='refusing to export snapshot %s' % snap.id):
        driver.snapshot_update_access(
            None, snap, inst, [_rule('10.0.0.1 *(rw,no_root_squash)')])
    assert (tmp_path / 'p1' / 'exports').read_text() == text
    driver.snapshot_update_access(None, snap, inst, [])
    assert loc not in (tmp_path / 'p1' / 'exports').read_text()
    driver.snapshot_update_access(None, snap, inst, [_rule('10.0.0.9')])
    driver.delete_snapshot(None, snap, inst)
    assert loc not in (tmp_path / 'p1' / 'exports').read_text()
