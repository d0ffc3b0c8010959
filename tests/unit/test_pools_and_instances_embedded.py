"""The pools list and the admin instance actions against the
all-in-one stack (two local backends in az1 and az2): the pools are the
real local driver's, and force deletes remove real directories."""

import os

from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for

V = '2.98'


def _share(stack):
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': 'az1'}},
        version=V)
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    return wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
                    'available')


def test_pools_are_those_shares_land_on(stack):
    share = _share(stack)
    resp = stack('GET', '/v2/scheduler-stats/pools/detail', version=V)
    pools = resp.json_body_or_none['pools']
    by_name = {p['name']: p for p in pools}
    assert share['host'] in by_name
    pool = by_name[share['host']]
    host, backend_pool = share['host'].split('@')
    assert (pool['host'], pool['backend'] + '#' + pool['pool']) == (
        host, backend_pool)
    caps = pool['capabilities']
    assert caps['storage_protocol'] == 'NFS_CIFS'
    assert caps['driver_handles_share_servers'] is False
    assert caps['replication_domain']
    assert caps['availability_zone'] == 'az1'
    zones = {p['capabilities']['availability_zone'] for p in pools}
    assert zones == {'az1', 'az2'}


def test_force_delete_instance_removes_share_and_directory(stack):
    share = _share(stack)
    path = local_path(stack, share['id'])
    assert os.path.isdir(path)
    instances = stack('GET', '/v2/shares/%s/instances' % share['id'],
                      version=V).json_body_or_none['share_instances']
    assert len(instances) == 1
    inst_id = instances[0]['id']
    resp = stack('POST', '/v2/share_instances/%s/action' % inst_id,
                 {'reset_status': {'status': 'error_deleting'}}, version=V)
    assert resp.status_int == 202
    wait_for(stack, '/v2/share_instances/' + inst_id, 'share_instance',
             'status', 'error_deleting')
    resp = stack('POST', '/v2/share_instances/%s/action' % inst_id,
                 {'force_delete': None}, version=V)
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/share_instances/' + inst_id, 'share_instance',
             'status', None)
    assert stack('GET', '/v2/shares/' + share['id'],
                 version=V).status_int == 404
    assert not os.path.exists(path)


def test_force_delete_snapshot_in_error_deleting(stack):
    share = _share(stack)
    resp = stack('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share['id']}}, version=V)
    assert resp.status_int == 202, resp.body
    snap_id = resp.json_body_or_none['snapshot']['id']
    wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot', 'status',
             'available')
    insts = stack('GET', '/v2/snapshot-instances?snapshot_id=' + snap_id,
                  version=V).json_body_or_none['snapshot_instances']
    resp = stack('POST', '/v2/snapshot-instances/%s/action' % insts[0]['id'],
                 {'reset_status': {'status': 'error_deleting'}}, version=V)
    assert resp.status_int == 202
    resp = stack('POST', '/v2/snapshots/%s/action' % snap_id,
                 {'force_delete': None}, version=V)
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot', 'status', None)
    assert stack('GET', '/v2/snapshot-instances/' + insts[0]['id'],
                 version=V).status_int == 404
