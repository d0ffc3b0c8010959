"""The kill -9 matrix over RabbitMQ on MariaDB: each service killed
with SIGKILL at the state boundaries of its flows (doc/source/
reliability.rst, "Transitional states and their recovery"); every row
ends completed or in the documented error state an admin can reset,
and no byte of a share changes.

* share service: a row in each transitional state it owns, and a
  replica in ``replication_change``;
* data service: in the middle of a host-assisted copy, and between
  ``data_copying_completed`` and ``migration_complete``;
* scheduler: holding driver- and host-assisted migration starts and a
  replica create it has received but not handled;
* API: between the write of a migration start, replica create, promote
  or ensure and its cast.

Where a kill cannot be timed into a gap (a handler cut off after it
consumed its message, the API between a write and a cast) the rows are
put in their states while the service is dead, exactly as such a kill
leaves them, so each state is hit for sure rather than by timing. Where
it can (a copy in progress), the victim runs in short slices between
SIGSTOPs until the test sees the state, so a fast or a slow machine
cannot miss it.
"""

import os
import signal
import time

from manila_lite.common import states
from manila_lite.db import api as db_api
from tests import files
from tests.functional.test_migration import _act
from tests.functional.test_migration import _local
from tests.functional.test_migration import _start
from tests.functional.test_process_faults import _db
from tests.functional.test_process_faults import _replica_dir
from tests.functional.test_process_faults import _restart_scheduler
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


# --- data service ----------------------------------------------------------
def _restart_and_wait(d, name, started, timeout=300):
    """Restart service ``name`` and return once its log says ``started``
    once more: pausing a service still starting up would spend the
    paced slices on its start-up."""
    def count():
        with open(os.path.join(d.workdir, name + '.log'), 'rb') as f:
            return f.read().count(started.encode())

    before = count()
    d.stop(name)
    d.start(name)
    deadline = time.monotonic() + timeout
    while count() <= before:
        assert time.monotonic() < deadline, d.dump_logs()
        time.sleep(0.2)


def _pace_until(d, name, reached, timeout=600):
    """Run service ``name`` only in short slices (SIGSTOP between them)
    until ``reached()`` holds while it is stopped; it is left stopped.
    However fast the machine or slow this process, the check sees every
    slice's result, so the state looked for cannot be missed. The
    deadline only bounds a hang: on a starved machine a slice buys the
    service little CPU (a loaded CI run once needed over 120 s)."""
    proc = d.procs[name]
    d.renice(name)
    deadline = time.monotonic() + timeout
    while True:
        proc.send_signal(signal.SIGSTOP)
        if reached():
            return
        assert time.monotonic() < deadline, d.dump_logs()
        proc.send_signal(signal.SIGCONT)
        time.sleep(0.02)


def test_data_service_killed_mid_copy_and_before_complete(d):
    """A host-assisted migration: the data service is killed with
    SIGKILL in the middle of the copy (paced so the kill lands with some
    files copied and some not), restarted, and the copy resumes to
    ``data_copying_completed``; then it is killed again between
    ``data_copying_completed`` and ``migration_complete``, which needs
    it no more: the migration completes with the data service dead, the
    files arrive byte for byte, and the restarted data service finds
    nothing left to do."""
    with open(os.path.join(d.workdir, 'data.conf'), 'w') as f:
        # Progress recorded often: the paced check sees the job mid-copy
        # however fast the engine copies.
        f.write('[DEFAULT]\ndata_copy_workers = 1\ncheck_hash = true\n'
                'data_progress_interval = 0.01\n')
    _restart_and_wait(d, 'data', 'Started manila-data')
    share_id = _create(d, 'km-data')
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    path = _local(d, share_id)
    for i in range(3000):
        sub = os.path.join(path, 'd%02d' % (i % 30))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, 'f%05d' % i), 'wb') as f:
            f.write(os.urandom(2048 + i % 997))
    before = files.contents(path)
    dest = '%s@local2#pool1' % d.host

    with _db(d) as ctx:
        def mid_copy():
            jobs = db_api.data_copy_job_get_all(ctx, share_id=share_id)
            return bool(jobs) and jobs[-1].state == states.JOB_RUNNING \
                and 0 < jobs[-1].files_done < jobs[-1].files_total

        d.procs['data'].send_signal(signal.SIGSTOP)
        status, body = _start(d, share_id, dest,
                              force_host_assisted_migration='True')
        assert status == 202, body
        _pace_until(d, 'data', mid_copy)
        job = db_api.data_copy_job_get_all(ctx, share_id=share_id)[-1]
        d.stop('data', sig=signal.SIGKILL)
        print('data service killed at %d of %d files'
              % (job.files_done, job.files_total))
        d.start('data')
        d.wait_for('/v2/shares/' + share_id, 'share', 'task_state',
                   'data_copying_completed', timeout=180)
        # Resumed from its checkpoint: a second pass of the same job.
        assert db_api.data_copy_job_get(ctx, job.id).passes >= 2

    d.stop('data', sig=signal.SIGKILL)
    status, body = _act(d, share_id, {'migration_complete': None})
    assert status == 202, body
    moved = d.wait_for('/v2/shares/' + share_id, 'share', 'task_state',
                       'migration_success', timeout=120)
    assert (moved['host'], moved['status']) == (dest, 'available')
    assert files.contents(_local(d, share_id)) == before
    assert not os.path.exists(path)
    d.start('data')
    d.wait_services(4)
    with _db(d) as ctx:
        jobs = db_api.data_copy_job_get_all(ctx, share_id=share_id)
        assert {j.state for j in jobs} == {states.JOB_COMPLETED}, [
            (j.id, j.state) for j in jobs]


