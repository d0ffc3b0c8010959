"""Share types and extra specs as upstream answers them: the
snapshot_support default below 2.24, undeletable specs (403), extra
specs for administrators only, values up to 255 characters, an empty
description unsetting it, and empty path segments (404)."""

import pytest

from tests.unit.api.conftest import fault

DHSS = {'driver_handles_share_servers': 'False'}


def _type(client, name='t', version=None, **specs):
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': dict(DHSS, **specs)}},
        version=version)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']


@pytest.mark.parametrize('version,expected', [
    ('2.0', {'snapshot_support': 'True'}),
    ('2.23', {'snapshot_support': 'True'}),
    ('2.24', {}),
])
def test_snapshot_support_defaulted_below_2_24(client, version, expected):
    stype = _type(client, version=version, key='value')
    assert stype['extra_specs'] == dict(DHSS, key='value', **expected)


def test_snapshot_support_given_is_kept(client):
    stype = _type(client, version='2.0', snapshot_support='False')
    assert stype['extra_specs']['snapshot_support'] == 'False'


def test_dhss_cannot_be_deleted(client):
    stype = _type(client)
    resp = client('DELETE', '/v2/types/%s/extra_specs/'
                  'driver_handles_share_servers' % stype['id'])
    assert fault(resp) == (
        'forbidden', 403,
        "Extra spec 'driver_handles_share_servers' can't be deleted.")


@pytest.mark.parametrize('version,status', [
    ('2.0', 403), ('2.23', 403), ('2.24', 202)])
def test_snapshot_support_deletable_from_2_24(client, version, status):
    stype = _type(client, snapshot_support='True')
    resp = client('DELETE', '/v2/types/%s/extra_specs/snapshot_support'
                  % stype['id'], version=version)
    assert resp.status_int == status
    if status == 403:
        assert fault(resp)[2] == (
            "Extra spec 'snapshot_support' can't be deleted.")


def test_delete_on_unknown_type_is_404(client):
    resp = client('DELETE', '/v2/types/nope/extra_specs/'
                  'driver_handles_share_servers')
    assert fault(resp) == ('itemNotFound', 404,
                           'Share type nope could not be found.')


@pytest.mark.parametrize('method,suffix,body', [
    ('GET', '/extra_specs', None),
    ('GET', '/extra_specs/key', None),
    ('POST', '/extra_specs', {'extra_specs': {'key': 'v2'}}),
    ('PUT', '/extra_specs/key', {'key': 'v2'}),
    ('DELETE', '/extra_specs/key', None),
])
def test_extra_specs_are_admin_only(client, method, suffix, body):
    stype = _type(client, key='value')
    resp = client.member(method, '/v2/types/' + stype['id'] + suffix, body)
    name, code, message = fault(resp)
    assert (name, code) == ('forbidden', 403)
    assert message.startswith("Policy doesn't allow share_types_extra_spec:")


def test_non_admin_sees_tenant_visible_specs_only(client):
    stype = _type(client, key='value', snapshot_support='True',
                  **{'provisioning:max_share_size': '5'})
    shown = client.member('GET', '/v2/types/' + stype['id'])
    assert shown.json_body_or_none['share_type']['extra_specs'] == dict(
        DHSS, snapshot_support='True',
        **{'provisioning:max_share_size': '5'})
    assert client('GET', '/v2/types/' + stype['id']).json_body_or_none[
        'share_type']['extra_specs']['key'] == 'value'


@pytest.mark.parametrize('value', ['v' * 256, ''])
def test_bad_values_are_400(client, value):
    stype = _type(client)
    url = '/v2/types/%s/extra_specs' % stype['id']
    for resp in (client('POST', url, {'extra_specs': {'key': value}}),
                 client('PUT', url + '/key', {'key': value})):
        assert fault(resp) == ('badRequest', 400,
                               'Invalid extra_spec: key: %s' % value)
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'x', 'extra_specs': dict(DHSS, key=value)}})
    assert fault(resp)[:2] == ('badRequest', 400)


