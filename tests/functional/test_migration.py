"""Share migration across real processes over RabbitMQ on MariaDB:
driver-assisted with a snapshot, host-assisted with a new type, cancel,
and a data service killed with SIGKILL in the middle of the copy."""

import os
import signal
import time

from tests import files


def _share(d, zone='az1', count=20, size=2048, share_type=None):
    extra = {'share_type': share_type} if share_type else {}
    status, body = d.request('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': zone,
        **extra}})
    assert status == 200, body
    share = d.wait_for('/v2/shares/' + body['share']['id'], 'share',
                       'status', 'available')
    path = _local(d, share['id'])
    for i in range(count):
        sub = os.path.join(path, 'd%02d' % (i % 20))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, 'f%05d' % i), 'wb') as f:
            f.write(os.urandom(size))
    return share, path


def _local(d, share_id):
    _, body = d.request('GET', '/v2/shares/%s/export_locations' % share_id)
    return [el['path'] for el in body['export_locations']
            if el['is_admin_only']][0]


def _act(d, share_id, body):
    return d.request('POST', '/v2/shares/%s/action' % share_id, body)


def _start(d, share_id, host, **flags):
    body = {'host': host, 'writable': 'False', 'preserve_metadata': 'False',
            'nondisruptive': 'False', 'preserve_snapshots': 'False'}
    body.update(flags)
    return _act(d, share_id, {'migration_start': body})


def test_driver_assisted_between_pools_keeps_snapshot(d):
    share, path = _share(d)
    before = files.contents(path)
    status, body = d.request('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share['id']}})
    snap = d.wait_for('/v2/snapshots/' + body['snapshot']['id'],
                      'snapshot', 'status', 'available')
    dest = '%s@local1#pool2' % d.host
    status, body = _start(d, share['id'], dest, preserve_snapshots='True',
                          writable='True', preserve_metadata='True')
    assert status == 202, body
    d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
               'migration_driver_phase1_done')
    assert _act(d, share['id'], {'migration_complete': None})[0] == 202
    moved = d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                       'migration_success')
    assert (moved['host'], moved['status']) == (dest, 'available')
    assert files.contents(_local(d, share['id'])) == before
    assert not os.path.exists(path)
    d.wait_for('/v2/snapshots/' + snap['id'], 'snapshot', 'status',
               'available')


def test_host_assisted_to_another_backend_with_new_type(d):
    share, path = _share(d, count=300)
    # Plus 512 MiB in large files, so progress has room to grow.
    block = os.urandom(1024 * 1024)
    for i in range(32):
        with open(os.path.join(path, 'big%02d' % i), 'wb') as f:
            for _ in range(16):
                f.write(block)
    before = files.contents(path)
    dest = '%s@local2#pool1' % d.host
    status, body = _start(d, share['id'], dest,
                          force_host_assisted_migration='True',
                          new_share_type_id=d.type_gold)
    assert status == 202, body
    progress, admin_field = [], []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, body = d.request(
            'GET', '/v2/shares/%s/migration-progress' % share['id'])
        assert status == 200, body
        progress.append(body['total_progress'])
        _, shown = d.request('GET', '/v2/shares/' + share['id'])
        if 'migration_progress' in shown['share']:
            admin_field.append(shown['share']['migration_progress'])
        if body['task_state'] == 'data_copying_completed':
            break
        time.sleep(0.05)
    assert progress[0] < 100 and progress[-1] == 100
    assert progress == sorted(progress)
    assert admin_field and admin_field == sorted(admin_field)
    assert admin_field[-1] == 100
    assert _act(d, share['id'], {'migration_complete': None})[0] == 202
    moved = d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                       'migration_success')
    assert moved['host'] == dest
    assert moved['share_type'] == d.type_gold
    assert files.contents(_local(d, share['id'])) == before
    d.wait_for('/v2/shares/' + share['id'], 'share', 'status', 'available')


def test_cancel_during_copy_keeps_the_source(d):
    share, path = _share(d, count=3000, size=1024)
    before = files.contents(path)
    _start(d, share['id'], '%s@local2#pool2' % d.host,
           force_host_assisted_migration='True')
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, body = d.request('GET', '/v2/shares/' + share['id'])
        if body['share']['task_state'] in ('data_copying_in_progress',
                                           'data_copying_completed'):
            break
        time.sleep(0.02)
    assert _act(d, share['id'], {'migration_cancel': None})[0] == 202
    back = d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                      'migration_cancelled')
    assert back['status'] == 'available'
    assert back['host'].startswith(d.host + '@local1#')
    assert _local(d, share['id']) == path
    assert files.contents(path) == before


def test_data_service_killed_mid_copy_then_restarted(d):
    from manila_lite.common import context
    from manila_lite.common import states
    from manila_lite.db import api as db_api

    share, path = _share(d, count=3000, size=1024)
    block = os.urandom(1024 * 1024)
    for i in range(24):
        with open(os.path.join(path, 'big%02d' % i), 'wb') as f:
            for _ in range(16):
                f.write(block)
    before = files.contents(path)
    conf = d.client_conf()
    db_api.configure(conf)
    ctx = context.get_admin_context()
    try:
        _start(d, share['id'], '%s@local2#pool1' % d.host,
               force_host_assisted_migration='True')
        # Kill as soon as the data service is copying (read from the
        # database: the share's task_state only moves at the next poll).
        deadline = time.monotonic() + 60
        job = None
        while time.monotonic() < deadline:
            jobs = db_api.data_copy_job_get_all(ctx, share_id=share['id'])
            if jobs and jobs[-1].state != states.JOB_QUEUED:
                job = jobs[-1]
                break
            time.sleep(0.01)
        assert job is not None, d.dump_logs()
        d.stop('data', sig=signal.SIGKILL)
        killed_mid_copy = (job.state == states.JOB_RUNNING
                           and job.bytes_done < job.bytes_total)
        d.start('data')
        d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                   'data_copying_completed', timeout=120)
        if killed_mid_copy:
            assert db_api.data_copy_job_get(ctx, job.id).passes >= 2
    finally:
        db_api.dispose()
    assert _act(d, share['id'], {'migration_complete': None})[0] == 202
    d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
               'migration_success')
    assert files.contents(_local(d, share['id'])) == before


def test_negative_cases(d):
    share, _path = _share(d, count=0)
    status, body = _start(d, share['id'], 'nowhere@none#p')
    assert status == 404 and body['itemNotFound']['code'] == 404
    status, body = _start(d, share['id'], '%s@local2#pool1' % d.host,
                          force_host_assisted_migration='True',
                          writable='True')
    assert status == 400 and 'badRequest' in body
    status, body = _act(d, share['id'], {'migration_cancel': None})
    assert status == 400 and 'badRequest' in body
    status, body = d.request(
        'POST', '/v2/shares/%s/action' % share['id'],
        {'migration_start': {'host': 'x'}}, version='2.95')
    assert status == 404
    status, body = d.request(
        'POST', '/v2/shares/%s/action' % share['id'],
        {'migration_complete': None}, token='alice:proj-a',
        headers={'X-Roles': 'member,reader'})
    assert status == 403 and body['forbidden']['code'] == 403
