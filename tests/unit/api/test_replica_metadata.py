"""Share replica metadata (2.95): create with ``metadata``, the field in
replica views, the /share-replicas/{id}/metadata API (served as share
metadata is), the list filter, and the rows going with their replica."""

import sqlalchemy as sa

from manila_lite.common import states
from manila_lite.db import models
from tests.unit.api.conftest import fault

V = '2.95'
OLD = '2.94'


def _replicated_share(db, ctx, project_id='admin'):
    """A ``readable`` share with its active replica and an in_sync one
    (written to the database; no service needs to run)."""
    stype = db.share_type_create(
        ctx, {'name': 'rep-%s' % project_id, 'is_public': True},
        {'driver_handles_share_servers': 'False',
         'replication_type': states.REPLICATION_TYPE_READABLE})
    share = db.share_create(
        ctx, dict(project_id=project_id, size=1, share_proto='NFS',
                  share_type_id=stype.id,
                  replication_type=states.REPLICATION_TYPE_READABLE),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1',
             availability_zone='az1', share_type_id=stype.id,
             replica_state=states.REPLICA_STATE_ACTIVE))
    replica = db.replica_create(ctx, share.id, dict(
        status=states.STATUS_AVAILABLE, host='node1@local2#pool1',
        replica_state=states.REPLICA_STATE_IN_SYNC,
        availability_zone='az2', share_type_id=stype.id),
        metadata={'role': 'standby'})
    return share, replica


def _metadata_rows(db, instance_id=None):
    """How many metadata rows the instance (or every instance) has."""
    query = sa.select(sa.func.count()).select_from(
        models.ShareInstanceMetadata)
    if instance_id is not None:
        query = query.where(
            models.ShareInstanceMetadata.share_instance_id == instance_id)
    with db.get_engine().connect() as conn:
        return conn.scalar(query)


def test_create_stores_metadata_and_views_show_it(client, db, admin_ctx):
    share, _replica = _replicated_share(db, admin_ctx)
    resp = client('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share.id, 'metadata': {'k': 'v', 'site': 'b'}}},
        version=V)
    assert resp.status_int == 202, resp.body
    body = resp.json_body_or_none['share_replica']
    assert body['metadata'] == {'k': 'v', 'site': 'b'}
    assert db.replica_get(admin_ctx, body['id']).metadata_dict == {
        'k': 'v', 'site': 'b'}
    shown = client('GET', '/v2/share-replicas/' + body['id'],
                   version=V).json_body_or_none['share_replica']
    assert shown['metadata'] == {'k': 'v', 'site': 'b'}
    listed = client('GET', '/v2/share-replicas/detail?share_id=' + share.id,
                    version=V).json_body_or_none['share_replicas']
    assert {r['id']: r['metadata'] for r in listed} == {
        share.instances[0].id: {}, _replica.id: {'role': 'standby'},
        body['id']: {'k': 'v', 'site': 'b'}}
    summary = client('GET', '/v2/share-replicas?share_id=' + share.id,
                     version=V).json_body_or_none['share_replicas']
    assert all('metadata' not in r for r in summary)
    # Below 2.95 the field is absent.
    old = client('GET', '/v2/share-replicas/' + body['id'],
                 version=OLD).json_body_or_none['share_replica']
    assert 'metadata' not in old


def test_create_refuses_metadata_below_2_95_and_bad_metadata(client, db,
                                                              admin_ctx):
    share, _replica = _replicated_share(db, admin_ctx)
    resp = client('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share.id, 'metadata': {'k': 'v'}}}, version=OLD)
    name, code, message = fault(resp)
    assert (resp.status_int, name, code) == (400, 'badRequest', 400)
    assert 'metadata' in message
    for bad in ({'k': 1}, {'': 'v'}, {'k': 'x' * 1024}, 'k=v'):
        resp = client('POST', '/v2/share-replicas', {'share_replica': {
            'share_id': share.id, 'metadata': bad}}, version=V)
        assert fault(resp)[:2] == ('badRequest', 400), bad
    # Nothing was created by the refused calls.
    assert len(db.replica_get_all(admin_ctx, share_id=share.id)) == 2
    # Null (or no) metadata is an empty one.
    resp = client('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share.id, 'metadata': None}}, version=V)
    assert resp.status_int == 202, resp.body
    assert resp.json_body_or_none['share_replica']['metadata'] == {}


def test_metadata_endpoints(client, db, admin_ctx):
    _share, replica = _replicated_share(db, admin_ctx)
    base = '/v2/share-replicas/%s/metadata' % replica.id

    def stored():
        return db.replica_get(admin_ctx, replica.id).metadata_dict

    resp = client('GET', base, version=V)
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'metadata': {'role': 'standby'}}
    resp = client('POST', base, {'metadata': {'b': '2'}}, version=V)
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'metadata': {'role': 'standby',
                                                   'b': '2'}}
    assert stored() == {'role': 'standby', 'b': '2'}
    resp = client('PUT', base, {'metadata': {'c': '3'}}, version=V)
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'metadata': {'c': '3'}}
    assert stored() == {'c': '3'}
    assert client('GET', base + '/c', version=V).json_body_or_none == {
        'meta': {'c': '3'}}
    resp = client('GET', base + '/zz', version=V)
    assert (resp.status_int, fault(resp)) == (404, (
        'itemNotFound', 404, 'Metadata item zz could not be found.'))
    resp = client('PUT', base + '/c', {'meta': {'c': '4'}}, version=V)
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'meta': {'c': '4'}}
    assert stored() == {'c': '4'}
    resp = client('PUT', base + '/c', {'meta': {'d': '4'}}, version=V)
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert 'Request body and URI mismatch' in message
    resp = client('PUT', base + '/c', {'meta': {'c': '4', 'e': '5'}},
                  version=V)
    assert fault(resp)[:2] == ('badRequest', 400)
    assert client('POST', base, {'metadata': 'x'},
                  version=V).status_int == 400
    assert client('POST', base, {'meta': {'a': 'b'}},
                  version=V).status_int == 400
    resp = client('DELETE', base + '/c', version=V)
    assert (resp.status_int, resp.body) == (200, b'')
    assert stored() == {}
    resp = client('DELETE', base + '/c', version=V)
    assert fault(resp)[:2] == ('itemNotFound', 404)
    assert client('GET', base, version=V).json_body_or_none == {
        'metadata': {}}


