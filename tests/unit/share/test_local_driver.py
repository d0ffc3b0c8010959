"""The local driver on real directories."""

import os
import types
import uuid

import pytest

from manila_lite.common import config
from manila_lite.common import exceptions
from manila_lite.share.drivers import local


@pytest.fixture
def driver(conf, tmp_path):
    config.register_backend_opts(conf, 'b1', local.LOCAL_OPTS)
    conf.set_override('local_pools', ['p1:%s' % (tmp_path / 'p1')],
                      group='b1')
    drv = local.LocalShareDriver(conf, 'b1')
    drv.do_setup(None)
    return drv


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
