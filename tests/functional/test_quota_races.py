"""Quota races through the real API, spread over two API processes:
50 concurrent share creates against a limit of 10 let exactly 10
through (the rest answer upstream's 413), and a storm of creates and
deletes leaves the project's usage equal to what exists."""

import time

from tests.functional.test_races import _second_api
from tests.functional.test_races import _storm

QS = '/v2/quota-sets/admin'
CREATE = ('POST', '/v2/shares', {'share': {'share_proto': 'NFS',
                                            'size': 1}})


def _usage(d):
    status, body = d.request('GET', QS + '/detail')
    assert status == 200, body
    q = body['quota_set']
    return q['shares']['in_use'], q['gigabytes']['in_use']


def _existing(d):
    status, body = d.request('GET', '/v2/shares/detail')
    assert status == 200, body
    return body['shares']


def _settled(d):
    """The project's shares once none is creating or deleting."""
    deadline = time.monotonic() + 180
    while True:
        shares = _existing(d)
        if all(s['status'] in ('available', 'error') for s in shares):
            return shares
        assert time.monotonic() < deadline, [s['status'] for s in shares]
        time.sleep(0.5)


def test_fifty_creates_against_a_limit_of_ten(d):
    _second_api(d)
    status, body = d.request('PUT', QS, {'quota_set': {'shares': 10}})
    assert status == 200, body
    started = time.monotonic()
    replies = _storm(d, [CREATE] * 50)
    print('50 creates over two API processes in %.2f s'
          % (time.monotonic() - started))
    codes = [status for status, _ in replies]
    assert codes.count(200) == 10, codes
    assert codes.count(413) == 40, codes
    for status, fault in replies:
        if status == 413:
            assert fault == {'overLimit': {
                'code': 413, 'retryAfter': '0', 'message':
                'ShareLimitExceeded: Maximum number of shares allowed (10) '
                'either per project/user or share type quota is '
                'exceeded.'}}, fault
    assert _usage(d) == (10, 10)
    # Deletes of those ten and forty more creates, interleaved.
    shares = _settled(d)
    bodies = []
    for i in range(50):
        if i % 5 == 0 and shares:
            bodies.append(('DELETE', '/v2/shares/%s' % shares.pop()['id'],
                           None))
        else:
            bodies.append(CREATE)
    replies = _storm(d, bodies)
    assert all(status < 500 for status, _ in replies), replies
    remaining = _settled(d)
    assert _usage(d) == (len(remaining), sum(s['size'] for s in remaining))
    assert len(remaining) <= 10
