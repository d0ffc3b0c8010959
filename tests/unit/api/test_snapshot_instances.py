"""Admin snapshot-instance API (2.19+) and the snapshot admin actions
(reset_status, force_delete; os- names before 2.7) through the app over
a real database."""

from unittest import mock

import pytest

from manila_lite.common import states
from manila_lite.share import rpcapi as share_rpcapi
from tests.unit import rows
from tests.unit.api.conftest import fault

V = '2.98'
SUMMARY = {'id', 'snapshot_id', 'status'}
DETAIL = SUMMARY | {'provider_location', 'share_id', 'share_instance_id',
                    'created_at', 'updated_at', 'progress'}


@pytest.fixture
def snapshot(db, admin_ctx):
    share = db.share_create(
        admin_ctx, dict(project_id='proj-a', size=1, share_proto='NFS'),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1'))
    return db.snapshot_create(
        admin_ctx, dict(share_id=share.id, project_id='proj-a', size=1),
        dict(share_instance_id=share.instances[0].id,
             status=states.STATUS_AVAILABLE, progress='100%',
             provider_location='/srv/snap'))


def _si(snapshot):
    return snapshot.instances[0]


@pytest.mark.parametrize('path,keys', [('/v2/snapshot-instances', SUMMARY),
                                       ('/v2/snapshot-instances/detail',
                                        DETAIL)])
def test_list_by_snapshot(client, db, admin_ctx, snapshot, path, keys):
    share = db.share_get(admin_ctx, snapshot.share_id)
    db.snapshot_create(
        admin_ctx, dict(share_id=share.id, project_id='proj-a', size=1),
        dict(share_instance_id=share.instances[0].id,
             status=states.STATUS_AVAILABLE))
    everything = client('GET', path, version=V).json_body_or_none
    assert len(everything['snapshot_instances']) == 2
    resp = client('GET', path + '?snapshot_id=' + snapshot.id, version=V)
    items = resp.json_body_or_none['snapshot_instances']
    assert [i['id'] for i in items] == [_si(snapshot).id]
    assert set(items[0]) == keys
    if keys == DETAIL:
        assert items[0]['share_id'] == snapshot.share_id
        assert items[0]['provider_location'] == '/srv/snap'


def test_show(client, snapshot):
    resp = client('GET', '/v2/snapshot-instances/' + _si(snapshot).id,
                  version=V)
    got = resp.json_body_or_none['snapshot_instance']
    assert set(got) == DETAIL
    assert got['snapshot_id'] == snapshot.id
    assert got['status'] == states.STATUS_AVAILABLE
    assert got['progress'] == '100%'


def test_not_before_2_19(client, snapshot):
    resp = client('GET', '/v2/snapshot-instances', version='2.18')
    assert resp.status_int == 404


def test_unknown_ids_are_404(client, snapshot):
    resp = client('GET', '/v2/snapshot-instances/nope', version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Snapshot instance nope could not be found.')
    resp = client('GET', '/v2/snapshot-instances?snapshot_id=nope',
                  version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Snapshot nope could not be found.')


@pytest.mark.parametrize('method,path,body', [
    ('GET', '/v2/snapshot-instances', None),
    ('GET', '/v2/snapshot-instances/detail', None),
    ('GET', '/v2/snapshot-instances/{si}', None),
    ('POST', '/v2/snapshot-instances/{si}/action',
     {'reset_status': {'status': 'error'}}),
    ('POST', '/v2/snapshots/{snap}/action',
     {'reset_status': {'status': 'error'}}),
    ('POST', '/v2/snapshots/{snap}/action', {'force_delete': None}),
])
def test_owner_is_refused(client, snapshot, method, path, body):
    path = path.format(si=_si(snapshot).id, snap=snapshot.id)
    resp = client.member(method, path, body, version=V)
    name, code, message = fault(resp)
    assert (name, code) == ('forbidden', 403)
    assert "Policy doesn't allow share_snapshot" in message


def test_instance_reset_status(client, db, admin_ctx, snapshot):
    path = '/v2/snapshot-instances/%s/action' % _si(snapshot).id
    resp = client('POST', path, {'reset_status': {'status': 'error'}},
                  version=V)
    assert resp.status_int == 202, resp.body
    assert db.snapshot_get(admin_ctx, snapshot.id).status == (
        states.STATUS_ERROR)
    resp = client('POST', path, {'reset_status': {'status': 'fake'}},
                  version=V)
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert "invalid status 'fake'" in message
    resp = client('POST', path, {'force_delete': None}, version=V)
    assert fault(resp) == ('badRequest', 400,
                           'There is no such action: force_delete')


@pytest.mark.parametrize('version,name', [('2.7', 'reset_status'),
                                          ('2.6', 'os-reset_status')])
def test_snapshot_reset_status(client, db, admin_ctx, snapshot, version,
                               name):
    resp = client('POST', '/v2/snapshots/%s/action' % snapshot.id,
                  {name: {'status': 'error_deleting'}}, version=version)
    assert resp.status_int == 202, resp.body
    resp = client('GET', '/v2/snapshots/' + snapshot.id, version=V)
    assert resp.json_body_or_none['snapshot']['status'] == (
        states.STATUS_ERROR_DELETING)


def test_snapshot_action_refusals(client, snapshot):
    path = '/v2/snapshots/%s/action' % snapshot.id
    resp = client('POST', path, {'reset_status': {'status': 'fake'}},
                  version=V)
    assert fault(resp)[:2] == ('badRequest', 400)
    resp = client('POST', path, {'reset_status': {'status': 'error'}},
                  version='2.6')
    assert resp.status_int == 404
    resp = client('POST', path, {'unmanage': None}, version=V)
    assert fault(resp) == ('badRequest', 400,
                           'There is no such action: unmanage')
    resp = client('POST', '/v2/snapshots/nope/action',
                  {'force_delete': None}, version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Snapshot nope could not be found.')


@pytest.mark.parametrize('version,name', [('2.7', 'force_delete'),
                                          ('2.6', 'os-force_delete')])
def test_snapshot_force_delete_casts_with_force(client, db, admin_ctx,
                                                snapshot, version, name):
    rows.snapshot_instance_update(admin_ctx, _si(snapshot).id,
                                {'status': states.STATUS_ERROR_DELETING})
    with mock.patch.object(share_rpcapi.ShareAPI, 'delete_snapshot',
                           autospec=True) as cast:
        resp = client('POST', '/v2/snapshots/%s/action' % snapshot.id,
                      {name: None}, version=version)
    assert resp.status_int == 202, resp.body
    cast.assert_called_once_with(mock.ANY, mock.ANY, 'node1@local1#pool1',
                                 _si(snapshot).id, force=True)
    assert db.snapshot_get(admin_ctx, snapshot.id).status == (
        states.STATUS_DELETING)


# --- snapshot export locations (2.32+) ---------------------------------------
def test_snapshot_export_locations_are_empty_lists(client, snapshot):
    for path in ('/v2/snapshots/%s/export-locations' % snapshot.id,
                 '/v2/snapshot-instances/%s/export-locations'
                 % _si(snapshot).id):
        resp = client('GET', path, version='2.32')
        assert resp.json_body_or_none == {
            'share_snapshot_export_locations': []}
        resp = client('GET', path + '/nope', version=V)
        assert fault(resp) == ('itemNotFound', 404,
                               'Export location nope could not be found.')
        assert client('GET', path, version='2.31').status_int == 404


def test_snapshot_export_locations_of_unknown_or_hidden_snapshot(
        client, snapshot):
    resp = client('GET', '/v2/snapshots/nope/export-locations', version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Snapshot nope could not be found.')
    resp = client('GET', '/v2/snapshot-instances/nope/export-locations',
                  version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Snapshot instance nope could not be found.')
    # The owner lists the snapshot's; another project does not see it.
    resp = client.member('GET', '/v2/snapshots/%s/export-locations'
                         % snapshot.id, version=V)
    assert resp.status_int == 200
    resp = client.member('GET', '/v2/snapshots/%s/export-locations'
                         % snapshot.id, version=V, token='bob:proj-b')
    assert fault(resp)[:2] == ('itemNotFound', 404)
    resp = client.member('GET', '/v2/snapshot-instances/%s/export-locations'
                         % _si(snapshot).id, version=V)
    name, code, message = fault(resp)
    assert (name, code) == ('forbidden', 403)
    assert 'share_snapshot_instance_export_location:index' in message
