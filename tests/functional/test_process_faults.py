"""Each service killed with SIGKILL in the middle of an operation, then
restarted: the operation completes, or ends in a documented state its
owner or an admin can act on, and no file of any share is lost or
changed.

* api: killed during a burst of concurrent creates;
* scheduler: killed with creates queued for it, and a share a dead
  scheduler left ``creating`` with no host;
* share service: killed in the middle of a replica sync, and in the
  middle of an ensure run.

The data service killed in the middle of a host-assisted migration copy
is ``test_migration.py::test_data_service_killed_mid_copy_then_restarted``;
the share service killed during a migration is
``test_migration_faults.py``.
"""

import contextlib
import datetime
import http.client
import os
import signal
import threading
import time

from oslo_utils import timeutils

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests import files
from tests.functional.test_migration import _local


@contextlib.contextmanager
def _db(d):
    """This process's db.api on the deployment's database."""
    db_api.configure(d.client_conf())
    try:
        yield context.get_admin_context()
    finally:
        db_api.dispose()


def _restart_scheduler(d, timeout):
    """Restart the scheduler with ``unscheduled_instance_timeout``;
    return once it consumes its queue."""
    with open(os.path.join(d.workdir, 'scheduler.conf'), 'w') as f:
        f.write('[DEFAULT]\nunscheduled_instance_timeout = %d\n' % timeout)
    started = _log(d, 'scheduler').count('Started manila-scheduler')
    d.stop('scheduler')
    d.start('scheduler')
    deadline = time.monotonic() + 60
    while _log(d, 'scheduler').count('Started manila-scheduler') <= started:
        assert time.monotonic() < deadline, d.dump_logs()
        time.sleep(0.1)


def _log(d, name):
    with open(d.logs[name], errors='replace') as f:
        return f.read()


def _create(d, zone='az1', **extra):
    body = {'share_proto': 'NFS', 'size': 1, 'availability_zone': zone}
    body.update(extra)
    return d.request('POST', '/v2/shares', {'share': body})


def _all_shares(d):
    status, body = d.request('GET', '/v2/shares/detail?all_tenants=1')
    assert status == 200, body
    return {s['id']: s for s in body['shares']}


def _wait_settled(d, ids, timeout=90):
    """Wait until no share of ``ids`` is ``creating``; their statuses."""
    deadline = time.monotonic() + timeout
    while True:
        shown = _all_shares(d)
        statuses = {i: shown[i]['status'] for i in ids}
        if states.STATUS_CREATING not in statuses.values():
            return statuses
        assert time.monotonic() < deadline, (
            'still creating: %s\n%s' % (statuses, d.dump_logs()))
        time.sleep(0.3)


def _delete_and_wait(d, share_id):
    status, body = d.request('DELETE', '/v2/shares/' + share_id)
    assert status == 202, body
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', None)