# --- scheduler -------------------------------------------------------------
def _dr_type(d):
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'dr', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': 'dr'}}})
    assert status == 200, body
    return body['share_type']['id']


def _filled(d, name, share_type=None, count=50):
    body = {'share_proto': 'NFS', 'size': 1, 'availability_zone': 'az1',
            'name': name}
    if share_type:
        body['share_type'] = share_type
    status, reply = d.request('POST', '/v2/shares', {'share': body})
    assert status == 200, reply
    share_id = reply['share']['id']
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    path = _local(d, share_id)
    for i in range(count):
        with open(os.path.join(path, 'f%03d' % i), 'wb') as f:
            f.write(os.urandom(4096))
    return share_id, path, files.contents(path)


def test_scheduler_killed_holding_migration_starts_and_a_replica_create(
        d):
    """The scheduler is stopped (SIGSTOP) while a driver-assisted and a
    host-assisted migration start and a replica create are cast to it:
    it holds them unhandled (shares ``migration_starting``, the replica
    ``creating`` with no host) when it is killed with SIGKILL. RabbitMQ
    hands them to the restarted scheduler: both migrations end phase 1
    and complete with the files intact, the replica becomes
    ``in_sync``. (A start a dead scheduler had taken off the queue and
    lost leaves the row ``migration_starting`` with nothing queued: the
    share service's row of
    ``test_share_service_killed_in_each_transitional_state``. Here the
    share services keep the default ``transition_redrive_after``: a
    start merely queued is never taken as lost.)"""
    dr = _dr_type(d)
    driver, driver_path, driver_before = _filled(d, 'km-sched-driver')
    host, host_path, host_before = _filled(d, 'km-sched-host')
    replicated, _, replicated_before = _filled(d, 'km-sched-dr', dr)
    d.procs['scheduler'].send_signal(signal.SIGSTOP)
    driver_dest = '%s@local1#pool2' % d.host
    host_dest = '%s@local2#pool1' % d.host
    status, body = _start(d, driver, driver_dest)
    assert status == 202, body
    status, body = _start(d, host, host_dest,
                          force_host_assisted_migration='True')
    assert status == 202, body
    status, body = d.request('POST', '/v2/share-replicas', {
        'share_replica': {'share_id': replicated,
                          'availability_zone': 'az2'}})
    assert status == 202, body
    replica = body['share_replica']['id']
    for share_id in (driver, host):
        shown = _get(d, '/v2/shares/' + share_id)['share']
        assert shown['task_state'] == 'migration_starting', shown
    assert _get(d, '/v2/share-replicas/' + replica)['share_replica'][
        'status'] == 'creating'
    d.stop('scheduler', sig=signal.SIGKILL)
    d.start('scheduler')

    def task_is(share_id, task):
        def check():
            shown = _get(d, '/v2/shares/' + share_id)['share']
            return shown['task_state'] == task
        return check

    def replica_in_sync():
        shown = _get(d, '/v2/share-replicas/' + replica)['share_replica']
        return shown['replica_state'] == 'in_sync'

    took = _settle(d, {
        'queued driver-assisted start -> phase 1 done':
            task_is(driver, 'migration_driver_phase1_done'),
        'queued host-assisted start -> copy completed':
            task_is(host, 'data_copying_completed'),
        'queued replica create -> in_sync': replica_in_sync,
    })
    for what, seconds in sorted(took.items(), key=lambda kv: kv[1]):
        print('%6.1fs after the restart: %s' % (seconds, what))

    for share_id, dest, before in ((driver, driver_dest, driver_before),
                                   (host, host_dest, host_before)):
        status, body = _act(d, share_id, {'migration_complete': None})
        assert status == 202, body
        moved = d.wait_for('/v2/shares/' + share_id, 'share', 'task_state',
                           'migration_success', timeout=120)
        assert (moved['host'], moved['status']) == (dest, 'available')
        assert files.contents(_local(d, share_id)) == before
    for old in (driver_path, host_path):
        assert not os.path.exists(old)
    shown = _get(d, '/v2/share-replicas/' + replica)['share_replica']
    assert shown['host'].startswith(d.host + '@local2#'), shown
    assert files.contents(_replica_dir(d, shown)) == replicated_before