def test_metadata_api_needs_2_95_and_a_visible_replica(client, db,
                                                        admin_ctx):
    share, replica = _replicated_share(db, admin_ctx, project_id='proj-a')
    base = '/v2/share-replicas/%s/metadata' % replica.id
    for method, path, body in (('GET', base, None),
                               ('POST', base, {'metadata': {'a': 'b'}}),
                               ('PUT', base, {'metadata': {'a': 'b'}}),
                               ('GET', base + '/role', None),
                               ('PUT', base + '/role',
                                {'meta': {'role': 'x'}}),
                               ('DELETE', base + '/role', None)):
        resp = client(method, path, body, version=OLD)
        assert resp.status_int == 404, (method, path)
        assert fault(resp)[0] == 'itemNotFound'
        # Another project's member: the replica does not exist for them.
        resp = client(method, path, body, version=V, token='bob:proj-b',
                      roles='member,reader')
        assert fault(resp)[:2] == ('itemNotFound', 404), (method, path)
        assert 'Share Replica' in fault(resp)[2]
    # The owner's reader may see the replica, not change its metadata;
    # its member may.
    reader = dict(version=V, token='carol:proj-a', roles='reader')
    assert client('GET', base, **reader).status_int == 403
    assert client('GET', '/v2/share-replicas/' + replica.id,
                  **reader).json_body_or_none['share_replica'][
                      'metadata'] == {'role': 'standby'}
    assert client('POST', base, {'metadata': {'a': 'b'}},
                  **reader).status_int == 403
    resp = client.member('POST', base, {'metadata': {'a': 'b'}}, version=V)
    assert resp.json_body_or_none == {'metadata': {'role': 'standby',
                                                   'a': 'b'}}
    # An instance that is not a replica is not one here either.
    plain = db.share_create(
        admin_ctx, dict(project_id='admin', size=1, share_proto='NFS'),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1'))
    resp = client('POST', '/v2/share-replicas/%s/metadata'
                  % plain.instances[0].id, {'metadata': {'a': 'b'}},
                  version=V)
    assert fault(resp)[:2] == ('itemNotFound', 404)
    assert client('GET', '/v2/share-replicas/nope/metadata',
                  version=V).status_int == 404
    assert share.id


def test_list_filters_by_metadata(client, db, admin_ctx):
    share, replica = _replicated_share(db, admin_ctx)
    db.replica_metadata_set(admin_ctx, replica.id, {'site': 'b'})
    active = share.instances[0].id
    db.replica_metadata_set(admin_ctx, active, {'site': 'a'})

    def ids(query, version=V):
        resp = client('GET', '/v2/share-replicas/detail?' + query,
                      version=version)
        assert resp.status_int == 200, resp.body
        return {r['id'] for r in resp.json_body_or_none['share_replicas']}

    # python-manilaclient's spelling, then the dict literal of shares.
    assert ids('metadata=site:b') == {replica.id}
    assert ids('metadata=site:b,role:standby') == {replica.id}
    assert ids('metadata=site:a,role:standby') == set()
    assert ids("metadata={'site': 'a'}") == {active}
    assert ids('share_id=%s&metadata=site:a' % share.id) == {active}
    assert ids('metadata=site:b', version=OLD) == {active, replica.id}
    for bad in ('nocolon', ':v', "{'k': 1}", '[1]'):
        resp = client('GET', '/v2/share-replicas?metadata=' + bad,
                      version=V)
        assert fault(resp)[:2] == ('badRequest', 400), bad


def test_promote_reply_shows_metadata(client, db, admin_ctx):
    _share, replica = _replicated_share(db, admin_ctx)
    resp = client('POST', '/v2/share-replicas/%s/action' % replica.id,
                  {'promote': None}, version=V)
    assert resp.status_int == 202, resp.body
    assert resp.json_body_or_none['share_replica']['metadata'] == {
        'role': 'standby'}


def test_metadata_goes_with_its_replica_and_share(client, db, admin_ctx):
    share, replica = _replicated_share(db, admin_ctx)
    resp = client('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share.id, 'metadata': {'k': 'v'}}}, version=V)
    unplaced = resp.json_body_or_none['share_replica']['id']
    assert _metadata_rows(db, unplaced) == 1
    # Never placed: deleted at once, with its metadata.
    assert client('DELETE', '/v2/share-replicas/' + unplaced,
                  version=V).status_int == 202
    assert _metadata_rows(db, unplaced) == 0
    db.replica_metadata_set(admin_ctx, share.instances[0].id, {'a': 'b'})
    db.share_instance_destroy(admin_ctx, replica.id)
    assert _metadata_rows(db, replica.id) == 0
    db.share_destroy(admin_ctx, share.id)
    assert _metadata_rows(db) == 0
