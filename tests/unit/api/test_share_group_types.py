"""/share-group-types (2.31+): create, list, show, default, delete and
group specs with upstream's status codes and fault messages; share
groups themselves stay unserved."""

from tests.unit.api.conftest import fault

V = '2.55'
EXP = {'X-OpenStack-Manila-API-Experimental': 'True'}
MEMBER_ROLES = 'member,reader'


def _stype(client, name='st1'):
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name,
        'extra_specs': {'driver_handles_share_servers': False}}},
        version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def _create(client, body, **kwargs):
    kwargs.setdefault('version', V)
    return client('POST', '/v2/share-group-types',
                  {'share_group_type': body}, **kwargs)


def test_create_show_list_delete(client):
    st = _stype(client)
    resp = _create(client, {'name': 'g1', 'share_types': ['st1'],
                            'group_specs': {'consistent': 'yes'}})
    assert resp.status_int == 200, resp.body
    created = resp.json_body_or_none['share_group_type']
    assert created['share_types'] == [st]
    assert created['group_specs'] == {'consistent': 'yes'}
    assert created['is_public'] is True
    assert created['is_default'] is False
    gid = created['id']

    shown = client('GET', '/v2/share-group-types/' + gid, version=V)
    assert shown.status_int == 200
    assert shown.json_body_or_none['share_group_type'] == created
    listed = client('GET', '/v2/share-group-types', version=V,
                    token='alice:proj-a', roles=MEMBER_ROLES)
    assert [t['id'] for t in listed.json_body_or_none[
        'share_group_types']] == [gid]

    assert client('DELETE', '/v2/share-group-types/' + gid,
                  version=V).status_int == 204
    gone = client('GET', '/v2/share-group-types/' + gid, version=V)
    assert gone.status_int == 404
    assert fault(gone) == (
        'itemNotFound', 404, 'Share group type with id %s not found.' % gid)


def test_experimental_header_needed_before_2_55(client):
    _stype(client)
    body = {'name': 'g1', 'share_types': ['st1']}
    bare = _create(client, body, version='2.31')
    assert bare.status_int == 404
    resp = _create(client, body, version='2.31', headers=EXP)
    assert resp.status_int == 200, resp.body
    # is_default only from 2.46.
    assert 'is_default' not in resp.json_body_or_none['share_group_type']
    assert client('GET', '/v2/share-group-types',
                  version='2.30').status_int == 404


def test_create_refusals(client):
    _stype(client)
    cases = [
        ({'name': 'g'}, 'Supported share types must be provided.'),
        ({'name': 'g', 'share_types': []},
         'Supported share types must be provided.'),
        ({'share_types': ['st1']}, 'Share group type name is not valid.'),
        ({'name': 'x' * 256, 'share_types': ['st1']},
         'Share group type name is not valid.'),
        ({'name': 'g', 'share_types': ['st1'], 'group_specs': 'a'},
         "Group specs can be either of 'None' or 'dict' types."),
        ({'name': 'g', 'share_types': ['st1'], 'group_specs': {'a': 1}},
         'Group specs keys and values should be strings.'),
    ]
    for body, message in cases:
        resp = _create(client, body)
        assert resp.status_int == 400, body
        assert fault(resp) == ('badRequest', 400, message)
    missing = _create(client, {'name': 'g', 'share_types': ['nope']})
    assert missing.status_int == 404
    assert fault(missing)[2] == 'Share type nope could not be found.'
    assert _create(client, {'name': 'g', 'share_types': ['st1']}
                   ).status_int == 200
    dup = _create(client, {'name': 'g', 'share_types': ['st1']})
    assert fault(dup) == ('conflictingRequest', 409,
                          'Share group type g already exists.')
    member = _create(client, {'name': 'h', 'share_types': ['st1']},
                     token='alice:proj-a', roles=MEMBER_ROLES)
    assert member.status_int == 403


def test_default_404_unless_configured(client, conf):
    resp = client('GET', '/v2/share-group-types/default', version=V)
    assert fault(resp) == ('itemNotFound', 404,
                           'Default share group type not found.')
    _stype(client)
    gid = _create(client, {'name': 'dflt', 'share_types': ['st1']}
                  ).json_body_or_none['share_group_type']['id']
    conf.set_override('default_share_group_type', 'dflt')
    resp = client('GET', '/v2/share-group-types/default', version=V)
    assert resp.status_int == 200
    body = resp.json_body_or_none['share_group_type']
    assert (body['id'], body['is_default']) == (gid, True)


