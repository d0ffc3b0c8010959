"""Quota sets, quota class sets, limits and enforcement: upstream's
shapes by microversion, its 400/403/404/413 with their messages, usage
charged with what it pays for and released with what is deleted."""

import pytest

from manila_lite.common import context
from manila_lite.db import api as db_api
from tests.unit import rows
from tests.unit.api.conftest import fault

QS = '/v2/quota-sets/proj-a'
V = '2.80'


def _share(client, size=1, token_user='member', version=V, type_id=None):
    body = {'share': {'size': size, 'share_proto': 'NFS'}}
    if type_id:
        body['share']['share_type'] = type_id
    call = client.member if token_user == 'member' else client
    return call('POST', '/v2/shares', body, version=version)


def _set(client, body, query='', version=V):
    return client('PUT', QS + query, {'quota_set': body}, version=version)


def test_defaults_show_and_keys_by_version(client):
    resp = client.member('GET', QS + '/defaults', version=V)
    assert resp.status_int == 200, resp.body
    qs = resp.json_body_or_none['quota_set']
    assert qs['id'] == 'proj-a'
    assert qs['shares'] == 50 and qs['gigabytes'] == 1000
    assert qs['backups'] == 10 and qs['backup_gigabytes'] == 1000
    assert qs['per_share_gigabytes'] == -1
    old = client.member('GET', QS, version='2.39').json_body_or_none
    assert 'share_groups' not in old['quota_set']
    assert 'share_replicas' not in old['quota_set']
    mid = client.member('GET', QS, version='2.53').json_body_or_none
    assert mid['quota_set']['share_replicas'] == 100
    assert 'backups' not in mid['quota_set']


def test_detail_and_wrong_versions(client):
    resp = client.member('GET', QS + '/detail', version='2.25')
    assert resp.status_int == 200
    entry = resp.json_body_or_none['quota_set']['shares']
    assert entry == {'limit': 50, 'in_use': 0, 'reserved': 0}
    assert client.member('GET', QS + '/detail',
                         version='2.24').status_int == 404
    assert client.member('GET', QS, version='2.6').status_int == 404
    assert client.member('GET', '/v2/os-quota-sets/proj-a',
                         version='2.6').status_int == 200
    assert client.member('GET', '/v2/os-quota-sets/proj-a',
                         version='2.7').status_int == 404


def test_member_may_not_update_or_reset_or_read_others(client):
    resp = client.member('PUT', QS, {'quota_set': {'shares': 9}},
                         version=V)
    assert resp.status_int == 403
    assert client.member('DELETE', QS, version=V).status_int == 403
    assert client.member('GET', '/v2/quota-sets/proj-b',
                         version=V).status_int == 403


@pytest.mark.parametrize('body,message', [
    ({'shares': -2}, 'Quota limit must be -1 or greater.'),
    ({'bogus': 1}, 'Bad key(s) bogus in quota_set.'),
    ({'shares': 'x'}, "Quota 'x' for shares should be integer."),
])
def test_update_refusals(client, body, message):
    resp = _set(client, body)
    assert fault(resp) == ('badRequest', 400, message)


def test_version_gated_keys_refused(client):
    resp = _set(client, {'share_replicas': 3}, version='2.52')
    assert fault(resp)[2] == (
        "'share_replicas' key is not supported by this microversion. Use "
        "2.53 or greater microversion to be able to use 'share_replicas' "
        "quotas.")


def test_user_and_type_quotas_bounded_by_project_unless_forced(client):
    assert _set(client, {'shares': 10}).status_int == 200
    resp = _set(client, {'shares': 11}, '?user_id=alice')
    assert fault(resp) == ('badRequest', 400,
                           'Quota limit must be less than 10.')
    assert _set(client, {'shares': 11, 'force': True},
                '?user_id=alice').status_int == 200
    tid = client.default_type['id']
    resp = _set(client, {'share_networks': 1}, '?share_type=' + tid)
    assert fault(resp)[1] == 400
    resp = _set(client, {'shares': 4}, '?share_type=default')
    qs = resp.json_body_or_none['quota_set']
    assert qs['shares'] == 4 and 'share_networks' not in qs
    resp = client('GET', QS + '?share_type=nope', version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           "Share type with name or id 'nope' not found.")
    resp = client('GET', QS + '?share_type=default&user_id=alice',
                  version=V)
    assert fault(resp)[1] == 400
    resp = client('GET', QS + '?share_type=default', version='2.38')
    assert fault(resp)[1] == 400
    # Reset: back to the defaults.
    assert client('DELETE', QS, version=V).status_int == 202
    qs = client('GET', QS, version=V).json_body_or_none['quota_set']
    assert qs['shares'] == 50


