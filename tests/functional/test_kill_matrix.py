"""The kill -9 matrix: for each transitional state a share service owns
(doc/source/reliability.rst, "Transitional states and their
recovery"), a row sits in it when its share service dies with SIGKILL;
the restarted service settles every one of them (resumes the work or
ends in the documented error state an admin can reset), over RabbitMQ
on MariaDB, and no byte of a share changes.

The rows are put in their states while the service is dead, exactly as
a predecessor cut off inside each step leaves them (the work's message
consumed, then lost with the process), so each state is hit for sure
rather than by timing.
"""

import os
import signal
import time

from manila_lite.common import states
from manila_lite.db import api as db_api
from tests import files
from tests.functional.test_migration import _local
from tests.functional.test_process_faults import _db
from tests.unit import rows

#: Seconds a row must sit unchanged before a live service re-drives it
#: (a start-up takes every row at once, except a migration start that
#: may still be queued: it waits this long).
REDRIVE_AFTER = 4


def _create(d, name):
    status, body = d.request('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 2, 'availability_zone': 'az1',
        'name': name}})
    assert status == 200, body
    return body['share']['id']


def _get(d, path):
    status, body = d.request('GET', path)
    if status == 404:
        return None
    assert status == 200, body
    return body


def _settle(d, checks, timeout=120):
    """Wait until every check holds; returns the seconds each took."""
    started = time.monotonic()
    took = {}
    while len(took) < len(checks):
        for name, check in checks.items():
            if name not in took and check():
                took[name] = round(time.monotonic() - started, 1)
        if len(took) < len(checks):
            assert time.monotonic() - started < timeout, (
                'not settled: %s\n%s' % (
                    sorted(set(checks) - set(took)), d.dump_logs()))
            time.sleep(0.5)
    return took


def test_share_service_killed_in_each_transitional_state(d):
    names = ['creating', 'deleting', 'ensuring', 'extending', 'shrinking',
             'migration_starting', 'snapshots', 'access']
    ids = {name: _create(d, 'km-' + name) for name in names}
    for share_id in ids.values():
        d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    digests = {}
    for name in ('ensuring', 'extending', 'shrinking', 'migration_starting',
                 'creating'):
        path = _local(d, ids[name])
        with open(os.path.join(path, 'data.bin'), 'wb') as f:
            f.write(os.urandom(1 << 20))
        digests[name] = files.contents(path)
    snaps = {}
    for which in ('creating', 'deleting'):
        status, body = d.request('POST', '/v2/snapshots', {'snapshot': {
            'share_id': ids['snapshots'], 'name': 'km-' + which}})
        assert status == 202, body
        snaps[which] = body['snapshot']['id']
        d.wait_for('/v2/snapshots/' + snaps[which], 'snapshot', 'status',
                   'available')
    status, body = d.request(
        'POST', '/v2/shares/%s/action' % ids['access'],
        {'allow_access': {'access_type': 'ip', 'access_to': '192.0.2.7',
                          'access_level': 'rw'}})
    assert status == 200, body
    rule = body['access']['id']
    d.wait_for('/v2/share-access-rules/' + rule, 'access', 'state',
               'active')

    d.stop('share1', sig=signal.SIGKILL)
    with _db(d) as ctx:
        inst = {name: db_api.share_get(ctx, share_id).instances[0].id
                for name, share_id in ids.items()}
        for name in ('creating', 'deleting', 'ensuring', 'extending',
                     'shrinking'):
            rows.share_instance_update(ctx, inst[name], {'status': name})
        rows.share_instance_update(ctx, inst['migration_starting'], {
            'status': states.STATUS_MIGRATING})
        rows.share_update(ctx, ids['migration_starting'], {
            'task_state': states.TASK_STATE_MIGRATION_STARTING})
        for which, snap_id in snaps.items():
            snap_inst = db_api.snapshot_get(ctx, snap_id).instances[0].id
            rows.snapshot_instance_update(ctx, snap_inst, {'status': which})
        rows.access_update(ctx, rule, {
            'state': states.ACCESS_STATE_APPLYING})
    with open(os.path.join(d.workdir, 'share1.conf'), 'a') as f:
        f.write('transition_redrive_after = %d\n' % REDRIVE_AFTER)
    d.start('share1')

    def share_is(name, status, task=None):
        def check():
            body = _get(d, '/v2/shares/' + ids[name])
            return body is not None and (
                body['share']['status'], body['share']['task_state']) == (
                    status, task)
        return check

    def gone(path):
        return lambda: _get(d, path) is None

    def rule_active():
        body = _get(d, '/v2/share-access-rules/' + rule)
        return body['access']['state'] == states.ACCESS_STATE_ACTIVE

    def snapshot_available():
        body = _get(d, '/v2/snapshots/' + snaps['creating'])
        return body['snapshot']['status'] == states.STATUS_AVAILABLE

    took = _settle(d, {
        'creating -> available (create retried)':
            share_is('creating', 'available'),
        'deleting -> deleted (delete finished)':
            gone('/v2/shares/' + ids['deleting']),
        'ensuring -> available': share_is('ensuring', 'available'),
        'extending -> extending_error':
            share_is('extending', 'extending_error'),
        'shrinking -> shrinking_error':
            share_is('shrinking', 'shrinking_error'),
        'migration_starting -> migration_error, source available':
            share_is('migration_starting', 'available',
                     states.TASK_STATE_MIGRATION_ERROR),
        'snapshot creating -> available': snapshot_available,
        'snapshot deleting -> deleted':
            gone('/v2/snapshots/' + snaps['deleting']),
        'access rule applying -> active': rule_active,
    })
    for what, seconds in sorted(took.items(), key=lambda kv: kv[1]):
        print('%6.1fs after the restart: %s' % (seconds, what))
    for name, digest in digests.items():
        assert files.contents(_local(d, ids[name])) == digest, name
    # Every error state is one an admin resets, and the share works on.
    for name in ('extending', 'shrinking'):
        status, body = d.request(
            'POST', '/v2/shares/%s/action' % ids[name],
            {'reset_status': {'status': 'available'}})
        assert status == 202, body
        assert _get(d, '/v2/shares/' + ids[name])['share']['status'] == (
            'available')