@pytest.mark.parametrize('key', ['k' * 256, ''])
def test_bad_keys_are_400(client, key):
    stype = _type(client)
    resp = client('POST', '/v2/types/%s/extra_specs' % stype['id'],
                  {'extra_specs': {key: 'value'}})
    assert fault(resp)[:2] == ('badRequest', 400)


def test_value_of_255_is_fine(client):
    stype = _type(client)
    resp = client('PUT', '/v2/types/%s/extra_specs/key' % stype['id'],
                  {'key': 'v' * 255})
    assert resp.json_body_or_none == {'key': 'v' * 255}


def test_empty_description_unsets_it(client):
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'd', 'description': 'words', 'extra_specs': DHSS}},
        version='2.50')
    type_id = resp.json_body_or_none['share_type']['id']
    resp = client('PUT', '/v2/types/' + type_id,
                  {'share_type': {'description': ''}}, version='2.50')
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none['share_type']['description'] is None
    shown = client('GET', '/v2/types/' + type_id, version='2.50')
    assert shown.json_body_or_none['share_type']['description'] is None


@pytest.mark.parametrize('method,path', [
    ('GET', '/v2/types//extra_specs'),
    ('POST', '/v2/types//extra_specs'),
    ('GET', '/v2/types/{id}/extra_specs/'),
    ('PUT', '/v2/types/{id}/extra_specs/'),
    ('DELETE', '/v2/types//extra_specs/key'),
    ('GET', '/v2/shares/'),
    ('DELETE', '/v2/shares/'),
    ('GET', '/v2/admin/shares/'),
    # As clients send them: tempest squashes '//' into '/'.
    ('POST', '/v2/types/extra_specs'),
    ('DELETE', '/v2/shares/detail/export_locations'),
])
def test_empty_path_segments_are_404(client, method, path):
    stype = _type(client)
    body = {'extra_specs': {'a': 'b'}} if method != 'GET' else None
    resp = client(method, path.replace('{id}', stype['id']), body)
    assert fault(resp) == ('itemNotFound', 404,
                           'The resource could not be found.')


def test_wrong_method_is_still_405(client):
    stype = _type(client)
    resp = client('POST', '/v2/types/' + stype['id'])
    assert fault(resp)[:2] == ('badMethod', 405)
    assert resp.headers['Allow'] == 'DELETE, GET, PUT'


@pytest.mark.parametrize('version,keys', [
    ('2.23', {'driver_handles_share_servers'}),
    ('2.24', {'driver_handles_share_servers', 'snapshot_support',
              'create_share_from_snapshot_support'}),
    ('2.32', {'driver_handles_share_servers', 'snapshot_support',
              'create_share_from_snapshot_support',
              'revert_to_snapshot_support', 'mount_snapshot_support'}),
    ('2.99', {'driver_handles_share_servers', 'snapshot_support',
              'create_share_from_snapshot_support',
              'revert_to_snapshot_support', 'mount_snapshot_support',
              'snapshot_inherit_share_access_support'}),
])
def test_non_admin_sees_the_capability_specs_a_type_leaves_out(
        client, version, keys):
    """As manila-tempest-plugin's
    test_try_read_extra_specs_on_share_type_with_user: a non-admin reads
    every snapshot capability of the version, False when the type does
    not set it (what a share of the type gets); admins read the type's
    own specs."""
    stype = _type(client, version='2.99', key='value')
    shown = client.member('GET', '/v2/types/' + stype['id'],
                          version=version)
    specs = shown.json_body_or_none['share_type']['extra_specs']
    assert set(specs) == keys
    assert {v for k, v in specs.items()
            if k != 'driver_handles_share_servers'} <= {'False'}
    listed = client.member('GET', '/v2/types', version=version)
    assert [t['extra_specs'] for t in listed.json_body_or_none[
        'share_types'] if t['id'] == stype['id']] == [specs]
    admin = client('GET', '/v2/types/' + stype['id'], version=version)
    assert admin.json_body_or_none['share_type']['extra_specs'] == dict(
        DHSS, key='value')
