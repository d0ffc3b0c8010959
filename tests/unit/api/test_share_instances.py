"""Admin share-instance API through the app over a real database:
fields per microversion, export location filters (2.35), instance
export locations, reset_status and force_delete (os- names before
2.7), every refusal with its fault body."""

from unittest import mock

import pytest

from manila_lite.common import states
from manila_lite.share import rpcapi as share_rpcapi
from tests.unit import rows
from tests.unit.api.conftest import fault

V = '2.98'
BASE_KEYS = {'host', 'share_id', 'id', 'share_network_id', 'status',
             'availability_zone', 'share_server_id', 'created_at'}


@pytest.fixture
def share(db, admin_ctx):
    share = db.share_create(
        admin_ctx, dict(project_id='proj-a', size=1, share_proto='NFS'),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1',
             availability_zone='az1', progress='100%'))
    inst = share.instances[0]
    db.export_locations_replace(admin_ctx, inst.id, [
        {'path': '10.0.0.1:/a/%s' % inst.id, 'preferred': True},
        {'path': '/srv/a/%s' % inst.id, 'is_admin_only': True}])
    return db.share_get(admin_ctx, share.id)


def _instance(client, inst_id, version=V):
    resp = client('GET', '/v2/share_instances/' + inst_id, version=version)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_instance']


@pytest.mark.parametrize('version,extra', [
    ('2.3', {'export_location', 'export_locations'}),
    ('2.9', set()),
    ('2.10', {'access_rules_status'}),
    ('2.11', {'access_rules_status', 'replica_state'}),
    ('2.22', {'access_rules_status', 'replica_state', 'share_type_id'}),
    ('2.30', {'access_rules_status', 'replica_state', 'share_type_id',
              'cast_rules_to_readonly'}),
    ('2.54', {'access_rules_status', 'replica_state', 'share_type_id',
              'cast_rules_to_readonly', 'progress'}),
    ('2.71', {'access_rules_status', 'replica_state', 'share_type_id',
              'cast_rules_to_readonly', 'progress', 'updated_at'}),
])
def test_fields_per_microversion(client, share, version, extra):
    inst = share.instances[0]
    got = _instance(client, inst.id, version)
    assert set(got) == BASE_KEYS | extra
    assert got['share_id'] == share.id
    assert got['host'] == 'node1@local1#pool1'
    assert got['status'] == states.STATUS_AVAILABLE
    if 'export_locations' in extra:
        assert got['export_location'] == '10.0.0.1:/a/%s' % inst.id
        assert len(got['export_locations']) == 2
    listed = client('GET', '/v2/share_instances', version=version)
    assert listed.json_body_or_none['share_instances'] == [got]
    of_share = client('GET', '/v2/shares/%s/instances' % share.id,
                      version=version)
    assert of_share.json_body_or_none['share_instances'] == [got]


def test_below_2_3_the_api_does_not_exist(client, share):
    resp = client('GET', '/v2/share_instances', version='2.2')
    assert resp.status_int == 404


