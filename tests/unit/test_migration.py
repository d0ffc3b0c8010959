"""Share migration end to end in the embedded suite: driver-assisted
between local backends, host-assisted through the data service, cancel,
and upstream's refusals."""

import os
import time

import pytest

from tests import files
from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for

V = '2.98'


def _share(stack, zone='az1', count=5):
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': zone}},
        version=V)
    share_id = resp.json_body_or_none['share']['id']
    share = wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
                     'available')
    path = local_path(stack, share_id)
    for i in range(count):
        with open(os.path.join(path, 'f%d' % i), 'wb') as f:
            f.write(os.urandom(1000 + i))
    return share, path


def _action(stack, share_id, body, version=V, **kw):
    return stack('POST', '/v2/shares/%s/action' % share_id, body,
                 version=version, **kw)


def _start(stack, share_id, host, **flags):
    body = {'host': host, 'writable': False, 'preserve_metadata': False,
            'nondisruptive': False, 'preserve_snapshots': False}
    body.update(flags)
    return _action(stack, share_id, {'migration_start': body})


def _dest(stack, backend='local2', pool='pool1'):
    return '%s@%s#%s' % (stack.conf.host, backend, pool)


def test_driver_assisted_keeps_data_and_snapshots(stack):
    share, path = _share(stack)
    before = files.contents(path)
    resp = stack('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share['id']}}, version=V)
    snap_id = resp.json_body_or_none['snapshot']['id']
    wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot', 'status',
             'available')
    resp = _start(stack, share['id'], _dest(stack), writable=True,
                  preserve_snapshots='True', preserve_metadata=True)
    assert resp.status_int == 202, resp.body
    shown = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                     'task_state', 'migration_driver_phase1_done')
    assert shown['migration_progress'] == 100
    member_view = stack.member('GET', '/v2/shares/' + share['id'],
                               version=V, token='admin:admin')
    assert 'migration_progress' not in member_view.json_body_or_none[
        'share']
    resp = stack('GET', '/v2/shares/%s/migration-progress' % share['id'],
                 version=V)
    assert resp.json_body_or_none == {
        'total_progress': 100, 'details': {},
        'task_state': 'migration_driver_phase1_done'}
    resp = _action(stack, share['id'], {'migration_get_progress': None},
                   version='2.97')
    assert resp.json_body_or_none['total_progress'] == 100
    assert _action(stack, share['id'], {'migration_get_progress': None},
                   version='2.98').status_int == 404
    assert _action(stack, share['id'], {'migration_complete': None}
                   ).status_int == 202
    moved = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                     'task_state', 'migration_success')
    assert moved['host'] == _dest(stack)
    assert moved['status'] == 'available'
    new_path = local_path(stack, share['id'])
    assert new_path != path and not os.path.exists(path)
    assert files.contents(new_path) == before
    snap = wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot',
                    'status', 'available')
    assert snap['share_id'] == share['id']


def test_host_assisted_copies_then_switches(stack):
    share, path = _share(stack, count=40)
    before = files.contents(path)
    resp = _start(stack, share['id'], _dest(stack, 'local2', 'pool2'),
                  force_host_assisted_migration='True')
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'data_copying_completed')
    assert files.contents(path) == before  # source untouched until phase 2
    assert _action(stack, share['id'], {'migration_complete': None}
                   ).status_int == 202
    moved = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                     'task_state', 'migration_success')
    assert moved['host'] == _dest(stack, 'local2', 'pool2')
    assert files.contents(local_path(stack, share['id'])) == before
    assert not os.path.exists(path)


def test_cancel_after_copy_restores_the_source(stack):
    share, path = _share(stack)
    before = files.contents(path)
    _start(stack, share['id'], _dest(stack),
           force_host_assisted_migration=True)
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'data_copying_completed')
    assert _action(stack, share['id'], {'migration_cancel': None}
                   ).status_int == 202
    back = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                    'task_state', 'migration_cancelled')
    assert back['status'] == 'available'
    assert back['host'].startswith(stack.conf.host + '@local1#')
    assert local_path(stack, share['id']) == path
    assert files.contents(path) == before
    deadline = time.monotonic() + 10
    while True:
        resp = stack('GET', '/v2/shares/' + share['id'], version=V)
        dest_dirs = [
            d for d in os.listdir(os.path.join(
                stack.conf.state_path, 'backends', 'local2', 'pool1',
                'shares')) if not d.endswith('.json')]
        if not dest_dirs:
            break
        assert time.monotonic() < deadline, dest_dirs
        time.sleep(0.05)
    assert resp.status_int == 200


