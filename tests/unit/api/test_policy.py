"""RBAC: admin-only APIs, X-Roles narrowing, project isolation."""

import pytest

from manila_lite.api import app as app_mod
from manila_lite.api import policy
from tests.unit.api.conftest import OTHER
from tests.unit.api.conftest import Client
from tests.unit.api.conftest import fault

# (method, path template, body) of admin-only calls; {share} is a share
# of the member's project.
ADMIN_ONLY = [
    ('GET', '/v2/services', None),
    ('POST', '/v2/types', {'share_type': {
        'name': 'x', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}}),
    ('DELETE', '/v2/types/{type}', None),
    ('POST', '/v2/types/{type}/extra_specs', {'extra_specs': {'a': 'b'}}),
    ('POST', '/v2/shares/{share}/action',
     {'reset_status': {'status': 'error'}}),
    ('POST', '/v2/shares/{share}/action', {'force_delete': None}),
    ('GET', '/v2/shares?host=node1', None),
]


@pytest.fixture
def member_share(client):
    resp = client.member('POST', '/v2/shares', {'share': {
        'size': 1, 'share_proto': 'NFS', 'name': 'mine'}})
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share']


@pytest.mark.parametrize('method,path,body', ADMIN_ONLY)
def test_member_gets_403_on_admin_apis(client, member_share, method, path,
                                       body):
    path = path.format(share=member_share['id'],
                       type=client.default_type['id'])
    resp = client.member(method, path, body, version='2.7')
    assert resp.status_int == 403, resp.body
    name, code, message = fault(resp)
    assert (name, code) == ('forbidden', 403)
    assert message.startswith("Policy doesn't allow ")
    assert message.endswith(' to be performed.')


def test_admin_passes_the_same_calls(client, member_share):
    assert client('GET', '/v2/services', version='2.7').status_int == 200
    resp = client('POST', '/v2/shares/%s/action' % member_share['id'],
                  {'reset_status': {'status': 'error'}}, version='2.7')
    assert resp.status_int == 202
    resp = client('GET', '/v2/shares/%s' % member_share['id'])
    assert resp.json_body_or_none['share']['status'] == 'error'


def test_x_roles_narrows_noauth_admin(client):
    assert client('GET', '/v2/services', version='2.7',
                  roles='member,reader').status_int == 403
    # A reader may read but not create.
    assert client('GET', '/v2/shares', roles='reader').status_int == 200
    resp = client('POST', '/v2/shares', {'share': {
        'size': 1, 'share_proto': 'NFS'}}, roles='reader')
    assert resp.status_int == 403
    assert fault(resp)[2] == "Policy doesn't allow share:create to be " \
                             "performed."
    # Roles outside admin/member/reader cannot be added by the header.
    assert client('GET', '/v2/shares', roles='superuser').status_int == 403


def test_user_only_token_uses_user_as_project(client):
    resp = client('POST', '/v2/shares', {'share': {
        'size': 1, 'share_proto': 'NFS'}}, token='carol',
        roles='member,reader')
    assert resp.json_body_or_none['share']['project_id'] == 'carol'


def test_host_is_shown_to_admins_only(client, member_share):
    path = '/v2/shares/%s' % member_share['id']
    assert 'host' in client('GET', path).json_body_or_none['share']
    assert 'host' not in client.member('GET', path).json_body_or_none[
        'share']


def test_other_project_sees_404_and_empty_lists(client, member_share):
    sid = member_share['id']
    resp = client.member('GET', '/v2/shares/%s' % sid, token=OTHER)
    assert resp.status_int == 404
    assert fault(resp)[:2] == ('itemNotFound', 404)
    resp = client.member('DELETE', '/v2/shares/%s' % sid, token=OTHER)
    assert resp.status_int == 404
    resp = client.member('GET', '/v2/shares/%s/metadata' % sid,
                         token=OTHER)
    assert resp.status_int == 404
    resp = client.member('GET', '/v2/shares?all_tenants=1', token=OTHER)
    assert resp.status_int == 200
    assert resp.json_body_or_none['shares'] == []
    # The owner and the admin (all_tenants) see it.
    resp = client.member('GET', '/v2/shares')
    assert [s['id'] for s in resp.json_body_or_none['shares']] == [sid]
    resp = client('GET', '/v2/shares?all_tenants=1')
    assert [s['id'] for s in resp.json_body_or_none['shares']] == [sid]
    assert client('GET', '/v2/shares').json_body_or_none['shares'] == []


def test_policy_file_overrides_defaults(conf, db, tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"share:get_all": "role:admin"\n')
    policy.build_enforcer(conf)  # registers [oslo_policy]
    conf.set_override('policy_file', str(policy_file),
                      group='oslo_policy')
    policy._ENFORCERS.clear()
    client = Client(app_mod.build_app(conf))
    assert client.member('GET', '/v2/shares').status_int == 403
    assert client('GET', '/v2/shares').status_int == 200


def test_every_rule_has_upstream_style_name():
    from manila_lite import policies
    names = {r.name for r in policies.list_rules()}
    for expected in ('share:create', 'share:get', 'share:get_all',
                     'share:update', 'share:delete', 'share:force_delete',
                     'share:reset_status', 'share:allow_access',
                     'share:deny_access', 'share:access_get_all',
                     'share:update_share_metadata', 'share_type:create',
                     'share_type:index', 'share_type:show',
                     'share_type:default', 'share_type:update',
                     'share_type:delete', 'share_types_extra_spec:create',
                     'share_snapshot:get_snapshot',
                     'share:create_snapshot',
                     'share_export_location:index',
                     'share_export_location:show',
                     'availability_zone:index', 'service:index',
                     'share_access_rule:index', 'context_is_host_admin'):
        assert expected in names
