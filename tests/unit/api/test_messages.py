"""User messages (2.37+): list with filters, sort and pages, the time
filters of 2.52, show, delete, project scoping, 404s and 400s, and
expiry (``message_ttl`` and the purge)."""

import datetime
import uuid

from oslo_utils import timeutils
import pytest

from manila_lite.common import context
from manila_lite.common import messages
from manila_lite.db import messages as msg_db
from tests.unit.api.conftest import fault

V = '2.37'
V_TIME = '2.52'
KEYS = {'id', 'project_id', 'action_id', 'detail_id', 'message_level',
        'created_at', 'expires_at', 'request_id', 'links', 'resource_type',
        'resource_id', 'user_message'}


def _ctx(project_id, request_id=None):
    return context.RequestContext(user_id='u', project_id=project_id,
                                  request_id=request_id or 'req-' + str(
                                      uuid.uuid4()))


def _record(conf, project_id='proj-a', resource_id=None, *,
            action=messages.Action.ALLOCATE_HOST,
            detail=messages.Detail.NO_VALID_HOST, request_id=None,
            created_at=None):
    msg = msg_db.record(
        conf, _ctx(project_id, request_id), action,
        messages.Resource.SHARE, resource_id or str(uuid.uuid4()),
        detail=detail)
    assert msg is not None
    if created_at is not None:
        with msg_db.api.writer(_ctx(project_id)) as session:
            session.merge(msg).created_at = created_at
    return msg


def test_show_has_upstreams_fields_and_text(client, conf):
    msg = _record(conf)
    resp = client.member('GET', '/v2/messages/' + msg.id, version=V)
    assert resp.status_int == 200, resp.body
    body = resp.json_body_or_none['message']
    assert set(body) == KEYS
    assert body['action_id'] == '001'
    assert body['detail_id'] == '002'
    assert body['message_level'] == 'ERROR'
    assert body['resource_type'] == 'SHARE'
    assert body['project_id'] == 'proj-a'
    assert body['request_id'] == msg.request_id
    assert body['user_message'] == (
        'allocate host: No storage could be allocated for this share '
        'request. Trying again with a different size or share type may '
        'succeed.')
    created = timeutils.parse_strtime(body['created_at'])
    expires = timeutils.parse_strtime(body['expires_at'])
    assert expires - created == datetime.timedelta(seconds=2592000)
    assert body['links'][0]['href'].endswith('/messages/' + msg.id)


def test_user_message_of_unknown_ids(client, conf):
    msg = _record(conf, action=('999', 'x'), detail=('998', 'y'))
    body = client.member('GET', '/v2/messages/' + msg.id,
                         version=V).json_body_or_none['message']
    assert body['user_message'] == 'unknown action: An unknown error ' \
                                   'occurred.'


def test_messages_need_2_37(client, conf):
    msg = _record(conf)
    for method, path in (('GET', '/v2/messages'),
                         ('GET', '/v2/messages/' + msg.id),
                         ('DELETE', '/v2/messages/' + msg.id)):
        resp = client.member(method, path, version='2.36')
        assert resp.status_int == 404, (method, path)


def test_list_is_scoped_to_the_project_admin_sees_all(client, conf):
    mine = _record(conf, 'proj-a')
    theirs = _record(conf, 'proj-b')
    resp = client.member('GET', '/v2/messages', version=V)
    assert resp.status_int == 200
    ids = [m['id'] for m in resp.json_body_or_none['messages']]
    assert ids == [mine.id]
    resp = client('GET', '/v2/messages', version=V)
    ids = {m['id'] for m in resp.json_body_or_none['messages']}
    assert ids == {mine.id, theirs.id}


def test_other_projects_message_is_404_to_show_and_delete(client, conf):
    theirs = _record(conf, 'proj-b')
    for method in ('GET', 'DELETE'):
        resp = client.member(method, '/v2/messages/' + theirs.id, version=V)
        assert resp.status_int == 404
        assert fault(resp) == ('itemNotFound', 404, 'Message %s could not '
                               'be found.' % theirs.id)
    # Still there for its owner.
    resp = client('GET', '/v2/messages/' + theirs.id, version=V)
    assert resp.status_int == 200


def test_nonexistent_message_is_404(client):
    missing = str(uuid.uuid4())
    for method in ('GET', 'DELETE'):
        resp = client.member(method, '/v2/messages/' + missing, version=V)
        assert fault(resp) == ('itemNotFound', 404, 'Message %s could not '
                               'be found.' % missing)


def test_delete_is_204_and_the_message_is_gone(client, conf):
    msg = _record(conf)
    resp = client.member('DELETE', '/v2/messages/' + msg.id, version=V)
    assert resp.status_int == 204
    assert resp.body == b''
    resp = client.member('GET', '/v2/messages/' + msg.id, version=V)
    assert resp.status_int == 404


def test_reader_may_read_but_not_delete(client, conf):
    msg = _record(conf)
    resp = client.member('GET', '/v2/messages/' + msg.id, version=V,
                         roles='reader')
    assert resp.status_int == 200
    resp = client.member('DELETE', '/v2/messages/' + msg.id, version=V,
                         roles='reader')
    assert resp.status_int == 403
    assert fault(resp)[:2] == ('forbidden', 403)


@pytest.mark.parametrize('key,value', [
    ('resource_type', 'SHARE_REPLICA'), ('action_id', '002'),
    ('detail_id', '008'), ('request_id', 'req-special'),
    ('message_level', 'ERROR')])
