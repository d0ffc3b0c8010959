"""Races through the real API: many concurrent requests on one share,
spread over two API processes. Every state change is one conditional
UPDATE, so exactly one migration_start (or replica promote) wins, and
delete/reset storms end in a consistent state without a single 5xx."""

import concurrent.futures
import os
import signal
import time

from manila_lite.common import context
from manila_lite.db import api as db_api
from tests import files
from tests.functional.test_migration import _share


def _storm(d, bodies):
    bases = [d.url, 'http://127.0.0.1:%d' % d.port2]

    def send(i, method, path, body):
        return d.request(method, path, body, base=bases[i % 2])

    with concurrent.futures.ThreadPoolExecutor(max_workers=25) as pool:
        futures = [pool.submit(send, i, *b) for i, b in enumerate(bodies)]
        return [f.result() for f in futures]


def _host_assisted_start(d, share, backend_pool):
    """A host-assisted ``migration_start`` request to ``backend_pool``."""
    return ('POST', '/v2/shares/%s/action' % share['id'], {
        'migration_start': {
            'host': '%s@%s' % (d.host, backend_pool), 'writable': False,
            'preserve_metadata': False, 'nondisruptive': False,
            'preserve_snapshots': False,
            'force_host_assisted_migration': True}})


def _second_api(d):
    d.start('api2')
    deadline = time.monotonic() + 60
    while True:
        try:
            d.request('GET', '/', base='http://127.0.0.1:%d' % d.port2,
                      version=None)
            return
        except OSError:
            assert time.monotonic() < deadline, d.dump_logs()
            time.sleep(0.2)


def test_fifty_concurrent_migration_starts_one_wins(d):
    _second_api(d)
    share, _path = _share(d, count=200)
    replies = _storm(d, [_host_assisted_start(d, share, 'local2#pool1')]
                     * 50)
    codes = [status for status, _ in replies]
    assert codes.count(202) == 1, codes
    assert set(codes) <= {202, 400, 409}, codes
    for status, fault in replies:
        if status != 202:
            (inner,) = fault.values()
            assert inner['code'] == status
    d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
               'data_copying_completed', timeout=120)
    conf = d.client_conf()
    db_api.configure(conf)
    try:
        jobs = db_api.data_copy_job_get_all(context.get_admin_context(),
                                            share_id=share['id'])
        shown = db_api.share_get(context.get_admin_context(), share['id'])
        assert len(jobs) == 1
        assert len(shown.instances) == 2
    finally:
        db_api.dispose()


def test_delete_and_reset_status_storm_is_consistent(d):
    _second_api(d)
    share, _path = _share(d, count=5)
    path = '/v2/shares/%s' % share['id']
    bodies = []
    for i in range(50):
        if i % 3 == 0:
            bodies.append(('DELETE', path, None))
        else:
            status = 'error' if i % 3 == 1 else 'available'
            bodies.append(('POST', path + '/action',
                           {'reset_status': {'status': status}}))
    replies = _storm(d, bodies)
    codes = [status for status, _ in replies]
    assert all(c < 500 for c in codes), codes
    assert set(codes) <= {202, 400, 403, 404, 409}, codes
    # Whatever the interleaving, an accepted delete finishes (a reset
    # racing with it cannot keep the share alive); otherwise the share
    # is left in a status somebody set, never stuck in deleting.
    deleted = any(status == 202 for (status, _), (method, _p, _b)
                  in zip(replies, bodies, strict=True) if method == 'DELETE')
    if deleted:
        d.wait_for(path, 'share', 'status', None)
    else:
        status, body = d.request('GET', path)
        assert body['share']['status'] in ('available', 'error'), body


def _settled_replicas(d, share_id):
    """The share's replicas once none is in a transitional status."""
    deadline = time.monotonic() + 120
    while True:
        status, body = d.request(
            'GET', '/v2/share-replicas/detail?share_id=' + share_id)
        assert status == 200, body
        replicas = body['share_replicas']
        if all(r['status'] in ('available', 'error') for r in replicas):
            return replicas
        assert time.monotonic() < deadline, replicas
        time.sleep(0.3)


