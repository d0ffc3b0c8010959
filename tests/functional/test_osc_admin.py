"""The real ``openstack share pool ...``, ``share instance ...`` and
snapshot admin commands (python-manilaclient) against the
multi-process deployment, without Keystone."""

import json
import os
import time

from tests.functional.test_migration import _local
from tests.functional.test_osc import openstack
from tests.functional.test_osc import wait_field


def _json(d, *args):
    return json.loads(openstack(d, *args, '-f', 'json'))


def test_share_pool_list(d):
    pools = _json(d, 'share', 'pool', 'list')
    names = sorted(p['Name'] for p in pools)
    assert names == ['%s@local%d#pool%d' % (d.host, b, p)
                     for b in (1, 2) for p in (1, 2)], pools
    assert {p['Host'] for p in pools} == {d.host}
    assert {p['Backend'] for p in pools} == {'local1', 'local2'}
    # Regex filters, as upstream.
    one = _json(d, 'share', 'pool', 'list', '--backend', '^local2$',
                '--pool', '^pool1$')
    assert [p['Name'] for p in one] == ['%s@local2#pool1' % d.host]
    detail = _json(d, 'share', 'pool', 'list', '--detail')
    caps = detail[0]['Capabilities']
    assert caps['storage_protocol'] == 'NFS_CIFS', caps
    assert caps['driver_handles_share_servers'] is False
    assert {p['Capabilities']['availability_zone'] for p in detail} == {
        'az1', 'az2'}
    # By share type (2.23): the CLI resolves the name to its id.
    openstack(d, 'share', 'type', 'create', 'nowhere', 'false',
              '--extra-specs', 'share_backend_name=nowhere')
    assert _json(d, 'share', 'pool', 'list', '--share-type',
                 'nowhere') == []
    assert len(_json(d, 'share', 'pool', 'list', '--share-type',
                     'default', '--detail')) == 4


def _wait_gone(d, *show, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = openstack(d, *show)
        if not listed:
            return
        time.sleep(0.5)
    raise AssertionError('%s still lists %s' % (show, listed))


def test_share_instance_commands(d):
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'si1',
                         '--availability-zone', 'az1', '-f', 'value',
                         '-c', 'id')
    wait_field(d, 'si1', 'status', 'available')
    path = _local(d, share_id)
    listed = _json(d, 'share', 'instance', 'list', '--share', share_id)
    assert len(listed) == 1, listed
    instance_id = listed[0]['ID']
    assert listed[0]['Share ID'] == share_id
    assert instance_id in openstack(d, 'share', 'instance', 'list', '-f',
                                    'value', '-c', 'ID')
    shown = _json(d, 'share', 'instance', 'show', instance_id)
    assert shown['share_id'] == share_id
    assert shown['host'].startswith(d.host + '@local1#')
    assert shown['status'] == 'available'
    paths = [el['path'] for el in shown['export_locations']]
    assert path in paths, shown
    # --export-location: the path (or the id) of one of its locations.
    by_path = _json(d, 'share', 'instance', 'list', '--export-location',
                    path)
    assert [i['ID'] for i in by_path] == [instance_id]
    openstack(d, 'share', 'instance', 'set', instance_id, '--status',
              'error')
    assert openstack(d, 'share', 'instance', 'show', instance_id, '-f',
                     'value', '-c', 'status') == 'error'
    assert openstack(d, 'share', 'show', share_id, '-f', 'value', '-c',
                     'status') == 'error'
    openstack(d, 'share', 'instance', 'delete', instance_id, '--wait')
    _wait_gone(d, 'share', 'list', '--name', 'si1', '-f', 'value',
               '-c', 'ID')
    assert not os.path.exists(path)


def test_snapshot_admin_commands(d):
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'sn1',
                         '-f', 'value', '-c', 'id')
    wait_field(d, 'sn1', 'status', 'available')
    snap_id = openstack(d, 'share', 'snapshot', 'create', share_id,
                        '--name', 'snap1', '--wait', '-f', 'value',
                        '-c', 'id')
    openstack(d, 'share', 'snapshot', 'set', snap_id, '--status',
              'error_deleting')
    assert openstack(d, 'share', 'snapshot', 'show', snap_id, '-f',
                     'value', '-c', 'status') == 'error_deleting'
    openstack(d, 'share', 'snapshot', 'delete', snap_id, '--force',
              '--wait')
    _wait_gone(d, 'share', 'snapshot', 'list', '--name', 'snap1', '-f',
               'value', '-c', 'ID')
    openstack(d, 'share', 'delete', share_id, '--wait')