def test_exact_filters(client, conf, key, value):
    plain = _record(conf)
    special = msg_db.record(
        conf, _ctx('proj-a', 'req-special'), messages.Action.CREATE,
        messages.Resource.SHARE_REPLICA, str(uuid.uuid4()),
        detail=messages.Detail.FILTER_CAPABILITIES)
    resp = client.member('GET', '/v2/messages?%s=%s' % (key, value),
                         version=V)
    ids = {m['id'] for m in resp.json_body_or_none['messages']}
    if key == 'message_level':
        assert ids == {plain.id, special.id}
    else:
        assert ids == {special.id}


def test_filter_by_resource_id_and_unknown_value(client, conf):
    msg = _record(conf)
    _record(conf)
    resp = client.member('GET', '/v2/messages?resource_id=' +
                         msg.resource_id, version=V)
    assert [m['id'] for m in resp.json_body_or_none['messages']] == [msg.id]
    resp = client.member('GET', '/v2/messages?resource_type=NOPE',
                         version=V)
    assert resp.json_body_or_none['messages'] == []


def test_sorted_and_paginated(client, conf):
    ids = sorted(str(uuid.uuid4()) for _ in range(3))
    for rid in reversed(ids):
        _record(conf, resource_id=rid)
    resp = client.member(
        'GET', '/v2/messages?sort_key=resource_id&sort_dir=asc&limit=2',
        version=V)
    body = resp.json_body_or_none
    assert [m['resource_id'] for m in body['messages']] == ids[:2]
    assert 'offset=2' in body['messages_links'][0]['href']
    resp = client.member(
        'GET', '/v2/messages?sort_key=resource_id&sort_dir=asc&limit=2'
        '&offset=2', version=V)
    assert [m['resource_id'] for m in
            resp.json_body_or_none['messages']] == ids[2:]


@pytest.mark.parametrize('query,text', [
    ('sort_key=nope', 'Invalid input received: Invalid sort_key: nope'),
    ('sort_dir=up', 'Invalid input received: Invalid sort_dir: up'),
    ('limit=-1', 'Invalid input received: limit param must be an integer '
                 'of at least 0'),
    # Offsets are read as upstream reads them (common.pagination).
    ('offset=x', 'offset must be an integer'),
])
def test_bad_list_parameters_are_400(client, query, text):
    resp = client.member('GET', '/v2/messages?' + query, version=V)
    assert fault(resp) == ('badRequest', 400, text)


@pytest.mark.parametrize('key', ['created_since', 'created_before'])
def test_invalid_time_is_400(client, key):
    resp = client.member('GET', '/v2/messages?%s=invalid_time' % key,
                         version=V_TIME)
    assert fault(resp) == ('badRequest', 400, 'Invalid value specified '
                           'for the query key: %s' % key)


def test_time_filters_ignored_before_2_52(client, conf):
    msg = _record(conf)
    resp = client.member('GET', '/v2/messages?created_since=invalid_time',
                         version='2.51')
    assert resp.status_int == 200
    assert [m['id'] for m in resp.json_body_or_none['messages']] == [msg.id]


def test_created_since_and_before(client, conf):
    now = timeutils.utcnow().replace(microsecond=0)
    old = _record(conf, created_at=now - datetime.timedelta(hours=2))
    mid = _record(conf, created_at=now - datetime.timedelta(hours=1))
    new = _record(conf, created_at=now)

    def listed(query):
        resp = client.member('GET', '/v2/messages?' + query,
                             version=V_TIME)
        assert resp.status_int == 200, resp.body
        return {m['id'] for m in resp.json_body_or_none['messages']}

    # What tempest sends: str(datetime), a space and no zone.
    since = str(now - datetime.timedelta(minutes=90))
    before = str(now - datetime.timedelta(minutes=30))
    assert listed('created_since=' + since) == {mid.id, new.id}
    assert listed('created_before=' + before) == {old.id, mid.id}
    assert listed('created_since=%s&created_before=%s'
                  % (since, before)) == {mid.id}
    # ISO 8601 with an offset: 12:00+01:00 is 11:00 UTC.
    zoned = (now - datetime.timedelta(minutes=30)).replace(
        tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    assert listed('created_before=' + zoned.isoformat().replace(
        '+', '%2B')) == {old.id}


def test_ttl_sets_expires_at_and_purge_deletes_expired(client, conf,
                                                       admin_ctx):
    conf.set_override('message_ttl', 60)
    msg = _record(conf)
    assert msg.expires_at - msg.created_at == datetime.timedelta(seconds=60)
    keep = _record(conf)
    with msg_db.api.writer(admin_ctx) as session:
        session.merge(msg).expires_at = (
            timeutils.utcnow() - datetime.timedelta(seconds=1))
    assert msg_db.purge_expired(admin_ctx) == 1
    resp = client('GET', '/v2/messages', version=V)
    assert [m['id'] for m in resp.json_body_or_none['messages']] == [keep.id]


def test_record_without_a_project_stores_nothing(conf, db, admin_ctx):
    service_ctx = context.get_admin_context()
    assert msg_db.record(conf, service_ctx, messages.Action.CREATE,
                         messages.Resource.SHARE, 'x') is None
    assert msg_db.message_get_all(admin_ctx) == []
