"""Backup quota races through the real API over two API processes
(RabbitMQ, MariaDB, a real data service): concurrent backup creates
against a limit let exactly that many through (upstream's 413 for the
rest), and deletes racing creates leave the project's backup usage
equal to the backups that exist."""

import concurrent.futures
import time

from tests.functional.test_quota_races import CREATE
from tests.functional.test_quota_races import QS
from tests.functional.test_quota_races import _settled
from tests.functional.test_races import _second_api
from tests.functional.test_races import _storm

EXP = {'X-OpenStack-Manila-API-Experimental': 'True'}
LIMIT = 4


def _backup_storm(d, bodies):
    bases = [d.url, 'http://127.0.0.1:%d' % d.port2]

    def send(i, method, path, body):
        return d.request(method, path, body, version='2.85', headers=EXP,
                         base=bases[i % 2])

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(send, i, *b) for i, b in enumerate(bodies)]
        return [f.result() for f in futures]


def _create(share):
    return ('POST', '/v2/share-backups', {'share_backup': {
        'share_id': share['id']}})


def _usage(d):
    status, body = d.request('GET', QS + '/detail')
    assert status == 200, body
    q = body['quota_set']
    return q['backups']['in_use'], q['backup_gigabytes']['in_use']


def _backups_settled(d):
    deadline = time.monotonic() + 300
    while True:
        status, body = d.request('GET', '/v2/share-backups/detail',
                                 version='2.85', headers=EXP)
        assert status == 200, body
        backups = body['share_backups']
        if all(b['status'] in ('available', 'error') for b in backups):
            return backups
        assert time.monotonic() < deadline, (
            [b['status'] for b in backups], d.dump_logs())
        time.sleep(0.5)


def test_backup_creates_and_deletes_over_two_apis(d):
    _second_api(d)
    replies = _storm(d, [CREATE] * (2 * LIMIT + 2))
    assert all(status == 200 for status, _ in replies), replies
    shares = _settled(d)
    assert all(s['status'] == 'available' for s in shares), shares
    status, body = d.request('PUT', QS, {'quota_set': {'backups': LIMIT}})
    assert status == 200, body

    replies = _backup_storm(d, [_create(s) for s in shares])
    codes = [status for status, _ in replies]
    assert codes.count(202) == LIMIT, codes
    assert codes.count(413) == len(shares) - LIMIT, codes
    for status, fault in replies:
        if status == 413:
            assert fault == {'overLimit': {
                'code': 413, 'retryAfter': '0', 'message':
                'BackupLimitExceeded: Maximum number of backups allowed '
                '(%d) exceeded.' % LIMIT}}, fault
    assert _usage(d) == (LIMIT, LIMIT)

    # Deletes of half of them race creates for the shares refused.
    taken = {body['share_backup']['share_id']
             for status, body in replies if status == 202}
    backups = _backups_settled(d)
    _settled(d)
    bodies = [('DELETE', '/v2/share-backups/' + b['id'], None)
              for b in backups[:LIMIT // 2]]
    bodies += [_create(s) for s in shares if s['id'] not in taken]
    replies = _backup_storm(d, bodies)
    assert all(status in (202, 413) for status, _ in replies), replies
    deadline = time.monotonic() + 300
    while True:
        remaining = _backups_settled(d)
        gone = {b['id'] for b in backups[:LIMIT // 2]}
        if not gone & {b['id'] for b in remaining}:
            break
        assert time.monotonic() < deadline, remaining
        time.sleep(0.5)
    assert len(remaining) <= LIMIT
    assert _usage(d) == (len(remaining),
                         sum(b['size'] for b in remaining))
