"""Access rules per microversion, as upstream's share_accesses view:
the states below 2.28, ``access_key`` from 2.21, timestamps from 2.33,
``metadata`` from 2.45, ``share_id`` in the replies about one rule; a
null ``access_level`` is rw; ``update_access`` (2.88) changes a rule's
level and applies it again."""

import pytest

from manila_lite.common import states
from tests.unit import rows
from tests.unit.api.conftest import fault


def _share(db, ctx, *, host='node1@local1#pool1', rules_status=None):
    share = db.share_create(
        ctx, dict(project_id='proj-a', size=1, share_proto='NFS'),
        dict(status=states.STATUS_AVAILABLE, host=host,
             availability_zone='az1'))
    if rules_status is not None:
        rows.share_instance_update(ctx, share.instances[0].id,
                                   {'access_rules_status': rules_status})
    return share.id


def _allow(client, share_id, version, **body):
    body.setdefault('access_type', 'ip')
    body.setdefault('access_to', '10.0.0.1')
    name = 'os-allow_access' if version in ('2.0', '2.6') else 'allow_access'
    return client.member('POST', '/v2/shares/%s/action' % share_id,
                         {name: body}, version=version)


@pytest.mark.parametrize('version,keys,state', [
    ('2.9', set(), states.ACCESS_STATE_NEW),
    ('2.21', {'access_key'}, states.ACCESS_STATE_NEW),
    ('2.27', {'access_key'}, states.ACCESS_STATE_NEW),
    ('2.28', {'access_key'}, states.ACCESS_STATE_QUEUED_TO_APPLY),
    ('2.33', {'access_key', 'created_at', 'updated_at'},
     states.ACCESS_STATE_QUEUED_TO_APPLY),
    ('2.45', {'access_key', 'created_at', 'updated_at', 'metadata'},
     states.ACCESS_STATE_QUEUED_TO_APPLY),
])
def test_allow_reply_per_version(client, db, admin_ctx, version, keys,
                                 state):
    share_id = _share(db, admin_ctx)
    resp = _allow(client, share_id, version)
    assert resp.status_int == 200, resp.body
    rule = resp.json_body_or_none['access']
    base = {'id', 'share_id', 'access_type', 'access_to', 'access_level',
            'state'}
    assert set(rule) == base | keys
    assert rule['state'] == state
    assert rule['share_id'] == share_id


@pytest.mark.parametrize('version', ['2.7', '2.28'])
def test_null_access_level_is_rw(client, db, admin_ctx, version):
    share_id = _share(db, admin_ctx)
    resp = _allow(client, share_id, version, access_level=None)
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none['access']['access_level'] == 'rw'


