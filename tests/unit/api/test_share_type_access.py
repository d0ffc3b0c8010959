"""Share type access: private types, their access list, the
addProjectAccess / removeProjectAccess actions and who sees what, with
upstream's status codes and fault messages."""

import pytest

from tests.unit.api.conftest import fault

PROJ = 'f1a2b3c4d5e64f7a8b9c0d1e2f3a4b5c'
CAROL = 'carol:' + PROJ
ROLES = 'member,reader'


def _type(client, name, *, public, version=None):
    key = ('os-share-type-access:is_public' if version == '2.6'
           else 'share_type_access:is_public')
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name, key: public,
        'extra_specs': {'driver_handles_share_servers': False}}},
        version=version)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def _act(client, type_id, name, project=PROJ, **kwargs):
    return client('POST', '/v2/types/%s/action' % type_id,
                  {name: {'project': project}}, **kwargs)


def _access(client, type_id, **kwargs):
    kwargs.setdefault('version', '2.7')
    return client('GET', '/v2/types/%s/share_type_access' % type_id,
                  **kwargs)


def _listed(client, **kwargs):
    resp = client('GET', '/v2/types', **kwargs)
    assert resp.status_int == 200, resp.body
    return {t['id'] for t in resp.json_body_or_none['share_types']}


def test_private_type_shared_then_unshared(client):
    type_id = _type(client, 'priv', public=False)
    assert _access(client, type_id).json_body_or_none == {
        'share_type_access': []}
    assert type_id not in _listed(client, token=CAROL, roles=ROLES)
    assert client('GET', '/v2/types/' + type_id, token=CAROL,
                  roles=ROLES).status_int == 404

    assert _act(client, type_id, 'addProjectAccess').status_int == 202
    assert _access(client, type_id).json_body_or_none == {
        'share_type_access': [{'share_type_id': type_id,
                               'project_id': PROJ}]}
    assert type_id in _listed(client, token=CAROL, roles=ROLES)
    shown = client('GET', '/v2/types/' + type_id, token=CAROL, roles=ROLES,
                   version='2.7')
    assert shown.status_int == 200
    assert shown.json_body_or_none['share_type'][
        'share_type_access:is_public'] is False
    # Other projects still do not see it.
    assert type_id not in _listed(client.member)

    assert _act(client, type_id, 'removeProjectAccess').status_int == 202
    assert _access(client, type_id).json_body_or_none == {
        'share_type_access': []}
    assert type_id not in _listed(client, token=CAROL, roles=ROLES)


def test_admin_lists_private_types_only_when_asked(client):
    type_id = _type(client, 'priv', public=False)
    assert type_id not in _listed(client)
    assert type_id in _ids(client, 'is_public=false')
    assert type_id in _ids(client, 'is_public=all')
    assert client.default_type['id'] not in _ids(client, 'is_public=false')


def _ids(client, query):
    resp = client('GET', '/v2/types?' + query)
    assert resp.status_int == 200, resp.body
    return {t['id'] for t in resp.json_body_or_none['share_types']}


def test_non_admin_is_public_filter_is_ignored(client):
    type_id = _type(client, 'priv', public=False)
    resp = client.member('GET', '/v2/types?is_public=all')
    assert resp.status_int == 200
    assert type_id not in {
        t['id'] for t in resp.json_body_or_none['share_types']}


def test_legacy_access_url_until_2_6(client):
    type_id = _type(client, 'priv', public=False, version='2.6')
    _act(client, type_id, 'addProjectAccess', version='2.6')
    resp = client('GET', '/v2/types/%s/os-share-type-access' % type_id,
                  version='2.6')
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none['share_type_access'][0][
        'project_id'] == PROJ
    assert client('GET', '/v2/types/%s/os-share-type-access' % type_id,
                  version='2.7').status_int == 404
    assert _access(client, type_id, version='2.6').status_int == 404


def test_public_type_has_no_access_list(client):
    type_id = _type(client, 'pub', public=True)
    resp = _access(client, type_id)
    assert fault(resp) == (
        'itemNotFound', 404,
        'Access list not available for public share types.')


@pytest.mark.parametrize('name', ['addProjectAccess', 'removeProjectAccess'])
def test_public_type_access_cannot_change(client, name):
    type_id = _type(client, 'pub', public=True)
    assert fault(_act(client, type_id, name)) == (
        'conflictingRequest', 409,
        'Type access modification is not applicable to public share '
        'type.')


def test_duplicate_access_is_409(client):
    type_id = _type(client, 'priv', public=False)
    _act(client, type_id, 'addProjectAccess')
    assert fault(_act(client, type_id, 'addProjectAccess')) == (
        'conflictingRequest', 409,
        'Share type access for %s / %s combination already exists.'
        % (type_id, PROJ))


def test_removing_absent_access_is_404(client):
    type_id = _type(client, 'priv', public=False)
    assert fault(_act(client, type_id, 'removeProjectAccess')) == (
        'itemNotFound', 404,
        'Share type access not found for %s / %s combination.'
        % (type_id, PROJ))


@pytest.mark.parametrize('name', ['addProjectAccess', 'removeProjectAccess'])
def test_unknown_type_is_404(client, name):
    resp = _act(client, 'no-such-type', name)
    assert fault(resp) == ('itemNotFound', 404,
                           'Share type no-such-type could not be found.')
    assert _access(client, 'no-such-type').status_int == 404


@pytest.mark.parametrize('project', ['not-a-uuid', None, 7])
def test_bad_project_is_400(client, project):
    type_id = _type(client, 'priv', public=False)
    assert fault(_act(client, type_id, 'addProjectAccess',
                      project=project)) == (
        'badRequest', 400,
        'Bad project format: project is not in proper format (%s)'
        % project)


def test_unknown_action_and_malformed_body(client):
    type_id = _type(client, 'priv', public=False)
    resp = client('POST', '/v2/types/%s/action' % type_id,
                  {'frobnicate': {}})
    assert fault(resp) == ('badRequest', 400,
                           'There is no such action: frobnicate')
    resp = client('POST', '/v2/types/%s/action' % type_id,
                  {'addProjectAccess': 'x'})
    assert fault(resp) == ('badRequest', 400, 'Malformed request body')


@pytest.mark.parametrize('name', ['addProjectAccess', 'removeProjectAccess'])
def test_non_admin_is_403(client, name):
    type_id = _type(client, 'priv', public=False)
    resp = _act(client.member, type_id, name)
    assert fault(resp) == (
        'forbidden', 403,
        "Policy doesn't allow share_type:%s to be performed."
        % ('add_project_access' if name == 'addProjectAccess'
           else 'remove_project_access'))
    assert fault(_access(client.member, type_id))[1] == 403


def test_share_of_unshared_private_type_is_404(client):
    type_id = _type(client, 'priv', public=False)
    resp = client.member('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': 'priv'}})
    assert fault(resp) == ('itemNotFound', 404,
                           'Share type priv could not be found.')
    assert type_id


def test_deleting_a_type_drops_its_access(client, db, admin_ctx):
    from manila_lite.db import share_type_access
    type_id = _type(client, 'priv', public=False)
    _act(client, type_id, 'addProjectAccess')
    assert client('DELETE', '/v2/types/' + type_id).status_int == 202
    assert share_type_access.projects(admin_ctx, type_id) == []
