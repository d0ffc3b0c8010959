"""Access rule metadata (2.45): ``allow_access`` with ``metadata``, the
field in access rule views, the list filter, PUT
/share-access-rules/{id}/metadata and DELETE .../metadata/{key}, and the
rows going with their rule."""

import sqlalchemy as sa

from manila_lite.common import states
from manila_lite.db import models
from tests.unit.api.conftest import fault

V = '2.45'
OLD = '2.44'


def _available_share(db, ctx, project_id='admin'):
    share = db.share_create(
        ctx, dict(project_id=project_id, size=1, share_proto='NFS'),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1',
             availability_zone='az1'))
    return share.id


def _allow(client, share_id, access_to, version=V, **extra):
    body = {'access_type': 'ip', 'access_to': access_to}
    body.update(extra)
    resp = client('POST', '/v2/shares/%s/action' % share_id,
                  {'allow_access': body}, version=version)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['access']


def _metadata_rows(db):
    with db.get_engine().connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(
            models.ShareAccessRuleMetadata))


def test_allow_stores_metadata_and_views_show_it(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    rule = _allow(client, share_id, '10.0.0.1', metadata={'k': 'v'})
    assert rule['metadata'] == {'k': 'v'}
    assert db.access_get(admin_ctx, rule['id']).metadata_dict == {'k': 'v'}
    shown = client('GET', '/v2/share-access-rules/' + rule['id'],
                   version=V).json_body_or_none['access']
    assert shown['metadata'] == {'k': 'v'}
    listed = client('GET', '/v2/share-access-rules?share_id=' + share_id,
                    version=V).json_body_or_none['access_list']
    assert [r['metadata'] for r in listed] == [{'k': 'v'}]
    # The access_list action (up to 2.44) has no metadata, as upstream.
    resp = client('POST', '/v2/shares/%s/action' % share_id,
                  {'access_list': None}, version=OLD)
    assert 'metadata' not in resp.json_body_or_none['access_list'][0]


def test_allow_below_2_45_ignores_metadata(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    rule = _allow(client, share_id, '10.0.0.2', version=OLD,
                  metadata={'k': 'v'})
    assert 'metadata' not in rule
    assert db.access_get(admin_ctx, rule['id']).metadata_dict == {}
    resp = client('POST', '/v2/shares/%s/action' % share_id, {
        'allow_access': {'access_type': 'ip', 'access_to': '10.0.0.3',
                         'metadata': {'k': 1}}}, version=V)
    assert fault(resp)[:2] == ('badRequest', 400)


def test_list_filters_by_metadata(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    a = _allow(client, share_id, '10.0.0.1', metadata={'env': 'prod'})
    _allow(client, share_id, '10.0.0.2', metadata={'env': 'test'})

    def ids(metadata):
        resp = client('GET', '/v2/share-access-rules?share_id=%s&metadata=%s'
                      % (share_id, metadata), version=V)
        assert resp.status_int == 200, resp.body
        return [r['id'] for r in resp.json_body_or_none['access_list']]

    # python-manilaclient sends a dict literal.
    assert ids("{'env': 'prod'}") == [a['id']]
    assert ids('env:prod') == [a['id']]
    assert ids("{'env': 'dev'}") == []
    resp = client('GET', '/v2/share-access-rules?share_id=%s&metadata=x'
                  % share_id, version=V)
    assert fault(resp)[:2] == ('badRequest', 400)


def test_metadata_update_and_delete(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    rule = _allow(client, share_id, '10.0.0.1', metadata={'a': '1'})
    base = '/v2/share-access-rules/%s/metadata' % rule['id']

    def stored():
        return db.access_get(admin_ctx, rule['id']).metadata_dict

    # Upstream's PUT adds or overwrites the given keys and answers them.
    resp = client('PUT', base, {'metadata': {'b': '2'}}, version=V)
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'metadata': {'b': '2'}}
    assert stored() == {'a': '1', 'b': '2'}
    resp = client('PUT', base, {'metadata': {'a': 'x'}}, version=V)
    assert resp.json_body_or_none == {'metadata': {'a': 'x'}}
    assert stored() == {'a': 'x', 'b': '2'}
    for bad in ({'metadata': 'x'}, {'metadata': {'a': 1}}, {}, {'meta': {}}):
        assert fault(client('PUT', base, bad, version=V))[:2] == (
            'badRequest', 400), bad
    resp = client('DELETE', base + '/a', version=V)
    assert (resp.status_int, resp.body) == (200, b'')
    assert stored() == {'b': '2'}
    resp = client('DELETE', base + '/a', version=V)
    assert (resp.status_int, fault(resp)) == (404, (
        'itemNotFound', 404, 'Metadata item a could not be found.'))
    # Only PUT on the collection and DELETE on an item are served.
    assert client('GET', base, version=V).status_int == 405
    assert client('GET', base + '/b', version=V).status_int == 405
    assert client('GET', '/v2/share-access-rules/' + rule['id'],
                  version=V).json_body_or_none['access']['metadata'] == {
        'b': '2'}


def test_metadata_api_needs_2_45_and_an_own_rule(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx, project_id='proj-a')
    rule = client.member('POST', '/v2/shares/%s/action' % share_id, {
        'allow_access': {'access_type': 'ip', 'access_to': '10.0.0.1',
                         'metadata': {'k': 'v'}}},
        version=V).json_body_or_none['access']
    base = '/v2/share-access-rules/%s/metadata' % rule['id']
    for method, path, body in (('PUT', base, {'metadata': {'a': 'b'}}),
                               ('DELETE', base + '/k', None)):
        resp = client(method, path, body, version=OLD)
        assert fault(resp)[:2] == ('itemNotFound', 404), (method, path)
        resp = client(method, path, body, version=V, token='bob:proj-b',
                      roles='member,reader')
        assert fault(resp)[:2] == ('itemNotFound', 404), (method, path)
        assert 'Access rule' in fault(resp)[2]
        resp = client(method, path, body, version=V, token='carol:proj-a',
                      roles='reader')
        assert fault(resp)[:2] == ('forbidden', 403), (method, path)
    resp = client.member('PUT', base, {'metadata': {'a': 'b'}}, version=V)
    assert resp.json_body_or_none == {'metadata': {'a': 'b'}}
    assert client.member('DELETE', base + '/k', version=V).status_int == 200
    assert db.access_get(admin_ctx, rule['id']).metadata_dict == {'a': 'b'}
    assert client('PUT', '/v2/share-access-rules/nope/metadata',
                  {'metadata': {'a': 'b'}}, version=V).status_int == 404


def test_metadata_goes_with_its_rule_and_share(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    first = _allow(client, share_id, '10.0.0.1', metadata={'k': 'v'})
    _allow(client, share_id, '10.0.0.2', metadata={'k': 'v', 'x': 'y'})
    assert _metadata_rows(db) == 3
    db.access_destroy(admin_ctx, first['id'])
    assert _metadata_rows(db) == 2
    db.share_destroy(admin_ctx, share_id)
    assert _metadata_rows(db) == 0