def test_same_host_is_a_noop(stack):
    share, _path = _share(stack, count=0)
    resp = _start(stack, share['id'], share['host'])
    assert resp.status_int == 200
    got = stack('GET', '/v2/shares/' + share['id'], version=V)
    assert got.json_body_or_none['share']['task_state'] == (
        'migration_success')


@pytest.mark.parametrize('version,headers,status', [
    ('2.28', {'X-OpenStack-Manila-API-Experimental': 'True'}, 404),
    ('2.50', {}, 404),
    ('2.50', {'X-OpenStack-Manila-API-Experimental': 'True'}, 400),
    ('2.96', {}, 400),
])
def test_versions_and_experimental_rule(stack, version, headers,  # noqa
                                        status):
    share, _path = _share(stack, count=0)
    # An invalid flag value is a 400 once the action is reachable.
    resp = _action(stack, share['id'], {'migration_start': {
        'host': 'x', 'writable': 'maybe', 'preserve_metadata': False,
        'nondisruptive': False, 'preserve_snapshots': False}},
        version=version, headers=headers)
    assert resp.status_int == status


def test_refusals(stack):
    share, _path = _share(stack, count=0)
    resp = _start(stack, share['id'], 'nowhere@nothing#pool')
    assert resp.status_int == 404
    assert 'itemNotFound' in resp.json_body_or_none
    resp = _start(stack, share['id'], _dest(stack),
                  force_host_assisted_migration=True, writable=True)
    assert resp.status_int == 400
    resp = _action(stack, share['id'], {'migration_complete': None})
    assert resp.status_int == 400
    resp = stack.member('POST', '/v2/shares/%s/action' % share['id'],
                        {'migration_cancel': None}, version=V)
    assert resp.status_int == 403
    assert _action(stack, share['id'], {'reset_task_state': {
        'task_state': 'migration_in_progress'}}).status_int == 202
    resp = _start(stack, share['id'], _dest(stack))
    assert resp.status_int == 400  # busy
    assert _action(stack, share['id'], {'reset_task_state': {
        'task_state': None}}).status_int == 202
    assert _action(stack, share['id'], {'reset_task_state': {
        'task_state': 'bogus'}}).status_int == 400


def test_lost_copy_cast_is_sent_again(stack, monkeypatch):
    # The request for the copy job is lost (the share service died
    # after setting data_copying_starting, or the broker dropped it): a
    # later poll asks again, and the data service records one job.
    from manila_lite.common import context
    from manila_lite.data import rpcapi as data_rpcapi
    from manila_lite.db import api as db_api

    real = data_rpcapi.DataAPI.create_copy_job
    sent = []

    def lossy(self, ctx, share_id, *args):
        sent.append(share_id)
        if len(sent) > 1:
            real(self, ctx, share_id, *args)

    monkeypatch.setattr(data_rpcapi.DataAPI, 'create_copy_job', lossy)
    share, path = _share(stack)
    before = files.contents(path)
    resp = _start(stack, share['id'], _dest(stack),
                  force_host_assisted_migration=True)
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'data_copying_completed', timeout=30)
    assert len(sent) >= 2 and set(sent) == {share['id']}
    jobs = db_api.data_copy_job_get_all(context.get_admin_context(),
                                        share_id=share['id'])
    assert len(jobs) == 1
    assert _action(stack, share['id'],
                   {'migration_complete': None}).status_int == 202
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'migration_success', timeout=30)
    assert files.contents(local_path(stack, share['id'])) == before


def test_force_delete_during_a_copy_cancels_it_and_removes_the_destination(
        stack, monkeypatch):
    # Issue #17 finding 6: the copy went on writing into the destination
    # while it was being removed, which stayed behind with its sidecar.
    from manila_lite.common import context
    from manila_lite.common import states
    from manila_lite.db import api as db

    real = os.copy_file_range

    def slow(*args):
        time.sleep(0.01)
        return real(*args)

    monkeypatch.setattr(os, 'copy_file_range', slow)
    share, _path = _share(stack, count=400)
    _start(stack, share['id'], _dest(stack, 'local2', 'pool2'),
           force_host_assisted_migration=True)
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'data_copying_in_progress', timeout=30)
    dest_root = os.path.join(stack.conf.state_path, 'backends', 'local2',
                             'pool2', 'shares')
    deadline = time.monotonic() + 20
    while not any(os.listdir(os.path.join(dest_root, d))
                  for d in os.listdir(dest_root)
                  if not d.endswith('.json')):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert _action(stack, share['id'], {'force_delete': None}
                   ).status_int == 202
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'status', None,
             timeout=30)
    ctx = context.get_admin_context()
    job, = db.data_copy_job_get_all(ctx, share_id=share['id'])
    assert job.state == states.JOB_CANCELLED
    # The copy has stopped: nothing of the destination stays or comes.
    time.sleep(0.2)
    assert os.listdir(dest_root) == []