def test_share_service_killed_with_a_replica_in_replication_change(
        d):
    """A promote consumed by the replica's share service, which then
    died: the replica sits in ``replication_change``. The restarted
    service promotes it again (syncing from the old active replica
    first): one active replica, the new one, with the share's bytes."""
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'dr', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': 'dr'}}})
    assert status == 200, body
    status, body = d.request('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': 'az1',
        'share_type': body['share_type']['id']}})
    assert status == 200, body
    share_id = body['share']['id']
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    path = _local(d, share_id)
    with open(os.path.join(path, 'data.bin'), 'wb') as f:
        f.write(os.urandom(1 << 20))
    before = files.contents(path)
    status, body = d.request('POST', '/v2/share-replicas', {
        'share_replica': {'share_id': share_id,
                          'availability_zone': 'az2'}})
    assert status == 202, body
    second = body['share_replica']['id']
    d.wait_for('/v2/share-replicas/' + second, 'share_replica',
               'replica_state', 'in_sync')

    d.stop('share2', sig=signal.SIGKILL)
    with _db(d) as ctx:
        rows.share_instance_update(ctx, second, {
            'status': states.STATUS_REPLICATION_CHANGE})
    d.start('share2')

    def promoted():
        body = _get(d, '/v2/share-replicas/' + second)['share_replica']
        return (body['status'], body['replica_state']) == (
            'available', 'active')

    took = _settle(d, {'replication_change -> active': promoted})
    print('%6.1fs after the restart: replica promoted again'
          % took['replication_change -> active'])
    status, body = d.request('GET', '/v2/share-replicas?share_id='
                             + share_id)
    actives = [r['id'] for r in body['share_replicas']
               if r['replica_state'] == 'active']
    assert actives == [second]
    status, body = d.request(
        'GET', '/v2/share-replicas/%s/export-locations' % second)
    new_path = [el['path'] for el in body['export_locations']
                if el['is_admin_only']][0]
    assert files.contents(new_path) == before
