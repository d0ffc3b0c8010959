"""Share replicas end to end in one process (the all-in-one stack: two
local backends in zones az1 and az2), moving real files."""

import os
import time

import pytest

from manila_lite.common import states
from tests.files import contents
from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for

V = '2.98'


def make_type(client, name, rtype):
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': {
            'driver_handles_share_servers': False,
            'snapshot_support': True,
            'replication_type': rtype}}}, version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def make_share(client, type_id, zone='az1'):
    resp = client('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': type_id,
        'availability_zone': zone}}, version=V)
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    share = wait_for(client, '/v2/shares/' + share_id, 'share', 'status',
                     'available')
    assert share['replication_type'] is not None
    return share_id


def replica_path(client, replica_id, share_id):
    """The replica's directory, from its admin export location or (for
    an unexported dr replica) next to where its backend keeps shares."""
    resp = client('GET', '/v2/share-replicas/%s/export-locations'
                  % replica_id, version=V)
    paths = [el['path'] for el in resp.json_body_or_none['export_locations']
             if el['is_admin_only']]
    if paths:
        return paths[0]
    replica = client('GET', '/v2/share-replicas/' + replica_id,
                     version=V).json_body_or_none['share_replica']
    backend = replica['host'].partition('@')[2].partition('#')
    return os.path.join(client.conf.state_path, 'backends', backend[0],
                        backend[2], 'shares', 'share-' + replica_id)


def wait_replica(client, replica_id, field, wanted, timeout=20):
    return wait_for(client, '/v2/share-replicas/' + replica_id,
                    'share_replica', field, wanted, timeout=timeout)


def write(path, name, data):
    with open(os.path.join(path, name), 'w') as f:
        f.write(data)


@pytest.fixture
def fast_sync(stack):
    stack.conf.set_override('replica_state_update_interval', 1)
    return stack


