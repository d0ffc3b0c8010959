"""Revert to snapshot (2.27) through the API of the all-in-one stack
(two local backends, real directories): the share's bytes equal the
snapshot's afterwards, links in the share are never followed, the size
is the snapshot's, and every refusal answers upstream's code and
message."""

import json
import os
import time

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests.files import contents
from tests.unit import rows
from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for
from tests.unit.test_resize import act
from tests.unit.test_resize import fault
from tests.unit.test_resize import make_share

V = '2.98'
TIMEOUT = 60


def revert_type(client, name='revertible', **specs):
    extra = {'driver_handles_share_servers': False,
             'snapshot_support': True, 'revert_to_snapshot_support': True}
    extra.update(specs)
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': extra}}, version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def snapshot(client, share_id):
    resp = client('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share_id}}, version=V)
    assert resp.status_int == 202, resp.body
    snap_id = resp.json_body_or_none['snapshot']['id']
    wait_for(client, '/v2/snapshots/' + snap_id, 'snapshot', 'status',
             'available', timeout=TIMEOUT)
    return snap_id


def revert(client, share_id, snap_id, version=V):
    return act(client, share_id, {'revert': {'snapshot_id': snap_id}},
               version=version)


def write(path, name, data):
    full = os.path.join(path, name)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'wb') as f:
        f.write(data)
    return full


def test_revert_makes_the_share_bytes_the_snapshots(stack, tmp_path):
    share_id = make_share(stack, type_id=revert_type(stack))
    path = local_path(stack, share_id)
    write(path, 'a.txt', b'alpha')
    write(path, 'dir/b.bin', os.urandom(70000))
    before = contents(path)
    snap_id = snapshot(stack, share_id)

    # Change everything after the snapshot: a file rewritten with the
    # same size and mtime (only the checksum tells), one removed, one
    # added, and a symlink that points out of the share.
    a = os.path.join(path, 'a.txt')
    st = os.stat(a)
    with open(a, 'r+b') as f:
        f.write(b'ALPHA')
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.remove(os.path.join(path, 'dir', 'b.bin'))
    write(path, 'new.txt', b'not in the snapshot')
    outside = tmp_path / 'outside'
    outside.mkdir()
    (outside / 'keep.txt').write_bytes(b'outside')
    os.symlink(str(outside), os.path.join(path, 'escape'))
    resp = act(stack, share_id, {'extend': {'new_size': 2}})
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'size', 2,
             timeout=TIMEOUT)
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available', timeout=TIMEOUT)

    resp = revert(stack, share_id, snap_id)
    assert resp.status_int == 202, resp.body
    share = wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
                     'available', timeout=TIMEOUT)
    assert share['size'] == 1
    assert not os.path.lexists(os.path.join(path, 'escape'))
    assert contents(path) == before
    # Nothing outside the share was touched through the link.
    assert (outside / 'keep.txt').read_bytes() == b'outside'
    # The share is writable again, its quota the snapshot's.
    write(path, 'after.txt', b'x')
    with open(path + '.json') as f:
        assert json.load(f)['size'] == 1
    snap = stack('GET', '/v2/snapshots/' + snap_id, version=V)
    assert snap.json_body_or_none['snapshot']['status'] == 'available'