def _active_dir(d, replicas):
    actives = [r for r in replicas if r['replica_state'] == 'active']
    assert len(actives) == 1, replicas
    status, body = d.request(
        'GET', '/v2/share-replicas/%s/export-locations' % actives[0]['id'])
    assert status == 200, body
    return actives[0]['id'], next(el['path'] for el in body[
        'export_locations'] if el['is_admin_only'])


def test_promote_storms_one_wins_and_one_replica_stays_active(d):
    """Fifty promotes of one replica over two API processes: exactly one
    is accepted (the others see it busy, then already active). Then a
    mix of promotes of the old active replica, deletes of it and admin
    resets of its status: nothing answers 5xx, and the share ends with
    exactly one active replica holding the original bytes.

    (Resets of ``replica_state`` are left out on purpose: an admin may
    set the active replica ``out_of_sync``, upstream as here, and then
    no replica is active by the admin's own hand.)"""
    _second_api(d)
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'race-readable', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': 'readable'}}})
    assert status == 200, body
    share, path = _share(d, count=20, share_type=body['share_type']['id'])
    before = files.contents(path)
    first = _settled_replicas(d, share['id'])[0]['id']
    status, body = d.request('POST', '/v2/share-replicas', {
        'share_replica': {'share_id': share['id'],
                          'availability_zone': 'az2'}})
    assert status == 202, body
    second = body['share_replica']['id']
    d.wait_for('/v2/share-replicas/' + second, 'share_replica',
               'replica_state', 'in_sync', timeout=120)

    action = '/v2/share-replicas/%s/action'
    replies = _storm(d, [('POST', action % second, {'promote': None})] * 50)
    codes = [status for status, _ in replies]
    assert codes.count(202) == 1, codes
    assert set(codes) <= {200, 202, 400, 409}, codes
    active, active_dir = _active_dir(d, _settled_replicas(d, share['id']))
    assert active == second
    assert files.contents(active_dir) == before

    bodies = []
    for i in range(48):
        if i % 3 == 0:
            bodies.append(('POST', action % first, {'promote': None}))
        elif i % 3 == 1:
            bodies.append(('DELETE', '/v2/share-replicas/' + first, None))
        else:
            bodies.append(('POST', action % first, {
                'reset_status': {'status': 'available'}}))
    codes = [status for status, _ in _storm(d, bodies)]
    assert all(c < 500 for c in codes), codes
    assert set(codes) <= {200, 202, 400, 404, 409}, codes
    _active, active_dir = _active_dir(d, _settled_replicas(d, share['id']))
    assert files.contents(active_dir) == before


def _replicated_share(d, name):
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': 'readable'}}})
    assert status == 200, body
    share, _path = _share(d, count=5, share_type=body['share_type']['id'])
    _settled_replicas(d, share['id'])
    return share


def _faults_name_their_code(replies):
    for status, fault in replies:
        if status >= 400:
            (inner,) = fault.values()
            assert inner['code'] == status, fault


def test_fifty_replica_creates_in_one_zone_one_wins(d):
    """A zone holds at most one replica of a share: of 50 concurrent
    creates for the same zone over two API processes exactly one is
    accepted, and no replica row is left behind by the others."""
    _second_api(d)
    share = _replicated_share(d, 'race-zone')
    body = {'share_replica': {'share_id': share['id'],
                              'availability_zone': 'az2'}}
    replies = _storm(d, [('POST', '/v2/share-replicas', body)] * 50)
    codes = [status for status, _ in replies]
    assert codes.count(202) == 1, codes
    assert set(codes) <= {202, 400, 409}, codes
    _faults_name_their_code(replies)
    replicas = _settled_replicas(d, share['id'])
    assert sorted(r['availability_zone'] for r in replicas) == [
        'az1', 'az2'], replicas
    assert {r['status'] for r in replicas} == {'available'}, replicas