def test_bad_access_level_is_400(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    name, code, message = fault(_allow(client, share_id, '2.28',
                                       access_level='su'))
    assert (name, code) == ('badRequest', 400)
    assert 'access_level' in message and 'su' in message


@pytest.mark.parametrize('rules_status,state', [
    (states.ACCESS_RULES_STATUS_ACTIVE, states.ACCESS_STATE_ACTIVE),
    (states.ACCESS_RULES_STATUS_ERROR, states.ACCESS_STATE_ERROR),
    (states.ACCESS_RULES_STATUS_SYNCING, states.ACCESS_STATE_NEW),
])
def test_list_below_2_28_shows_the_share_status(
        client, db, admin_ctx, rules_status, state):
    share_id = _share(db, admin_ctx, rules_status=rules_status)
    db.access_create(admin_ctx, dict(
        share_id=share_id, access_type='ip', access_to='10.0.0.9',
        access_level='rw', state=states.ACCESS_STATE_ACTIVE))
    resp = client.member('POST', '/v2/shares/%s/action' % share_id,
                         {'access_list': None}, version='2.27')
    listed = resp.json_body_or_none['access_list']
    assert [r['state'] for r in listed] == [state]
    assert 'share_id' not in listed[0]
    assert 'created_at' not in listed[0]
    resp = client.member('POST', '/v2/shares/%s/action' % share_id,
                         {'access_list': None}, version='2.33')
    listed = resp.json_body_or_none['access_list']
    assert listed[0]['state'] == states.ACCESS_STATE_ACTIVE
    assert {'created_at', 'updated_at', 'access_key'} <= set(listed[0])


def _active_rule(db, ctx, share_id, level='ro'):
    return db.access_create(ctx, dict(
        share_id=share_id, access_type='ip', access_to='10.0.0.7',
        access_level=level, state=states.ACCESS_STATE_ACTIVE)).id


def _update(client, access_id, level, version='2.88', **kwargs):
    return client.member('PUT', '/v2/share-access-rules/' + access_id,
                         {'update_access': {'access_level': level}},
                         version=version, **kwargs)


def test_update_access_changes_the_level(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    access_id = _active_rule(db, admin_ctx, share_id)
    resp = _update(client, access_id, 'rw')
    assert resp.status_int == 200, resp.body
    rule = resp.json_body_or_none['access']
    assert rule['access_level'] == 'rw'
    assert rule['state'] == states.ACCESS_STATE_QUEUED_TO_APPLY
    assert rule['share_id'] == share_id
    stored = db.access_get(admin_ctx, access_id)
    assert (stored.access_level, stored.state) == (
        'rw', states.ACCESS_STATE_QUEUED_TO_APPLY)
    assert db.share_get(admin_ctx, share_id).instances[
        0].access_rules_status == states.ACCESS_RULES_STATUS_SYNCING


def test_update_access_to_the_same_level_changes_nothing(client, db,
                                                         admin_ctx):
    share_id = _share(db, admin_ctx)
    access_id = _active_rule(db, admin_ctx, share_id)
    resp = _update(client, access_id, 'ro')
    assert resp.json_body_or_none['access']['state'] == (
        states.ACCESS_STATE_ACTIVE)


def test_update_access_bad_level_is_400(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    access_id = _active_rule(db, admin_ctx, share_id)
    name, code, message = fault(_update(client, access_id, 'fake_level'))
    assert (name, code) == ('badRequest', 400)
    assert 'fake_level' in message
    resp = client.member('PUT', '/v2/share-access-rules/' + access_id,
                         {'update_access': {}}, version='2.88')
    assert fault(resp) == (
        'badRequest', 400,
        "Invalid input received: 'access_level' is a required property")


def test_update_access_of_a_queued_rule_is_400(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    access_id = db.access_create(admin_ctx, dict(
        share_id=share_id, access_type='ip', access_to='10.0.0.8',
        access_level='ro', state=states.ACCESS_STATE_QUEUED_TO_DENY)).id
    assert fault(_update(client, access_id, 'rw')) == (
        'badRequest', 400,
        'Invalid access rule: access rule %s is queued_to_deny; only an '
        'active rule can be updated' % access_id)


def test_update_access_needs_2_88(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    access_id = _active_rule(db, admin_ctx, share_id)
    assert fault(_update(client, access_id, 'rw', version='2.87')) == (
        'itemNotFound', 404, 'The resource could not be found.')


def test_update_access_of_another_project_is_404(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    access_id = _active_rule(db, admin_ctx, share_id)
    resp = _update(client, access_id, 'rw', token='bob:proj-b')
    assert fault(resp) == ('itemNotFound', 404,
                           'Access rule %s not found.' % access_id)


def test_update_access_by_reader_is_403(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    access_id = _active_rule(db, admin_ctx, share_id)
    resp = _update(client, access_id, 'rw', roles='reader')
    assert fault(resp) == (
        'forbidden', 403,
        "Policy doesn't allow share_access_rule:update to be performed.")


def test_listing_rules_of_a_missing_share_is_400(client):
    resp = client.member('GET', '/v2/share-access-rules?share_id=gone',
                         version='2.45')
    assert fault(resp) == ('badRequest', 400, 'Share gone does not exist.')
    resp = client.member('POST', '/v2/shares/gone/action',
                         {'access_list': None}, version='2.44')
    assert fault(resp) == ('itemNotFound', 404,
                           'Share gone could not be found.')


def test_listing_rules_of_another_projects_share_is_400(client, db,
                                                        admin_ctx):
    share_id = _share(db, admin_ctx)
    resp = client('GET', '/v2/share-access-rules?share_id=' + share_id,
                  version='2.45', token='bob:proj-b', roles='member,reader')
    assert fault(resp) == ('badRequest', 400,
                           'Share %s does not exist.' % share_id)


@pytest.mark.parametrize('first,second', [
    ('10.20.30.40', '10.20.30.40/32'), ('10.10.30.40/32', '10.10.30.40'),
    ('fd8c:b029:bba6:ac54::1', 'fd8c:b029:bba6:ac54::1/128'),
    ('fd2c:b029:bba6:df54::1/128', 'fd2c:b029:bba6:df54::1'),
])
def test_single_host_with_or_without_prefix_is_a_duplicate(
        client, db, admin_ctx, first, second):
    share_id = _share(db, admin_ctx)
    assert _allow(client, share_id, '2.38', access_to=first,
                  access_level=None).status_int == 200
    for access_to in (first, second):
        resp = _allow(client, share_id, '2.38', access_to=access_to,
                      access_level=None)
        assert fault(resp) == (
            'badRequest', 400,
            'Share access ip:%s exists.' % access_to)