# --- api -------------------------------------------------------------------
def test_api_killed_between_its_write_and_its_cast(d):
    """The API writes a request's state, then casts: killed with SIGKILL
    between the two, it leaves the row with no message anywhere. Each
    row is put there while the API is dead (a kill cannot be timed into
    that gap), and the owner finishes it with the API restarted:

    * a migration start (either kind: the API does not choose): the
      source's share service ends it in ``migration_error``, the share
      ``available``, and a new migration works;
    * a replica create (``creating``, no host): the scheduler sets it to
      ``error``, and its owner deletes it;
    * a promote (replica ``replication_change``): the replica's share
      service promotes it;
    * an ensure (the service marked ``ensuring``): the share service
      runs it, and a new ensure request is accepted.
    """
    dr = _dr_type(d)
    moving, moving_path, moving_before = _filled(d, 'km-api-migration')
    lonely, _, _ = _filled(d, 'km-api-replica', dr, count=1)
    promoted, _, promoted_before = _filled(d, 'km-api-promote', dr)
    status, body = d.request('POST', '/v2/share-replicas', {
        'share_replica': {'share_id': promoted,
                          'availability_zone': 'az2'}})
    assert status == 202, body
    second = body['share_replica']['id']
    d.wait_for('/v2/share-replicas/' + second, 'share_replica',
               'replica_state', 'in_sync')
    for name in ('share1', 'share2'):
        with open(os.path.join(d.workdir, name + '.conf'), 'a') as f:
            f.write('transition_redrive_after = %d\n' % REDRIVE_AFTER)
        d.stop(name)
        d.start(name)
    _restart_scheduler(d, REDRIVE_AFTER)
    d.wait_services(4)
    backend = d.host + '@local1'

    d.stop('api', sig=signal.SIGKILL)
    with _db(d) as ctx:
        rows.share_instance_update(
            ctx, db_api.share_get(ctx, moving).instances[0].id,
            {'status': states.STATUS_MIGRATING})
        rows.share_update(ctx, moving, {
            'task_state': states.TASK_STATE_MIGRATION_STARTING})
        lonely_share = db_api.share_get(ctx, lonely)
        lost_replica = db_api.replica_create(ctx, lonely, dict(
            status=states.STATUS_CREATING, host='',
            replica_state=states.REPLICA_STATE_OUT_OF_SYNC,
            availability_zone='az2',
            share_type_id=lonely_share.share_type_id,
            cast_rules_to_readonly=False, progress='0%')).id
        rows.share_instance_update(ctx, second, {
            'status': states.STATUS_REPLICATION_CHANGE})
        [service] = db_api.service_get_all(ctx, host=backend,
                                           binary=states.BINARY_SHARE)
        assert db_api.service_set_ensuring(ctx, service.id, True)
    d.start('api')
    d.wait_api()

    def migration_failed():
        shown = _get(d, '/v2/shares/' + moving)['share']
        return (shown['status'], shown['task_state']) == (
            'available', 'migration_error')

    def replica_is(replica_id, status, state=None):
        def check():
            shown = _get(d, '/v2/share-replicas/' + replica_id)[
                'share_replica']
            return shown['status'] == status and (
                state is None or shown['replica_state'] == state)
        return check

    def ensured():
        status, body = d.request('GET', '/v2/services?host=' + backend)
        assert status == 200, body
        return body['services'][0]['ensuring'] is False

    took = _settle(d, {
        'migration_starting -> migration_error, source available':
            migration_failed,
        'replica creating, no host -> error':
            replica_is(lost_replica, 'error'),
        'replication_change -> promoted':
            replica_is(second, 'available', 'active'),
        'service ensuring -> ensure run': ensured,
    })
    for what, seconds in sorted(took.items(), key=lambda kv: kv[1]):
        print('%6.1fs after the restart: %s' % (seconds, what))

    assert files.contents(moving_path) == moving_before
    status, body = _start(d, moving, '%s@local1#pool2' % d.host)
    assert status == 202, body
    d.wait_for('/v2/shares/' + moving, 'share', 'task_state',
               'migration_driver_phase1_done', timeout=120)
    status, body = d.request('DELETE', '/v2/share-replicas/' + lost_replica)
    assert status == 202, body
    d.wait_for('/v2/share-replicas/' + lost_replica, 'share_replica',
               'status', None)
    status, body = d.request('GET', '/v2/share-replicas?share_id='
                             + promoted)
    actives = [r['id'] for r in body['share_replicas']
               if r['replica_state'] == 'active']
    assert actives == [second]
    shown = _get(d, '/v2/share-replicas/' + second)['share_replica']
    assert files.contents(_replica_dir(d, shown)) == promoted_before
    status, body = d.request('POST', '/v2/services/ensure-shares',
                             {'host': backend})
    assert status == 202, body