def test_revert_refusals_answer_as_upstream(stack):
    type_id = revert_type(stack)
    share_id = make_share(stack, type_id=type_id)
    other_id = make_share(stack, type_id=type_id)
    first = snapshot(stack, share_id)
    latest = snapshot(stack, share_id)
    ctx = context.get_admin_context()
    # created_at decides "latest"; make the order certain.
    db_api.snapshot_update(ctx, first, {
        'created_at': db_api.snapshot_get(ctx, latest).created_at.replace(
            year=2000)})

    fault(revert(stack, share_id, first), 409,
          'may not be restored because it is not the most recent '
          'snapshot of share %s. Currently the latest snapshot is %s.'
          % (share_id, latest))
    fault(revert(stack, share_id, other_id), 400,
          'Snapshot %s could not be found.' % other_id)
    fault(revert(stack, other_id, latest), 400,
          'Snapshot %s is not associated with share %s.'
          % (latest, other_id))
    assert revert(stack, share_id, latest, version='2.26').status_int == 404

    plain_id = make_share(stack)
    plain_snap = snapshot(stack, plain_id)
    fault(revert(stack, plain_id, plain_snap), 400,
          'because the share does not have that capability.')

    resp = act(stack, share_id, {'reset_status': {'status': 'error'}})
    assert resp.status_int == 202
    fault(revert(stack, share_id, latest), 409,
          "Share %s is in 'error' state, but it must be in 'available' "
          "state to be reverted to a snapshot." % share_id)
    act(stack, share_id, {'reset_status': {'status': 'available'}})

    resp = stack('POST', '/v2/snapshots/%s/action' % latest,
                 {'reset_status': {'status': 'error'}}, version=V)
    assert resp.status_int == 202, resp.body
    fault(revert(stack, share_id, latest), 409,
          "Snapshot %s is in 'error' state, but it must be in "
          "'available' state to be restored." % latest)
    stack('POST', '/v2/snapshots/%s/action' % latest,
          {'reset_status': {'status': 'available'}}, version=V)

    rows.share_update(ctx, share_id, {
        'task_state': states.TASK_STATE_DATA_COPYING_IN_PROGRESS})
    fault(revert(stack, share_id, latest), 409,
          'Share %s may not be reverted while it has an active task.'
          % share_id)
    rows.share_update(ctx, share_id, {'task_state': None})

    db_api.share_update(ctx, share_id, {'is_soft_deleted': True})
    fault(revert(stack, share_id, latest), 403,
          "Share '%s cannot revert to snapshot, since it has been soft "
          "deleted." % share_id)
    db_api.share_update(ctx, share_id, {'is_soft_deleted': False})

    # None of the refusals changed anything: the revert goes through.
    resp = revert(stack, share_id, latest)
    assert resp.status_int == 202
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available', timeout=TIMEOUT)


def test_a_failed_revert_ends_in_reverting_error_with_a_message(stack):
    share_id = make_share(stack, type_id=revert_type(stack))
    snap_id = snapshot(stack, share_id)
    ctx = context.get_admin_context()
    location = db_api.snapshot_get(ctx, snap_id).instance.provider_location
    assert os.path.isdir(location)
    # The snapshot's files vanish behind the service's back.
    os.chmod(location, 0o700)
    for name in os.listdir(location):
        os.remove(os.path.join(location, name))
    os.rmdir(location)

    assert revert(stack, share_id, snap_id).status_int == 202
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             states.STATUS_REVERTING_ERROR, timeout=TIMEOUT)
    wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot', 'status',
             'available', timeout=TIMEOUT)
    msgs = stack('GET', '/v2/messages?resource_id=%s' % share_id,
                 version=V).json_body_or_none['messages']
    assert [m['action_id'] for m in msgs] == ['006']


def _replicated(client, rtype):
    type_id = revert_type(client, name='revert-' + rtype,
                          replication_type=rtype)
    share_id = make_share(client, type_id=type_id)
    resp = client('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version=V)
    assert resp.status_int == 202, resp.body
    replica_id = resp.json_body_or_none['share_replica']['id']
    wait_for(client, '/v2/share-replicas/' + replica_id, 'share_replica',
             'status', 'available', timeout=TIMEOUT)
    return share_id, replica_id


def test_a_readable_replica_follows_the_reverted_share(stack):
    stack.conf.set_override('replica_state_update_interval', 1)
    share_id, replica_id = _replicated(stack, 'readable')
    path = local_path(stack, share_id)
    write(path, 'a.txt', b'at snapshot time')
    snap_id = snapshot(stack, share_id)
    write(path, 'a.txt', b'written later')
    wait_for(stack, '/v2/share-replicas/' + replica_id, 'share_replica',
             'replica_state', 'in_sync', timeout=TIMEOUT)

    assert revert(stack, share_id, snap_id).status_int == 202
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available', timeout=TIMEOUT)
    assert contents(path) == {'a.txt': b'at snapshot time'}
    replica = stack('GET', '/v2/share-replicas/%s/export-locations'
                    % replica_id, version=V).json_body_or_none
    replica_dir, = [el['path'] for el in replica['export_locations']
                    if el['is_admin_only']]
    # The replica was marked out_of_sync; the periodic sync brings it
    # to the reverted content.
    deadline = time.monotonic() + TIMEOUT
    while contents(replica_dir) != {'a.txt': b'at snapshot time'}:
        assert time.monotonic() < deadline, contents(replica_dir)
        time.sleep(0.1)
    wait_for(stack, '/v2/share-replicas/' + replica_id, 'share_replica',
             'replica_state', 'in_sync', timeout=TIMEOUT)

def test_a_share_with_writable_replicas_is_refused(stack):
    share_id, _replica_id = _replicated(stack, 'writable')
    snap_id = snapshot(stack, share_id)
    fault(revert(stack, share_id, snap_id), 400,
          'has writable replicas, which manila_lite cannot revert '
          'together')