def test_share_type_in_use_by_group_type_not_deleted(client):
    st = _stype(client)
    gid = _create(client, {'name': 'g', 'share_types': [st]}
                  ).json_body_or_none['share_group_type']['id']
    resp = client('DELETE', '/v2/types/' + st, version=V)
    assert fault(resp) == ('badRequest', 400,
                           'Target share type is still in use.')
    client('DELETE', '/v2/share-group-types/' + gid, version=V)
    assert client('DELETE', '/v2/types/' + st, version=V).status_int == 202


def test_group_specs(client):
    _stype(client)
    gid = _create(client, {'name': 'g', 'share_types': ['st1']}
                  ).json_body_or_none['share_group_type']['id']
    url = '/v2/share-group-types/%s/group-specs' % gid
    resp = client('POST', url, {'group_specs': {'a': '1', 'b': '2'}},
                  version=V)
    assert resp.json_body_or_none == {'group_specs': {'a': '1', 'b': '2'}}
    resp = client('PUT', url + '/a', {'a': '3'}, version=V)
    assert (resp.status_int, resp.json_body_or_none) == (200, {'a': '3'})
    mismatch = client('PUT', url + '/a', {'b': '3'}, version=V)
    assert fault(mismatch) == ('badRequest', 400,
                               'Request body and URI mismatch')
    assert client('GET', url + '/a', version=V).json_body_or_none == {
        'a': '3'}
    assert client('DELETE', url + '/b', version=V).status_int == 204
    assert client('GET', url, version=V).json_body_or_none == {
        'group_specs': {'a': '3'}}
    absent = client('GET', url + '/b', version=V)
    assert fault(absent) == (
        'itemNotFound', 404,
        'Share group type %s has no group specs with key b.' % gid)
    assert client('GET', url, version=V, token='alice:proj-a',
                  roles=MEMBER_ROLES).status_int == 403


PROJ = 'f1a2b3c4d5e64f7a8b9c0d1e2f3a4b5c'
CAROL = 'carol:' + PROJ


def _act(client, gid, name, project=PROJ):
    return client('POST', '/v2/share-group-types/%s/action' % gid,
                  {name: {'project': project}}, version=V)


def test_private_type_access(client):
    _stype(client)
    gid = _create(client, {'name': 'priv', 'share_types': ['st1'],
                           'is_public': False}
                  ).json_body_or_none['share_group_type']['id']
    access = '/v2/share-group-types/%s/access' % gid
    assert client('GET', access, version=V).json_body_or_none == {
        'share_group_type_access': []}
    hidden = client('GET', '/v2/share-group-types/' + gid, version=V,
                    token=CAROL, roles=MEMBER_ROLES)
    assert hidden.status_int == 404

    assert _act(client, gid, 'addProjectAccess').status_int == 202
    assert client('GET', access, version=V).json_body_or_none == {
        'share_group_type_access': [{'share_group_type_id': gid,
                                     'project_id': PROJ}]}
    listed = client('GET', '/v2/share-group-types', version=V,
                    token=CAROL, roles=MEMBER_ROLES)
    assert [t['id'] for t in listed.json_body_or_none[
        'share_group_types']] == [gid]
    again = _act(client, gid, 'addProjectAccess')
    assert fault(again) == (
        'conflictingRequest', 409,
        'Share group type access for %s / %s combination already '
        'exists.' % (gid, PROJ))

    assert _act(client, gid, 'removeProjectAccess').status_int == 202
    absent = _act(client, gid, 'removeProjectAccess')
    assert fault(absent) == (
        'itemNotFound', 404,
        'Share group type access not found for %s / %s combination.'
        % (gid, PROJ))
    bad = _act(client, gid, 'addProjectAccess', project='nope')
    assert fault(bad) == ('badRequest', 400,
                          'Project value (nope) must be in uuid format.')


def test_public_type_access_refused(client):
    _stype(client)
    gid = _create(client, {'name': 'pub', 'share_types': ['st1']}
                  ).json_body_or_none['share_group_type']['id']
    resp = client('GET', '/v2/share-group-types/%s/access' % gid, version=V)
    assert fault(resp) == (
        'itemNotFound', 404,
        'Access list not available for public share group types.')
    resp = _act(client, gid, 'addProjectAccess')
    assert fault(resp) == (
        'conflictingRequest', 409,
        'Type access modification is not applicable to public share group '
        'type.')