def test_replica_create_racing_migration_start_one_wins(d):
    """Replica creates and migration starts of one replicated share,
    interleaved over two API processes: exactly one request wins and
    the share ends either migrating without a new replica or with one
    new replica and no migration."""
    _second_api(d)
    share = _replicated_share(d, 'race-mixed')
    bodies = []
    for i in range(50):
        if i % 2:
            bodies.append(('POST', '/v2/share-replicas', {'share_replica': {
                'share_id': share['id'], 'availability_zone': 'az2'}}))
        else:
            bodies.append(_host_assisted_start(d, share, 'local1#pool2'))
    replies = _storm(d, bodies)
    codes = [status for status, _ in replies]
    assert codes.count(202) == 1, codes
    assert set(codes) <= {202, 400, 409}, codes
    _faults_name_their_code(replies)
    winner = bodies[codes.index(202)][0]
    if winner == 'POST' and 'migration_start' in str(
            bodies[codes.index(202)][2]):
        d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                   'data_copying_completed', timeout=120)
        status, body = d.request(
            'GET', '/v2/share-replicas/detail?share_id=' + share['id'])
        assert len(body['share_replicas']) == 1, body
    else:
        replicas = _settled_replicas(d, share['id'])
        assert len(replicas) == 2, replicas
        status, body = d.request('GET', '/v2/shares/' + share['id'])
        assert body['share']['task_state'] is None, body


def test_deletes_racing_migration_starts_one_wins(d):
    """Deletes and migration starts of one share, interleaved over two
    API processes: exactly one is accepted, and the share either goes
    away with nothing left on either backend or migrates with one copy
    job."""
    _second_api(d)
    share, path = _share(d, count=20)
    bodies = []
    for i in range(50):
        if i % 2:
            bodies.append(('DELETE', '/v2/shares/' + share['id'], None))
        else:
            bodies.append(_host_assisted_start(d, share, 'local2#pool1'))
    replies = _storm(d, bodies)
    codes = [status for status, _ in replies]
    assert codes.count(202) == 1, codes
    # 404 once the share a delete won is gone.
    assert set(codes) <= {202, 400, 403, 404, 409}, codes
    _faults_name_their_code(replies)
    winner = bodies[codes.index(202)][0]
    if winner == 'DELETE':
        d.wait_for('/v2/shares/' + share['id'], 'share', 'status', None)
        assert not os.path.exists(path)
    else:
        d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                   'data_copying_completed', timeout=120)
        conf = d.client_conf()
        db_api.configure(conf)
        try:
            jobs = db_api.data_copy_job_get_all(
                context.get_admin_context(), share_id=share['id'])
            assert len(jobs) == 1
        finally:
            db_api.dispose()


def test_extends_racing_replica_creates_one_wins(d):
    """Extends and replica creates of one replicated share, interleaved
    over two API processes: exactly one is accepted, and the share ends
    either one GiB larger with its one replica or at its size with a new
    replica, every replica available."""
    _second_api(d)
    share = _replicated_share(d, 'race-extend')
    bodies = []
    for i in range(50):
        if i % 2:
            bodies.append(('POST', '/v2/share-replicas', {'share_replica': {
                'share_id': share['id'], 'availability_zone': 'az2'}}))
        else:
            bodies.append(('POST', '/v2/shares/%s/action' % share['id'],
                           {'extend': {'new_size': share['size'] + 1}}))
    # The share services wait while the storm lasts: an extend finished
    # within it would make a later replica create rightly acceptable.
    paused = [d.procs[name] for name in ('share1', 'share2')]
    for proc in paused:
        proc.send_signal(signal.SIGSTOP)
    try:
        replies = _storm(d, bodies)
    finally:
        for proc in paused:
            proc.send_signal(signal.SIGCONT)
    codes = [status for status, _ in replies]
    assert codes.count(202) == 1, codes
    assert set(codes) <= {202, 400, 409}, codes
    _faults_name_their_code(replies)
    extended = bodies[codes.index(202)][1].endswith('/action')
    if extended:
        d.wait_for('/v2/shares/' + share['id'], 'share', 'size',
                   share['size'] + 1, timeout=120)
    d.wait_for('/v2/shares/' + share['id'], 'share', 'status', 'available',
               timeout=120)
    replicas = _settled_replicas(d, share['id'])
    assert len(replicas) == (1 if extended else 2), replicas
    assert {r['status'] for r in replicas} == {'available'}, replicas
    status, body = d.request('GET', '/v2/shares/' + share['id'])
    assert body['share']['size'] == share['size'] + (1 if extended else 0)
