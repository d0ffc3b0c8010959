"""Quota enforcement through the all-in-one stack (real share services
on two local backends): extend, snapshot and replica creates refused
with upstream's codes and messages, nothing charged for what was
refused, and usage given back by a shrink, a failed extend and a
delete."""

import pytest

from manila_lite.share.drivers import local
from tests.unit.test_embedded import wait_for
from tests.unit.test_replicas import make_type
from tests.unit.test_resize import TIMEOUT
from tests.unit.test_resize import V
from tests.unit.test_resize import act
from tests.unit.test_resize import fault
from tests.unit.test_resize import make_share
from tests.unit.test_resize import resized

QS = '/v2/quota-sets/admin'


def _set(client, **limits):
    resp = client('PUT', QS, {'quota_set': limits}, version=V)
    assert resp.status_int == 200, resp.body


def _used(client, *resources):
    detail = client('GET', QS + '/detail',
                    version=V).json_body_or_none['quota_set']
    return tuple(detail[r]['in_use'] for r in resources)


def test_extend_over_quota_is_403_then_usage_follows_size(stack):
    share = make_share(stack)
    _set(stack, gigabytes=2)
    resp = act(stack, share, {'extend': {'new_size': 3}})
    assert fault(resp, 403) == ('Requested share exceeds allowed '
                                'project/user or share type gigabytes '
                                'quota.')
    assert stack('GET', '/v2/shares/' + share, version=V).json_body_or_none[
        'share']['status'] == 'available'
    assert _used(stack, 'gigabytes') == (1,)
    resized(stack, share, 'extend', 2)
    assert _used(stack, 'gigabytes') == (2,)
    resized(stack, share, 'shrink', 1)
    assert _used(stack, 'gigabytes') == (1,)


def test_failed_extend_gives_the_increase_back(stack, monkeypatch):
    share = make_share(stack)

    def boom(self, context, instance, new_size):
        raise RuntimeError('disk on fire')

    monkeypatch.setattr(local.LocalShareDriver, 'extend_share', boom)
    resp = act(stack, share, {'extend': {'new_size': 5}})
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/shares/' + share, 'share', 'status',
             'extending_error', timeout=TIMEOUT)
    assert _used(stack, 'gigabytes') == (1,)


def test_snapshot_over_quota_then_released_on_delete(stack):
    share = make_share(stack)
    _set(stack, snapshots=1)
    resp = stack('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share}}, version=V)
    assert resp.status_int == 202, resp.body
    snap = resp.json_body_or_none['snapshot']['id']
    resp = stack('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share}}, version=V)
    assert fault(resp, 413) == (
        'SnapshotLimitExceeded: Maximum number of snapshots allowed (1) '
        'either per project/user or share type quota is exceeded.')
    assert _used(stack, 'snapshots', 'snapshot_gigabytes') == (1, 1)
    wait_for(stack, '/v2/snapshots/' + snap, 'snapshot', 'status',
             'available', timeout=TIMEOUT)
    assert stack('DELETE', '/v2/snapshots/' + snap,
                 version=V).status_int == 202
    wait_for(stack, '/v2/snapshots/' + snap, 'snapshot', 'status', None,
             timeout=TIMEOUT)
    assert _used(stack, 'snapshots', 'snapshot_gigabytes') == (0, 0)


@pytest.mark.parametrize('limits,message', [
    ({'share_replicas': 1}, 'ShareReplicasLimitExceeded: Maximum number '
                            'of allowed share-replicas is exceeded.'),
    ({'replica_gigabytes': 1}, 'ShareReplicaSizeExceedsAvailableQuota: '
                               'Requested share replica exceeds allowed '
                               'project/user or share type gigabytes '
                               'quota.'),
])
def test_replica_over_quota(stack, limits, message):
    type_id = make_type(stack, 'repl', 'readable')
    share = make_share(stack, type_id=type_id)
    # The active replica of a replicated share counts.
    assert _used(stack, 'share_replicas', 'replica_gigabytes') == (1, 1)
    _set(stack, **limits)
    resp = stack('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share, 'availability_zone': 'az2'}}, version=V)
    assert fault(resp, 413) == message
    assert _used(stack, 'share_replicas', 'replica_gigabytes') == (1, 1)
    assert stack('DELETE', '/v2/shares/' + share,
                 version=V).status_int == 202
    wait_for(stack, '/v2/shares/' + share, 'share', 'status', None,
             timeout=TIMEOUT)
    assert _used(stack, 'shares', 'gigabytes', 'share_replicas',
                 'replica_gigabytes') == (0, 0, 0, 0)
