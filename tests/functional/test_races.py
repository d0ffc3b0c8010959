"""Races through the real API: many concurrent requests on one share,
spread over two API processes. Every state change is one conditional
UPDATE, so exactly one migration_start wins, and a delete/reset_status
storm ends in a consistent state without a single 5xx."""

import concurrent.futures
import time

from manila_lite.common import context
from manila_lite.db import api as db_api
from tests.functional.test_migration import _share
from tests.functional.test_migration import d  # noqa: F401


def _storm(d, bodies):  # noqa: F811
    bases = [d.url, 'http://127.0.0.1:%d' % d.port2]

    def send(i, method, path, body):
        return d.request(method, path, body, base=bases[i % 2])

    with concurrent.futures.ThreadPoolExecutor(max_workers=25) as pool:
        futures = [pool.submit(send, i, *b) for i, b in enumerate(bodies)]
        return [f.result() for f in futures]


def _second_api(d):  # noqa: F811
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


def test_fifty_concurrent_migration_starts_one_wins(d):  # noqa: F811
    _second_api(d)
    share, _path = _share(d, count=200)
    body = {'migration_start': {
        'host': '%s@local2#pool1' % d.host, 'writable': False,
        'preserve_metadata': False, 'nondisruptive': False,
        'preserve_snapshots': False, 'force_host_assisted_migration': True}}
    replies = _storm(d, [('POST', '/v2/shares/%s/action' % share['id'],
                          body)] * 50)
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


def test_delete_and_reset_status_storm_is_consistent(d):  # noqa: F811
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