@pytest.mark.parametrize('key', ['id', 'path'])
def test_export_location_filters(client, db, admin_ctx, share, key):
    other = db.share_create(
        admin_ctx, dict(project_id='proj-b', size=1, share_proto='NFS'),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1'))
    assert other
    el = share.instances[0].export_locations[0]
    value = el.uuid if key == 'id' else el.path
    query = '/v2/share_instances?export_location_%s=%s' % (key, value)
    ids = [i['id'] for i in client(
        'GET', query, version='2.35').json_body_or_none['share_instances']]
    assert ids == [share.instances[0].id]
    # Below 2.35 the filters are ignored, as upstream.
    listed = client('GET', query, version='2.34')
    assert len(listed.json_body_or_none['share_instances']) == 2
    none = client('GET', '/v2/share_instances?export_location_%s=fake'
                  % key, version='2.35')
    assert none.json_body_or_none['share_instances'] == []


def test_instance_export_locations(client, share):
    inst = share.instances[0]
    resp = client('GET', '/v2/share_instances/%s/export_locations'
                  % inst.id, version=V)
    els = resp.json_body_or_none['export_locations']
    assert {e['path'] for e in els} == {el.path
                                         for el in inst.export_locations}
    assert set(els[0]) == {'id', 'path', 'preferred', 'metadata',
                           'share_instance_id', 'is_admin_only'}
    # The share's list holds the same entries.
    share_els = client('GET', '/v2/shares/%s/export_locations' % share.id,
                       version=V).json_body_or_none['export_locations']
    assert sorted(share_els, key=lambda e: e['id']) == sorted(
        els, key=lambda e: e['id'])
    one = client('GET', '/v2/share_instances/%s/export_locations/%s'
                 % (inst.id, els[0]['id']), version=V)
    detail = one.json_body_or_none['export_location']
    assert detail['id'] == els[0]['id']
    # Never null, not even before the first update: tempest parses both.
    assert detail['created_at'] and detail['updated_at']
    share_el = client('GET', '/v2/shares/%s/export_locations/%s'
                      % (share.id, els[0]['id']), version=V)
    assert share_el.json_body_or_none['export_location']['updated_at']


def test_unknown_instance_and_export_location_are_404(client, share):
    resp = client('GET', '/v2/share_instances/nope', version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Share instance nope could not be found.')
    resp = client('GET', '/v2/share_instances/%s/export_locations/nope'
                  % share.instances[0].id, version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Export location nope could not be found.')
    resp = client('GET', '/v2/shares/nope/instances', version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Share nope could not be found.')


@pytest.mark.parametrize('method,path', [
    ('GET', '/v2/share_instances'),
    ('GET', '/v2/share_instances/{inst}'),
    ('GET', '/v2/shares/{share}/instances'),
    ('GET', '/v2/share_instances/{inst}/export_locations'),
])
def test_owner_is_refused(client, share, method, path):
    path = path.format(inst=share.instances[0].id, share=share.id)
    resp = client.member(method, path, version=V)
    name, code, message = fault(resp)
    assert (name, code) == ('forbidden', 403)
    assert "Policy doesn't allow share_instance" in message


@pytest.mark.parametrize('version,name', [('2.7', 'reset_status'),
                                          ('2.6', 'os-reset_status')])
def test_reset_status(client, db, admin_ctx, share, version, name):
    inst = share.instances[0]
    resp = client('POST', '/v2/share_instances/%s/action' % inst.id,
                  {name: {'status': 'error_deleting'}}, version=version)
    assert resp.status_int == 202, resp.body
    assert db.share_instance_get(admin_ctx, inst.id).status == (
        states.STATUS_ERROR_DELETING)


def test_reset_status_refusals(client, share):
    path = '/v2/share_instances/%s/action' % share.instances[0].id
    resp = client('POST', path, {'reset_status': {'status': 'fake'}},
                  version=V)
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert "invalid status 'fake'" in message
    resp = client('POST', path, {'os-reset_status': {'status': 'error'}},
                  version=V)
    assert resp.status_int == 404
    resp = client('POST', path, {'extend': {'new_size': 2}}, version=V)
    assert fault(resp) == ('badRequest', 400,
                           'There is no such action: extend')
    resp = client.member('POST', path, {'reset_status': {'status': 'error'}},
                         version=V)
    name, code, message = fault(resp)
    assert (name, code) == ('forbidden', 403)
    assert 'share_instance:reset_status' in message
    resp = client('POST', '/v2/share_instances/nope/action',
                  {'reset_status': {'status': 'error'}}, version=V)
    assert fault(resp)[:2] == ('itemNotFound', 404)


@pytest.mark.parametrize('version,name', [('2.7', 'force_delete'),
                                          ('2.6', 'os-force_delete')])
def test_force_delete_casts_to_the_instance_host(client, db, admin_ctx,
                                                 share, version, name):
    inst = share.instances[0]
    rows.share_instance_update(admin_ctx, inst.id,
                             {'status': states.STATUS_ERROR_DELETING})
    with mock.patch.object(share_rpcapi.ShareAPI, 'delete_share_instance',
                           autospec=True) as cast:
        resp = client('POST', '/v2/share_instances/%s/action' % inst.id,
                      {name: None}, version=version)
    assert resp.status_int == 202, resp.body
    cast.assert_called_once_with(mock.ANY, mock.ANY, 'node1@local1#pool1',
                                 inst.id, force=True)
    assert db.share_instance_get(admin_ctx, inst.id).status == (
        states.STATUS_DELETING)


def test_force_delete_of_unscheduled_instance_removes_the_share(
        client, db, admin_ctx):
    share = db.share_create(
        admin_ctx, dict(project_id='proj-a', size=1, share_proto='NFS'),
        dict(status=states.STATUS_CREATING, host=''))
    resp = client('POST', '/v2/share_instances/%s/action'
                  % share.instances[0].id, {'force_delete': None},
                  version=V)
    assert resp.status_int == 202, resp.body
    resp = client('GET', '/v2/shares/' + share.id, version=V)
    assert resp.status_int == 404


def test_force_delete_by_owner_is_403(client, share):
    resp = client.member('POST', '/v2/share_instances/%s/action'
                         % share.instances[0].id, {'force_delete': None},
                         version=V)
    name, code, message = fault(resp)
    assert (name, code) == ('forbidden', 403)
    assert 'share_instance:force_delete' in message


# --- share export locations of another project's share ----------------------
def test_other_projects_share_export_locations_are_403(client, share):
    """Upstream checks share:get on the share for its export locations:
    another project gets a 403 there (the share's show is a 404)."""
    el = share.instances[0].export_locations[0]
    for path in ('/v2/shares/%s/export_locations' % share.id,
                 '/v2/shares/%s/export_locations/%s' % (share.id, el.uuid)):
        resp = client.member('GET', path, version=V, token='bob:proj-b')
        assert fault(resp) == ('forbidden', 403,
                               "Policy doesn't allow share:get to be "
                               "performed.")
        assert client.member('GET', path, version=V).status_int == 200
    resp = client.member('GET', '/v2/shares/' + share.id, version=V,
                         token='bob:proj-b')
    assert fault(resp)[:2] == ('itemNotFound', 404)
    resp = client('GET', '/v2/shares/nope/export_locations', version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Share nope could not be found.')


def test_share_export_locations_hold_every_replica_below_2_47(
        client, db, admin_ctx):
    share = db.share_create(
        admin_ctx, dict(project_id='proj-a', size=1, share_proto='NFS',
                        replication_type='readable'),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1',
             replica_state=states.REPLICA_STATE_ACTIVE))
    active = share.instances[0]
    replica = db.replica_create(admin_ctx, share.id, dict(
        status=states.STATUS_AVAILABLE, host='node1@local2#pool1',
        replica_state=states.REPLICA_STATE_IN_SYNC))
    db.export_locations_replace(admin_ctx, active.id,
                                [{'path': '10.0.0.1:/active'}])
    db.export_locations_replace(admin_ctx, replica.id,
                                [{'path': '10.0.0.2:/replica'}])
    path = '/v2/shares/%s/export_locations' % share.id

    def paths(version):
        resp = client.member('GET', path, version=version)
        assert resp.status_int == 200, resp.body
        return sorted(e['path'] for e in
                      resp.json_body_or_none['export_locations'])

    assert paths('2.46') == ['10.0.0.1:/active', '10.0.0.2:/replica']
    assert paths('2.47') == ['10.0.0.1:/active']
    replica_el = db.replica_get(admin_ctx, replica.id).export_locations[0]
    one = '%s/%s' % (path, replica_el.uuid)
    assert client.member('GET', one, version='2.46').status_int == 200
    assert fault(client.member('GET', one, version='2.47'))[:2] == (
        'itemNotFound', 404)
