"""Manage and unmanage as upstream answers them: administrators only
(403), the manage body's 422s and 400s, unknown hosts and types 404;
unmanage forgets the share (its data stays) and refuses shares with
snapshots or in a transitional status (403) or with replicas (409)."""

import pytest

from manila_lite.common import states
from tests.unit.api.conftest import fault

HOST = 'node1@local1'


@pytest.fixture
def service(db, admin_ctx):
    db.service_create_or_update(
        admin_ctx, host=HOST, binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az1')


def _share(db, ctx, status=states.STATUS_AVAILABLE):
    return db.share_create(
        ctx, dict(project_id='proj-a', size=1, share_proto='NFS'),
        dict(status=status, host=HOST + '#pool1')).id


def _manage(client, share, version='2.7', **kwargs):
    url = '/v2/shares/manage' if version != '2.6' else '/v2/os-share-manage'
    return client('POST', url, {'share': share}, version=version, **kwargs)


GOOD = {'export_path': '10.0.0.1:/exports/old', 'service_host': HOST +
        '#pool1', 'protocol': 'NFS', 'share_type': 'default'}


@pytest.mark.parametrize('version', ['2.6', '2.7'])
def test_manage_by_user_is_403(client, version):
    resp = _manage(client, GOOD, version=version, token='alice:proj-a',
                   roles='member,reader')
    assert fault(resp) == (
        'forbidden', 403, "Policy doesn't allow share:manage to be "
                          "performed.")


@pytest.mark.parametrize('missing', ['export_path', 'service_host',
                                     'protocol'])
def test_manage_needs_its_parameters(client, service, missing):
    body = dict(GOOD)
    del body[missing]
    assert fault(_manage(client, body)) == (
        'computeFault', 422, 'Required parameter %s not found' % missing)
    body[missing] = ''
    assert fault(_manage(client, body)) == (
        'computeFault', 422, 'Required parameter %s is empty' % missing)


def test_manage_without_share_entity_is_422(client):
    resp = client('POST', '/v2/shares/manage', {'volume': {}},
                  version='2.7')
    assert fault(resp) == ('computeFault', 422,
                           'Share entity not found in request body')


def test_manage_host_without_pool_is_400(client, service):
    assert fault(_manage(client, dict(GOOD, service_host=HOST))) == (
        'badRequest', 400, 'service_host parameter should contain pool.')


def test_manage_unknown_host_or_type_is_404(client, service):
    resp = _manage(client, dict(GOOD, service_host='nowhere@x#p'))
    assert fault(resp)[:2] == ('itemNotFound', 404)
    resp = _manage(client, dict(GOOD, share_type='no-such-type'))
    assert fault(resp) == ('itemNotFound', 404,
                           'Share type no-such-type could not be found.')


@pytest.mark.parametrize('value', [{'id': 'x'}, ['x'], 7])
def test_manage_share_type_must_be_a_string(client, service, value):
    assert fault(_manage(client, dict(GOOD, share_type=value))) == (
        'badRequest', 400, 'share_type must be a name or an id')


def test_manage_is_refused_by_the_back_end(client, db, admin_ctx,
                                           service):
    resp = _manage(client, GOOD)
    assert fault(resp) == (
        'badRequest', 400,
        'Invalid share: the back end node1@local1 cannot manage existing '
        'shares (no manila_lite driver adopts an export such as '
        '10.0.0.1:/exports/old).')
    assert db.share_get_all(admin_ctx) == []


@pytest.mark.parametrize('version', ['2.6', '2.7'])
def test_unmanage_by_user_is_403(client, version):
    if version == '2.6':
        resp = client('POST', '/v2/os-share-unmanage/fake-id/unmanage',
                      version=version, token='alice:proj-a',
                      roles='member,reader')
    else:
        resp = client.member('POST', '/v2/shares/fake-id/action',
                             {'unmanage': {}}, version=version)
    assert fault(resp) == (
        'forbidden', 403, "Policy doesn't allow share:unmanage to be "
                          "performed.")


@pytest.mark.parametrize('version', ['2.6', '2.7', '2.49'])
def test_unmanage_forgets_the_share(client, db, admin_ctx, version):
    share_id = _share(db, admin_ctx)
    if version == '2.6':
        resp = client('POST', '/v2/os-share-unmanage/%s/unmanage'
                      % share_id, version=version)
    else:
        resp = client('POST', '/v2/shares/%s/action' % share_id,
                      {'unmanage': None}, version=version)
    assert resp.status_int == 202, resp.body
    assert client('GET', '/v2/shares/' + share_id).status_int == 404


def test_unmanage_unknown_share_is_404(client):
    resp = client('POST', '/v2/shares/nope/action', {'unmanage': {}},
                  version='2.7')
    assert fault(resp) == ('itemNotFound', 404,
                           'Share nope could not be found.')


def test_unmanage_transitional_share_is_403(client, db, admin_ctx):
    share_id = _share(db, admin_ctx, status=states.STATUS_CREATING)
    resp = client('POST', '/v2/shares/%s/action' % share_id,
                  {'unmanage': {}}, version='2.7')
    assert fault(resp) == (
        'forbidden', 403,
        "Share with transitional state can not be unmanaged. Share '%s' "
        "is in 'creating' state." % share_id)


def test_unmanage_share_with_snapshots_is_403(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    db.snapshot_create(
        admin_ctx, dict(share_id=share_id, project_id='proj-a', size=1),
        dict(share_instance_id=db.share_get(
            admin_ctx, share_id).instances[0].id,
            status=states.STATUS_AVAILABLE))
    resp = client('POST', '/v2/shares/%s/action' % share_id,
                  {'unmanage': {}}, version='2.7')
    assert fault(resp) == (
        'forbidden', 403,
        "Share '%s' can not be unmanaged because it has '1' dependent "
        "snapshot(s)." % share_id)