# --- api -------------------------------------------------------------------
def test_api_killed_during_a_burst_of_creates(d):
    """Ten clients create shares in a loop; the api is killed after ten
    replies, mid-burst. After its restart every share it answered 200
    for becomes ``available``; a share whose request was cut (committed,
    maybe never cast) ends ``available`` or, with its request lost,
    ``error`` from the scheduler's check (and can be deleted); none
    stays ``creating``."""
    # A short timeout bounds the wait for a share whose cast was lost.
    _restart_scheduler(d, 8)
    replies, cut = [], []
    lock = threading.Lock()

    def client(n):
        for i in range(1000):
            try:
                reply = _create(d, name='burst-%d-%d' % (n, i))
            # The kill can cut a reply after its status line: the body
            # arrives short (IncompleteRead) or not as JSON (ValueError).
            # Such a request was not answered, whatever its status said.
            except (OSError, http.client.HTTPException, ValueError) as exc:
                with lock:
                    cut.append(exc)
                return
            with lock:
                replies.append(reply)

    threads = [threading.Thread(target=client, args=(n,), daemon=True)
               for n in range(10)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(replies) < 10:
        assert time.monotonic() < deadline, d.dump_logs()
        time.sleep(0.005)
    d.stop('api', sig=signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    # Every client was cut off by the kill (mid-request or refused).
    assert len(cut) == 10
    assert all(status == 200 for status, _ in replies), replies
    answered = {body['share']['id'] for _, body in replies}

    d.start('api')
    d.wait_api()
    shown = _all_shares(d)
    assert answered <= set(shown)
    burst = {i for i, s in shown.items() if s['name'].startswith('burst-')}
    statuses = _wait_settled(d, burst)
    for share_id in answered:
        assert statuses[share_id] == 'available', (share_id, statuses)
        status, body = d.request('GET', '/v2/shares/' + share_id)
        assert status == 200 and body['share']['host'], body
    lost = [i for i in burst - answered if statuses[i] != 'available']
    print('%d answered, %d cut after commit, %d of those lost'
          % (len(answered), len(burst - answered), len(lost)))
    for share_id in lost:
        assert statuses[share_id] == 'error'
        assert share_id in _log(d, 'scheduler')
        _delete_and_wait(d, share_id)


# --- scheduler ---------------------------------------------------------------
def test_scheduler_killed_with_creates_queued(d):
    """The scheduler stops (SIGSTOP) with casts delivered to it but not
    yet handled, then dies (SIGKILL): RabbitMQ requeues them and the
    restarted scheduler places them, although they are older than
    ``unscheduled_instance_timeout`` by then.

    A share a dead scheduler left ``creating`` with no host an hour ago
    (its message acknowledged, then lost with the process) cannot be
    re-scheduled safely (its scheduler hints are not stored; had its
    request still been queued it would be placed twice), so the
    restarted scheduler sets it to ``error``, logging why, once it has
    itself run for the timeout; its owner can then delete it."""
    timeout = 6
    _restart_scheduler(d, timeout)
    old = timeutils.utcnow() - datetime.timedelta(hours=1)
    with _db(d) as ctx:
        stuck = db_api.share_create(
            ctx, dict(project_id='admin', user_id='admin', name='stuck',
                      size=1, share_proto='NFS',
                      share_type_id=d.type_default),
            dict(status=states.STATUS_CREATING, host='',
                 share_type_id=d.type_default, created_at=old,
                 updated_at=old))
        stuck_id, stuck_instance = stuck.id, stuck.instances[0].id

    d.procs['scheduler'].send_signal(signal.SIGSTOP)
    queued = []
    for i in range(4):
        status, body = _create(d, zone=('az1', 'az2')[i % 2],
                               name='queued-%d' % i)
        assert status == 200, body
        queued.append(body['share']['id'])
    posted = time.monotonic()
    time.sleep(1)
    shown = _all_shares(d)
    for share_id in queued:
        assert shown[share_id]['status'] == 'creating'
        assert not shown[share_id]['host']
    # Older than the timeout before any scheduler sees them again.
    time.sleep(max(0.0, timeout + 1 - (time.monotonic() - posted)))
    d.stop('scheduler', sig=signal.SIGKILL)
    d.start('scheduler')

    for share_id in queued:
        share = d.wait_for('/v2/shares/' + share_id, 'share', 'status',
                           'available', timeout=60)
        assert share['host']
    zones = {_all_shares(d)[i]['availability_zone'] for i in queued}
    assert zones == {'az1', 'az2'}
    d.wait_for('/v2/shares/' + stuck_id, 'share', 'status', 'error',
               timeout=60)
    lines = [line for line in _log(d, 'scheduler').splitlines()
             if stuck_instance in line]
    assert any('never scheduled' in line for line in lines), lines
    # None of the placed ones was failed.
    for share_id in queued:
        status, body = d.request('GET', '/v2/shares/' + share_id)
        assert body['share']['status'] == 'available'
    _delete_and_wait(d, stuck_id)


# --- share service: replica sync ---------------------------------------------
def _replica_dir(d, replica):
    backend, _sep, pool = replica['host'].partition('@')[2].partition('#')
    return os.path.join(d.workdir, backend, pool, 'shares',
                        'share-' + replica['id'])


def _batch(root, name, count=3000, big=16):
    """``count`` small files and ``big`` 8 MiB ones under ``root/name``."""
    for i in range(count):
        sub = os.path.join(root, name, 'd%02d' % (i % 30))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, 'f%05d' % i), 'wb') as f:
            f.write(os.urandom(1024))
    block = os.urandom(1024 * 1024)
    for i in range(big):
        with open(os.path.join(root, name, 'big%02d' % i), 'wb') as f:
            for _ in range(8):
                f.write(block)


def test_share_service_killed_during_replica_sync(d):
    """A readable replica in zone 2 falls behind by 3000 files and 128
    MiB; the share service of its backend is killed while the periodic
    sync copies them (replica ``out_of_sync``, its tree part copied).
    Restarted, it finishes the sync: ``in_sync``, the replica's files
    equal the active's byte for byte (no partial or temporary file
    left), and the active's files are unchanged."""
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'readable', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': 'readable'}}})
    assert status == 200, body
    status, body = _create(d, share_type=body['share_type']['id'])
    assert status == 200, body
    share_id = body['share']['id']
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    active = _local(d, share_id)
    _batch(active, 'first', count=50, big=0)
    status, body = d.request('POST', '/v2/share-replicas', {
        'share_replica': {'share_id': share_id,
                          'availability_zone': 'az2'}})
    assert status == 202, body
    replica_id = body['share_replica']['id']
    replica = d.wait_for('/v2/share-replicas/' + replica_id,
                         'share_replica', 'replica_state', 'in_sync')
    assert replica['host'].startswith(d.host + '@local2#')
    replica_dir = _replica_dir(d, replica)

    killed_mid_copy = False
    for attempt in range(3):
        name = 'batch%d' % attempt
        _batch(active, name)
        # The first pass after the writes reports out_of_sync, the next
        # copies: kill as soon as the copy has begun.
        deadline = time.monotonic() + 60
        while not os.path.isdir(os.path.join(replica_dir, name)):
            assert time.monotonic() < deadline, d.dump_logs()
            time.sleep(0.002)
        d.procs['share2'].send_signal(signal.SIGSTOP)
        partial = files.contents(replica_dir) != files.contents(active)
        _, body = d.request('GET', '/v2/share-replicas/' + replica_id)
        state = body['share_replica']['replica_state']
        if partial and state == 'out_of_sync':
            killed_mid_copy = True
            break
        # The copy won the race: let it finish and try a larger gap.
        d.procs['share2'].send_signal(signal.SIGCONT)
        d.wait_for('/v2/share-replicas/' + replica_id, 'share_replica',
                   'replica_state', 'in_sync')
    assert killed_mid_copy, 'never caught the sync mid-copy'
    before = files.contents(active)
    d.stop('share2', sig=signal.SIGKILL)
    d.start('share2')

    replica = d.wait_for('/v2/share-replicas/' + replica_id,
                         'share_replica', 'replica_state', 'in_sync',
                         timeout=120)
    assert replica['status'] == 'available'
    assert files.contents(active) == before
    assert files.contents(replica_dir) == before
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')


