"""Share list filters and size limits as upstream: the exact
``description`` filter (2.36, shares and snapshots), ``share_server_id``
for administrators only, and a share type's
``provisioning:min_share_size`` / ``max_share_size`` on create."""

import pytest

from manila_lite.common import states
from tests.unit.api.conftest import fault

V = '2.61'


def _share(db, ctx, *, description=None, project_id='proj-a',
           share_server_id=None):
    share = db.share_create(
        ctx, dict(project_id=project_id, size=1, share_proto='NFS',
                  description=description),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1',
             share_server_id=share_server_id))
    return share.id


def _ids(resp, key='shares'):
    assert resp.status_int == 200, resp.body
    return {s['id'] for s in resp.json_body_or_none[key]}


def test_description_filter_is_exact_from_2_36(client, db, admin_ctx):
    exact = _share(db, admin_ctx, description='tempest-share')
    longer = _share(db, admin_ctx, description='tempest-share-2')
    url = '/v2/shares?description=tempest-share'
    assert _ids(client.member('GET', url, version='2.36')) == {exact}
    assert _ids(client.member('GET', url.replace('shares?', 'shares/detail?'),
                              version='2.36')) == {exact}
    # Ignored below 2.36, as upstream.
    assert _ids(client.member('GET', url, version='2.35')) == {exact, longer}
    assert _ids(client.member('GET', '/v2/shares?description=nothing',
                              version='2.36')) == set()


def test_snapshot_description_filter(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    snaps = [db.snapshot_create(
        admin_ctx, dict(share_id=share_id, project_id='proj-a', size=1,
                        description=d),
        dict(share_instance_id=db.share_get(
            admin_ctx, share_id).instances[0].id,
            status=states.STATUS_AVAILABLE)).id
        for d in ('snap-desc', 'other')]
    url = '/v2/snapshots/detail?description=snap-desc'
    assert _ids(client.member('GET', url, version='2.36'),
                'snapshots') == {snaps[0]}
    assert _ids(client.member('GET', url, version='2.35'),
                'snapshots') == set(snaps)


@pytest.mark.parametrize('path', ['/v2/shares', '/v2/shares/detail'])
def test_share_server_filter_is_admin_only(client, db, admin_ctx, path):
    resp = client.member('GET', path + '?share_server_id=12345')
    assert fault(resp) == (
        'forbidden', 403,
        "Policy doesn't allow share:list_by_share_server_id to be "
        "performed.")
    served = _share(db, admin_ctx, share_server_id='srv-1')
    _share(db, admin_ctx)
    assert _ids(client('GET', path + '?share_server_id=srv-1'
                       '&all_tenants=1')) == {served}


def _sized_type(client):
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'min2max5', 'extra_specs': {
            'driver_handles_share_servers': False,
            'provisioning:max_share_size': 5,
            'provisioning:min_share_size': 2}}})
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def _create(client, size, type_id):
    return client.member('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': size, 'share_type': type_id}},
        version=V)


def test_size_over_the_type_maximum_is_400(client):
    type_id = _sized_type(client)
    assert fault(_create(client, 6, type_id)) == (
        'badRequest', 400,
        "Invalid input received: Specified share size of '6' is greater "
        "than the maximum allowable size of '5' for share type "
        "'min2max5'.")


def test_size_under_the_type_minimum_is_400(client):
    type_id = _sized_type(client)
    assert fault(_create(client, 1, type_id)) == (
        'badRequest', 400,
        "Invalid input received: Specified share size of '1' is less "
        "than the minimum required size of '2' for share type "
        "'min2max5'.")


@pytest.mark.parametrize('size', [2, 5])
def test_size_within_the_limits_is_created(client, size):
    type_id = _sized_type(client)
    resp = _create(client, size, type_id)
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none['share']['size'] == size


@pytest.mark.parametrize('value', ['big', '-1', '1.5'])
def test_size_specs_must_be_sizes(client, value):
    key = 'provisioning:max_share_size'
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'bad', 'extra_specs': {
            'driver_handles_share_servers': False, key: value}}})
    assert fault(resp) == ('badRequest', 400,
                           'Invalid extra_spec: %s: %s' % (key, value))
    type_id = client.default_type['id']
    resp = client('PUT', '/v2/types/%s/extra_specs/%s' % (type_id, key),
                  {key: value})
    assert fault(resp)[:2] == ('badRequest', 400)


@pytest.mark.parametrize('operation,size,refused', [
    ('shrink', 1, True), ('shrink', 9, False),
    ('extend', 6, True), ('extend', 1, False),
    ('admin-extend', 8, True), ('admin-extend', 7, False),
])
def test_limits_by_operation(operation, size, refused):
    from manila_lite.common import exceptions
    from manila_lite.share import size_limits
    specs = {size_limits.MIN_SIZE: '2', size_limits.MAX_SIZE: '5',
             size_limits.MAX_EXTEND_SIZE: '7'}
    if refused:
        with pytest.raises(exceptions.InvalidInput):
            size_limits.check('t', specs, size, operation)
    else:
        size_limits.check('t', specs, size, operation)
