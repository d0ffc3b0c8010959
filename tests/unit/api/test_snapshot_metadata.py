"""Share snapshot metadata (2.73): create with ``metadata``, the field in
snapshot details, the /snapshots/{id}/metadata API (served as share
metadata is), the list filter, and the rows going with their snapshot."""

import sqlalchemy as sa

from manila_lite.common import states
from manila_lite.db import models
from tests.unit.api.conftest import fault

V = '2.73'
OLD = '2.72'


def _available_share(db, ctx, project_id='admin'):
    share = db.share_create(
        ctx, dict(project_id=project_id, size=1, share_proto='NFS'),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1',
             availability_zone='az1'))
    return share.id


def _snapshot(client, share_id, version=V, **extra):
    body = {'share_id': share_id, 'name': 'snap'}
    body.update(extra)
    resp = client('POST', '/v2/snapshots', {'snapshot': body},
                  version=version)
    assert resp.status_int == 202, resp.body
    return resp.json_body_or_none['snapshot']


def _metadata_rows(db):
    with db.get_engine().connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(
            models.ShareSnapshotMetadata))


def test_create_stores_metadata_and_details_show_it(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    snap = _snapshot(client, share_id, metadata={'k': 'v', 'a': 'b'})
    assert snap['metadata'] == {'k': 'v', 'a': 'b'}
    assert db.snapshot_get(admin_ctx, snap['id']).metadata_dict == {
        'k': 'v', 'a': 'b'}
    path = '/v2/snapshots/' + snap['id']
    assert client('GET', path, version=V).json_body_or_none['snapshot'][
        'metadata'] == {'k': 'v', 'a': 'b'}
    detail = client('GET', '/v2/snapshots/detail',
                    version=V).json_body_or_none['snapshots']
    assert detail[0]['metadata'] == {'k': 'v', 'a': 'b'}
    summary = client('GET', '/v2/snapshots',
                     version=V).json_body_or_none['snapshots']
    assert 'metadata' not in summary[0]
    old = client('GET', path, version=OLD).json_body_or_none['snapshot']
    assert 'metadata' not in old


def test_create_below_2_73_ignores_metadata(client, db, admin_ctx):
    """As upstream (python-manilaclient sends ``metadata: {}`` at every
    version): accepted, not stored."""
    share_id = _available_share(db, admin_ctx)
    snap = _snapshot(client, share_id, version=OLD, metadata={'k': 'v'})
    assert 'metadata' not in snap
    assert db.snapshot_get(admin_ctx, snap['id']).metadata_dict == {}
    resp = client('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share_id, 'metadata': {'k': 1}}}, version=V)
    assert fault(resp)[:2] == ('badRequest', 400)


def test_metadata_endpoints(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    snap = _snapshot(client, share_id, metadata={'a': '1'})
    base = '/v2/snapshots/%s/metadata' % snap['id']

    def stored():
        return db.snapshot_get(admin_ctx, snap['id']).metadata_dict

    assert client('GET', base, version=V).json_body_or_none == {
        'metadata': {'a': '1'}}
    resp = client('POST', base, {'metadata': {'b': '2'}}, version=V)
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'metadata': {'a': '1', 'b': '2'}}
    assert stored() == {'a': '1', 'b': '2'}
    resp = client('PUT', base, {'metadata': {'c': '3'}}, version=V)
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'metadata': {'c': '3'}}
    assert stored() == {'c': '3'}
    assert client('GET', base + '/c', version=V).json_body_or_none == {
        'meta': {'c': '3'}}
    resp = client('GET', base + '/zz', version=V)
    assert (resp.status_int, fault(resp)) == (404, (
        'itemNotFound', 404, 'Metadata item zz could not be found.'))
    assert client('POST', base, {'metadata': 'x'},
                  version=V).status_int == 400
    assert client('PUT', base, {}, version=V).status_int == 400
    # An item is changed through POST/PUT on the collection.
    assert client('PUT', base + '/c', {'meta': {'c': '4'}},
                  version=V).status_int == 405
    resp = client('DELETE', base + '/c', version=V)
    assert (resp.status_int, resp.body) == (200, b'')
    assert stored() == {}
    assert fault(client('DELETE', base + '/c', version=V))[:2] == (
        'itemNotFound', 404)


def test_metadata_api_needs_2_73_and_a_visible_snapshot(client, db,
                                                         admin_ctx):
    share_id = _available_share(db, admin_ctx, project_id='proj-a')
    snap = client.member('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share_id, 'metadata': {'k': 'v'}}},
        version=V).json_body_or_none['snapshot']
    base = '/v2/snapshots/%s/metadata' % snap['id']
    for method, path, body in (('GET', base, None),
                               ('POST', base, {'metadata': {'a': 'b'}}),
                               ('PUT', base, {'metadata': {'a': 'b'}}),
                               ('GET', base + '/k', None),
                               ('DELETE', base + '/k', None)):
        resp = client(method, path, body, version=OLD)
        assert fault(resp)[:2] == ('itemNotFound', 404), (method, path)
        resp = client(method, path, body, version=V, token='bob:proj-b',
                      roles='member,reader')
        assert fault(resp)[:2] == ('itemNotFound', 404), (method, path)
        assert 'Snapshot' in fault(resp)[2]
    reader = dict(version=V, token='carol:proj-a', roles='reader')
    assert client('GET', base, **reader).json_body_or_none == {
        'metadata': {'k': 'v'}}
    assert client('POST', base, {'metadata': {'a': 'b'}},
                  **reader).status_int == 403
    assert client('DELETE', base + '/k', **reader).status_int == 403
    assert client.member('POST', base, {'metadata': {'a': 'b'}},
                         version=V).json_body_or_none == {
        'metadata': {'k': 'v', 'a': 'b'}}
    assert client('GET', '/v2/snapshots/nope/metadata',
                  version=V).status_int == 404


def test_list_filters_by_metadata(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    first = _snapshot(client, share_id, metadata={'tier': 'gold'})
    second = _snapshot(client, share_id, metadata={'tier': 'silver',
                                                   'x': 'y'})

    def ids(query, version=V):
        resp = client('GET', '/v2/snapshots?' + query, version=version)
        assert resp.status_int == 200, resp.body
        return {s['id'] for s in resp.json_body_or_none['snapshots']}

    # python-manilaclient sends a dict literal.
    assert ids("metadata={'tier': 'gold'}") == {first['id']}
    assert ids("metadata={'tier': 'silver', 'x': 'y'}") == {second['id']}
    assert ids('metadata=tier:silver') == {second['id']}
    assert ids("metadata={'tier': 'bronze'}") == set()
    assert ids("metadata={'tier': 'gold'}", version=OLD) == {
        first['id'], second['id']}
    assert fault(client('GET', '/v2/snapshots?metadata=bad',
                        version=V))[:2] == ('badRequest', 400)


def test_metadata_goes_with_its_snapshot(client, db, admin_ctx):
    share_id = _available_share(db, admin_ctx)
    snap = _snapshot(client, share_id, metadata={'k': 'v'})
    assert _metadata_rows(db) == 1
    inst = db.snapshot_get(admin_ctx, snap['id']).instance
    db.snapshot_instance_destroy(admin_ctx, inst.id)
    assert _metadata_rows(db) == 0
    snap = _snapshot(client, share_id, metadata={'k': 'v'})
    db.snapshot_destroy(admin_ctx, snap['id'])
    assert _metadata_rows(db) == 0