# --- share service: ensure ---------------------------------------------------
def test_share_service_killed_during_ensure(d):
    """POST ensure-shares on a backend with 30 shares, each holding
    files; its share service is killed while they are ``ensuring``
    (seen in the database, the process stopped first so the kill lands
    mid-run). Restarted, it recovers: no share stays ``ensuring``, all
    are ``available`` with the same export locations and files, the
    service no longer reports ``ensuring``, and a new run works."""
    backend = d.host + '@local1'
    created = []
    lock = threading.Lock()

    def make(n):
        for i in range(n, 30, 6):
            status, body = _create(d, name='ens-%d' % i)
            assert status == 200, body
            with lock:
                created.append(body['share']['id'])

    threads = [threading.Thread(target=make, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(created) == 30
    for share_id in created:
        share = d.wait_for('/v2/shares/' + share_id, 'share', 'status',
                           'available')
        assert share['host'].startswith(backend + '#')
    paths = {s: _local(d, s) for s in created}
    for path in paths.values():
        for i in range(5):
            with open(os.path.join(path, 'f%d' % i), 'wb') as f:
                f.write(os.urandom(2048))
    before = {s: files.contents(p) for s, p in paths.items()}

    def exports():
        out = {}
        for share_id in created:
            status, body = d.request(
                'GET', '/v2/shares/%s/export_locations' % share_id)
            assert status == 200, body
            out[share_id] = sorted(el['path']
                                   for el in body['export_locations'])
        return out

    exports_before = exports()

    def service():
        status, body = d.request('GET', '/v2/services?host=' + backend)
        assert status == 200, body
        return body['services'][0]

    killed_mid_run = False
    with _db(d) as ctx:
        def ensuring():
            return db_api.share_instance_get_all_by_host(
                ctx, backend, statuses={states.STATUS_ENSURING})

        def running():
            [svc] = db_api.service_get_all(
                ctx, host=backend, binary=states.BINARY_SHARE)
            return svc.ensuring

        for _attempt in range(5):
            status, body = d.request('POST', '/v2/services/ensure-shares',
                                     {'host': backend})
            assert status == 202, body
            deadline = time.monotonic() + 30
            seen = False
            while running():
                assert time.monotonic() < deadline, d.dump_logs()
                if ensuring():
                    seen = True
                    break
            if seen:
                d.procs['share1'].send_signal(signal.SIGSTOP)
                left = ensuring()
                if left:
                    killed_mid_run = True
                    break
                # The run ended between the two reads: let it go.
                d.procs['share1'].send_signal(signal.SIGCONT)
            deadline = time.monotonic() + 30
            while running():
                assert time.monotonic() < deadline, d.dump_logs()
                time.sleep(0.1)
        assert killed_mid_run, 'never caught the ensure run'
        d.stop('share1', sig=signal.SIGKILL)
        print('killed with %d of 30 shares ensuring' % len(left))
        assert service()['ensuring'] is True

        d.start('share1')
        deadline = time.monotonic() + 90
        while True:
            shown = _all_shares(d)
            statuses = {shown[s]['status'] for s in created}
            if statuses == {'available'} and not ensuring() \
                    and not service()['ensuring']:
                break
            assert time.monotonic() < deadline, (statuses, d.dump_logs())
            time.sleep(0.3)
    assert exports() == exports_before
    assert {s: files.contents(p) for s, p in paths.items()} == before

    # A new run works and leaves everything as it was.
    d.wait_services(4)
    status, body = d.request('POST', '/v2/services/ensure-shares',
                             {'host': backend})
    assert status == 202, body
    deadline = time.monotonic() + 60
    while service()['ensuring'] or {
            s['status'] for i, s in _all_shares(d).items()
            if i in before} != {'available'}:
        assert time.monotonic() < deadline, d.dump_logs()
        time.sleep(0.2)
    assert exports() == exports_before
    assert {s: files.contents(p) for s, p in paths.items()} == before
