"""Share replicas across real processes (two share services, one per
zone, over RabbitMQ, on MariaDB): readable and dr replicas created,
synced, promoted, resynced and deleted, with the files compared on
disk at every step."""

import os
import time

import pytest

from tests import files


def _replica(d, replica_id, field, wanted):
    return d.wait_for('/v2/share-replicas/' + replica_id, 'share_replica',
                      field, wanted)


def _paths(d, replica_id):
    status, body = d.request(
        'GET', '/v2/share-replicas/%s/export-locations' % replica_id)
    assert status == 200, body
    return {el['is_admin_only']: el['path']
            for el in body['export_locations']}


def _replica_dir(d, replica):
    """A replica's directory: in the pool its host names."""
    backend, _sep, pool = replica['host'].partition('@')[2].partition('#')
    return os.path.join(d.workdir, backend, pool, 'shares',
                        'share-' + replica['id'])


def _write(path, name, data):
    full = os.path.join(path, name)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'wb') as f:
        f.write(data)


def _wait_equal(a, b, timeout=60):
    deadline = time.monotonic() + timeout
    while files.contents(a) != files.contents(b):
        assert time.monotonic() < deadline, 'trees never became equal'
        time.sleep(0.2)


@pytest.mark.parametrize('rtype', ['readable', 'dr'])
def test_replica_lifecycle(d, rtype):
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': rtype, 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': rtype}}})
    assert status == 200, body
    status, body = d.request('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': 'az1',
        'share_type': body['share_type']['id']}})
    assert status == 200, body
    share_id = body['share']['id']
    share = d.wait_for('/v2/shares/' + share_id, 'share', 'status',
                       'available')
    assert share['replication_type'] == rtype
    status, body = d.request('GET', '/v2/share-replicas?share_id=' +
                             share_id)
    first = body['share_replicas'][0]['id']
    active_dir = _paths(d, first)[True]
    for i in range(30):
        _write(active_dir, 'd%d/f%02d' % (i % 3, i), os.urandom(4096))

    # A replica in zone B, in sync, byte for byte.
    status, body = d.request('POST', '/v2/share-replicas', {
        'share_replica': {'share_id': share_id,
                          'availability_zone': 'az2'}})
    assert status == 202, body
    second = body['share_replica']['id']
    replica = _replica(d, second, 'replica_state', 'in_sync')
    assert replica['availability_zone'] == 'az2'
    assert replica['host'].split('@')[1].startswith('local2')
    replica_dir = _replica_dir(d, replica)
    assert files.contents(replica_dir) == files.contents(active_dir)
    exported = _paths(d, second)
    if rtype == 'dr':
        assert exported == {}
    else:
        assert exported[True] == replica_dir

    # More writes: out_of_sync, then in_sync again with the same bytes.
    _write(active_dir, 'later/new.bin', os.urandom(8192))
    os.unlink(os.path.join(active_dir, 'd0/f00'))
    _replica(d, second, 'replica_state', 'out_of_sync')
    _replica(d, second, 'replica_state', 'in_sync')
    assert files.contents(replica_dir) == files.contents(active_dir)

    # The active replica cannot be deleted.
    status, body = d.request('DELETE', '/v2/share-replicas/' + first)
    assert status == 400
    assert 'last active replica' in body['badRequest']['message']

    # Promote: roles, exports and read-only flags swap.
    status, body = d.request('POST', '/v2/share-replicas/%s/action'
                             % second, {'promote': None})
    assert status == 202, body
    _replica(d, second, 'replica_state', 'active')
    old = _replica(d, first, 'status', 'available')
    assert old['replica_state'] in ('out_of_sync', 'in_sync')
    assert old['cast_rules_to_readonly'] is (rtype == 'readable')
    new = _replica(d, second, 'status', 'available')
    assert new['cast_rules_to_readonly'] is False
    assert _paths(d, second)[True] == replica_dir
    assert bool(_paths(d, first)) is (rtype == 'readable')
    share = d.wait_for('/v2/shares/' + share_id, 'share', 'status',
                       'available')
    assert share['availability_zone'] == 'az2'

    # Resync carries writes on the new active back to the old one.
    _write(replica_dir, 'after-promote.txt', b'written in zone B')
    status, _ = d.request('POST', '/v2/share-replicas/%s/action' % first,
                          {'resync': None})
    assert status == 202
    _wait_equal(replica_dir, active_dir)

    # Delete the non-active replica: its directory goes.
    status, _ = d.request('DELETE', '/v2/share-replicas/' + first)
    assert status == 202
    _replica(d, first, 'status', None)
    assert not os.path.exists(active_dir)
    status, body = d.request('GET', '/v2/shares/' + share_id)
    assert body['share']['has_replicas'] is False