def test_share_over_quota_is_413_and_usage_follows(client):
    assert _set(client, {'shares': 1, 'gigabytes': 5}).status_int == 200
    resp = _share(client, size=6)
    assert fault(resp) == (
        'overLimit', 413, 'ShareSizeExceedsAvailableQuota: Requested share '
        'exceeds allowed project/user or share type gigabytes quota.')
    ok = _share(client, size=2)
    assert ok.status_int == 200, ok.body
    resp = _share(client, size=1)
    assert fault(resp) == (
        'overLimit', 413, 'ShareLimitExceeded: Maximum number of shares '
        'allowed (1) either per project/user or share type quota is '
        'exceeded.')
    detail = client('GET', QS + '/detail', version=V).json_body_or_none
    assert detail['quota_set']['gigabytes']['in_use'] == 2
    user = client('GET', QS + '/detail?user_id=alice',
                  version=V).json_body_or_none['quota_set']
    assert user['shares']['in_use'] == 1
    limits = client.member('GET', '/v2/limits',
                           version=V).json_body_or_none['limits']
    assert limits['absolute']['totalSharesUsed'] == 1
    assert limits['absolute']['maxTotalShares'] == 1
    assert limits['absolute']['totalShareGigabytesUsed'] == 2
    # Deleting the share (its last instance) releases what it held.
    share = ok.json_body_or_none['share']
    ctx = context.RequestContext(user_id='admin', project_id='admin',
                                 roles=['admin'])
    inst = db_api.share_get(ctx, share['id']).instances[0]
    db_api.share_instance_destroy(ctx, inst.id, share_too=True)
    detail = client('GET', QS + '/detail', version=V).json_body_or_none
    assert detail['quota_set']['gigabytes']['in_use'] == 0
    assert detail['quota_set']['shares']['in_use'] == 0


def test_per_share_gigabytes(client):
    assert _set(client, {'per_share_gigabytes': 3}).status_int == 200
    resp = _share(client, size=4)
    assert fault(resp) == (
        'overLimit', 413, 'ShareSizeExceedsLimit: Requested share size 4 '
        'is larger than maximum allowed limit 3.')


def test_quota_class_sets(client):
    resp = client('PUT', '/v2/quota-class-sets/default',
                  {'quota_class_set': {'shares': 7}}, version=V)
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none['quota_class_set']['shares'] == 7
    qs = client('GET', QS + '/defaults', version=V).json_body_or_none
    assert qs['quota_set']['shares'] == 7
    assert client.member('GET', '/v2/quota-class-sets/default',
                         version=V).status_int == 403
    assert client.member('PUT', '/v2/quota-class-sets/default',
                         {'quota_class_set': {'shares': 1}},
                         version=V).status_int == 403


def test_migration_swap_keeps_the_active_replica_counted(client):
    """A migration's completion deletes the source (the active replica
    of a replicated share) once its destination is active: the share
    still holds one replica, and so does its usage."""
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'repl', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': 'readable'}}}, version=V)
    assert resp.status_int == 200, resp.body
    resp = _share(client, size=2, token_user='admin', type_id='repl')
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    ctx = context.RequestContext(user_id='admin', project_id='admin',
                                 roles=['admin'])
    source = db_api.share_get(ctx, share_id).instances[0]
    dest = db_api.share_instance_create(ctx, share_id, {
        'status': 'migrating_to', 'host': 'h@b#p', 'replica_state': None})
    with db_api.writer(ctx):
        rows.share_instance_update(ctx, dest.id,
                                     {'replica_state': 'active'})
        db_api.share_instance_destroy(ctx, source.id)
    detail = client('GET', '/v2/quota-sets/admin/detail',
                    version=V).json_body_or_none['quota_set']
    assert detail['share_replicas']['in_use'] == 1
    assert detail['replica_gigabytes']['in_use'] == 2
    # The share's delete (its last instance) gives everything back.
    db_api.share_instance_destroy(ctx, dest.id, share_too=True)
    detail = client('GET', '/v2/quota-sets/admin/detail',
                    version=V).json_body_or_none['quota_set']
    assert [detail[r]['in_use'] for r in (
        'shares', 'gigabytes', 'share_replicas', 'replica_gigabytes')] == [
        0, 0, 0, 0]