@pytest.mark.parametrize('rtype', ['readable', 'dr'])
def test_replica_lifecycle(fast_sync, rtype):
    client = fast_sync
    share_id = make_share(client, make_type(client, 'r-' + rtype, rtype))
    active_path = local_path(client, share_id)
    write(active_path, 'a.txt', 'first')
    os.mkdir(os.path.join(active_path, 'sub'))
    write(active_path, 'sub/b.txt', 'second')

    resp = client('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version=V)
    assert resp.status_int == 202, resp.body
    body = resp.json_body_or_none['share_replica']
    assert body['status'] == 'creating'
    assert body['cast_rules_to_readonly'] is (rtype == 'readable')
    replica_id = body['id']
    replica = wait_replica(client, replica_id, 'replica_state', 'in_sync')
    assert replica['availability_zone'] == 'az2'
    assert replica['last_sync_at'] is not None
    assert replica['sync_lag_seconds'] is not None
    rpath = replica_path(client, replica_id, share_id)
    assert contents(rpath) == contents(active_path)
    exports = client('GET', '/v2/share-replicas/%s/export-locations'
                     % replica_id, version=V).json_body_or_none
    public = [el for el in exports['export_locations']
              if not el['is_admin_only']]
    assert bool(public) is (rtype == 'readable')
    share = client('GET', '/v2/shares/' + share_id,
                   version=V).json_body_or_none['share']
    assert share['has_replicas'] is True

    # A change makes it out_of_sync, the next pass brings it back.
    write(active_path, 'c.txt', 'third')
    os.unlink(os.path.join(active_path, 'a.txt'))
    wait_replica(client, replica_id, 'replica_state', 'out_of_sync')
    wait_replica(client, replica_id, 'replica_state', 'in_sync')
    assert contents(rpath) == contents(active_path)

    # The active replica cannot be deleted; its promote is a no-op.
    replicas = client('GET', '/v2/share-replicas/detail?share_id=' +
                      share_id, version=V).json_body_or_none
    old_active = [r['id'] for r in replicas['share_replicas']
                  if r['replica_state'] == 'active'][0]
    resp = client('DELETE', '/v2/share-replicas/' + old_active, version=V)
    assert resp.status_int == 400
    assert 'last active replica' in resp.json_body_or_none[
        'badRequest']['message']
    assert client('POST', '/v2/share-replicas/%s/action' % old_active,
                  {'promote': None}, version=V).status_int == 200

    # Promote swaps the roles and the exports.
    resp = client('POST', '/v2/share-replicas/%s/action' % replica_id,
                  {'promote': None}, version=V)
    assert resp.status_int == 202, resp.body
    assert resp.json_body_or_none['share_replica']['status'] == \
        'replication_change'
    wait_replica(client, replica_id, 'replica_state', 'active')
    old = wait_replica(client, old_active, 'status', 'available')
    assert old['replica_state'] in ('out_of_sync', 'in_sync')
    assert old['cast_rules_to_readonly'] is (rtype == 'readable')
    share = client('GET', '/v2/shares/' + share_id,
                   version=V).json_body_or_none['share']
    assert share['availability_zone'] == 'az2'
    paths = [el['path'] for el in client(
        'GET', '/v2/shares/%s/export_locations' % share_id,
        version=V).json_body_or_none['export_locations']]
    assert rpath in paths
    old_exports = client('GET', '/v2/share-replicas/%s/export-locations'
                         % old_active, version=V).json_body_or_none
    assert bool(old_exports['export_locations']) is (rtype == 'readable')

    # The old active now follows the new one; resync forces a pass.
    write(rpath, 'after-promote.txt', 'fourth')
    resp = client('POST', '/v2/share-replicas/%s/action' % old_active,
                  {'resync': None}, version=V)
    assert resp.status_int == 202
    deadline = time.monotonic() + 20
    while contents(active_path) != contents(rpath):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    wait_replica(client, old_active, 'replica_state', 'in_sync')

    # Delete the non-active replica: its files go.
    assert client('DELETE', '/v2/share-replicas/' + old_active,
                  version=V).status_int == 202
    wait_replica(client, old_active, 'status', None)
    assert not os.path.exists(active_path)
    share = client('GET', '/v2/shares/' + share_id,
                   version=V).json_body_or_none['share']
    assert share['has_replicas'] is False
    assert client('DELETE', '/v2/shares/' + share_id,
                  version=V).status_int == 202


def test_writable_replicas_converge(fast_sync):
    client = fast_sync
    share_id = make_share(client, make_type(client, 'w', 'writable'))
    a = local_path(client, share_id)
    write(a, 'one.txt', '1')
    resp = client('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version=V)
    replica_id = resp.json_body_or_none['share_replica']['id']
    replica = wait_replica(client, replica_id, 'status', 'available')
    assert replica['replica_state'] == states.REPLICA_STATE_ACTIVE
    b = replica_path(client, replica_id, share_id)
    assert contents(a) == contents(b)
    # Writes on both sides, and a delete, converge.
    write(a, 'from-a.txt', 'A')
    write(b, 'from-b.txt', 'B')
    os.unlink(os.path.join(b, 'one.txt'))
    deadline = time.monotonic() + 20
    while True:
        ca, cb = contents(a), contents(b)
        if ca == cb and 'from-b.txt' in ca and 'from-a.txt' in cb:
            break
        assert time.monotonic() < deadline, (ca, cb)
        time.sleep(0.1)
    assert 'one.txt' not in contents(a)


def test_snapshots_follow_replicas(fast_sync):
    from manila_lite.common import context
    from manila_lite.db import api as db

    client = fast_sync
    ctx = context.get_admin_context()
    share_id = make_share(client, make_type(client, 'rs', 'readable'))
    active_path = local_path(client, share_id)
    write(active_path, 'v1.txt', 'one')

    def snapshot(name):
        resp = client('POST', '/v2/snapshots', {'snapshot': {
            'share_id': share_id, 'name': name}}, version=V)
        assert resp.status_int == 202, resp.body
        snap_id = resp.json_body_or_none['snapshot']['id']
        wait_for(client, '/v2/snapshots/' + snap_id, 'snapshot', 'status',
                 'available')
        return snap_id

    def copies(replica_id, timeout=20):
        """``{snapshot id: files}`` of the replica's snapshot copies,
        once every instance there is available."""
        deadline = time.monotonic() + timeout
        while True:
            insts = db.snapshot_instance_get_all_by_share_instance(
                ctx, replica_id)
            if insts and all(i.status == 'available' for i in insts):
                return {i.snapshot_id: contents(i.provider_location)
                        for i in insts}
            assert time.monotonic() < deadline, insts
            time.sleep(0.1)

    before = snapshot('before')
    write(active_path, 'v2.txt', 'two')
    resp = client('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version=V)
    replica_id = resp.json_body_or_none['share_replica']['id']
    wait_replica(client, replica_id, 'replica_state', 'in_sync')
    assert copies(replica_id) == {before: {'v1.txt': b'one'}}

    after = snapshot('after')
    deadline = time.monotonic() + 20
    while len(db.snapshot_instance_get_all_by_share_instance(
            ctx, replica_id)) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    found = copies(replica_id)
    assert found[after] == {'v1.txt': b'one', 'v2.txt': b'two'}
    paths = [i.provider_location for i in
             db.snapshot_instance_get_all_by_share_instance(ctx, replica_id)]

    for snap_id in (before, after):
        assert client('DELETE', '/v2/snapshots/' + snap_id,
                      version=V).status_int == 202
        wait_for(client, '/v2/snapshots/' + snap_id, 'snapshot', 'status',
                 None)
    assert not any(os.path.exists(p) for p in paths)
