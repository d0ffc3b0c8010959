"""/share-groups (2.31+, experimental until 2.55): create, list, show,
update, delete and the admin actions with upstream's status codes and
fault messages; shares created in a group take its zone and backend.

The scheduler's part (placing the group) is in
tests/unit/scheduler/test_share_groups.py: here a placed group is set
up with tests/unit/rows.py as the scheduler leaves it."""

import pytest

from manila_lite.common import states
from manila_lite.db import share_groups as group_db
from tests.unit import rows
from tests.unit.api.conftest import fault

V = '2.55'
EXP = {'X-OpenStack-Manila-API-Experimental': 'True'}


def _stype(client, name, **specs):
    specs.setdefault('driver_handles_share_servers', 'False')
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': specs}}, version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def _group_type(client, name, types):
    resp = client('POST', '/v2/share-group-types', {'share_group_type': {
        'name': name, 'share_types': types}}, version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_group_type']['id']


def _create(client, body, **kwargs):
    kwargs.setdefault('version', V)
    return client('POST', '/v2/share-groups', {'share_group': body},
                  **kwargs)


@pytest.fixture
def types(client, zoned_backends):
    st = _stype(client, 'st1', availability_zones='az1')
    return st, _group_type(client, 'gt1', ['st1'])


def _placed(admin_ctx, group_id, zone='az1', host='n1@b1'):
    rows.share_group_update(admin_ctx, group_id, {
        'status': states.STATUS_AVAILABLE, 'host': host,
        'availability_zone': zone})


def test_create_show_list_update(client, types):
    st, gt = types
    resp = _create(client, {
        'name': 'g1', 'description': 'd', 'share_group_type_id': gt,
        'availability_zone': 'az1'}, token='alice:proj-a',
        roles='member,reader')
    assert resp.status_int == 202, resp.body
    group = resp.json_body_or_none['share_group']
    assert group['status'] == states.STATUS_CREATING
    # The group type's share types when none are named.
    assert group['share_types'] == [st]
    assert group['availability_zone'] == 'az1'
    assert group['project_id'] == 'proj-a'
    assert 'share_server_id' not in group
    gid = group['id']

    shown = client.member('GET', '/v2/share-groups/' + gid, version=V)
    assert shown.status_int == 200
    assert shown.json_body_or_none['share_group']['name'] == 'g1'
    listed = client.member('GET', '/v2/share-groups', version=V)
    assert listed.json_body_or_none['share_groups'][0]['id'] == gid
    assert set(listed.json_body_or_none['share_groups'][0]) == {
        'id', 'name', 'links'}
    detail = client.member('GET', '/v2/share-groups/detail?name=g1',
                           version=V)
    assert [g['id'] for g in detail.json_body_or_none['share_groups']] == [
        gid]
    none = client.member('GET', '/v2/share-groups/detail?name=other',
                         version=V)
    assert none.json_body_or_none['share_groups'] == []
    # Another project does not see it.
    hidden = client('GET', '/v2/share-groups/' + gid, version=V,
                    token='bob:proj-b', roles='member,reader')
    assert hidden.status_int == 404
    assert fault(hidden) == ('itemNotFound', 404,
                             'Share group %s could not be found.' % gid)

    updated = client.member('PUT', '/v2/share-groups/' + gid,
                            {'share_group': {'name': 'g2'}}, version=V)
    assert updated.status_int == 200, updated.body
    assert updated.json_body_or_none['share_group']['name'] == 'g2'
    bad = client.member('PUT', '/v2/share-groups/' + gid,
                        {'share_group': {'status': 'available'}},
                        version=V)
    assert fault(bad) == (
        'badRequest', 400, 'Invalid input received: The fields status are '
        'invalid or not allowed to be updated.')


def test_experimental_header_needed_before_2_55(client, types):
    body = {'availability_zone': 'az1', 'share_group_type_id': types[1]}
    assert _create(client, body, version='2.31').status_int == 404
    resp = _create(client, body, version='2.31', headers=EXP)
    assert resp.status_int == 202, resp.body
    # availability_zone from 2.34.
    assert 'availability_zone' not in resp.json_body_or_none['share_group']
    assert client('GET', '/v2/share-groups',
                  version='2.30').status_int == 404


def test_create_refusals(client, types):
    st, gt = types
    other = _stype(client, 'st2')
    cases = [
        ({'share_group_type_id': gt, 'availability_zone': 'az2'},
         ('badRequest', 400, 'Invalid input received: Share type st1(ID: '
          '%s) is not supported within the availability zone chosen az2.'
          % st)),
        ({'share_group_type_id': gt, 'share_types': [other]},
         ('badRequest', 400, 'Invalid input received: The specified share '
          'types must be a subset of the share types supported by the '
          'share group type.')),
        ({'share_group_type_id': gt, 'share_types': ['nope']},
         ('badRequest', 400, 'Invalid input received: Share type with id '
          'nope could not be found.')),
        ({'share_group_type_id': 'nope'},
         ('itemNotFound', 404, 'Share group type nope not found.')),
        ({'share_group_type_id': gt, 'availability_zone': 'az9'},
         ('itemNotFound', 404, 'Availability zone az9 could not be '
          'found.')),
        # No default group type configured.
        ({}, ('badRequest', 400, 'Invalid input received: Must specify a '
              'share group type as a default share group type has not '
              'been defined.')),
        ({'share_group_type_id': gt,
          'share_network_id': '0b5a6e4c-56ff-4f33-9a54-0f1a3e0d3c11'},
         ('badRequest', 400, 'Invalid input received: When using a share '
          'types with the driver_handles_share_servers extra spec as '
          'False, a share_network_id must not be provided.')),
    ]
    for body, expected in cases:
        resp = _create(client, body)
        assert fault(resp) == expected, body
    missing = client('POST', '/v2/share-groups', {'other': {}}, version=V)
    assert fault(missing) == (
        'badRequest', 400, "Invalid input received: 'share_group' is "
        "missing from the request body.")
    assert client('GET', '/v2/share-groups', version=V).json_body_or_none[
        'share_groups'] == []


def test_default_group_type_is_used(client, types, conf):
    conf.set_override('default_share_group_type', 'gt1')
    resp = _create(client, {'availability_zone': 'az1'})
    assert resp.status_int == 202, resp.body
    assert resp.json_body_or_none['share_group'][
        'share_group_type_id'] == types[1]


def test_share_in_group_takes_its_zone_and_cannot_leave_it(
        client, types, admin_ctx):
    st, gt = types
    gid = _create(client, {'share_group_type_id': gt}).json_body_or_none[
        'share_group']['id']
    share_body = {'share_proto': 'NFS', 'size': 1, 'share_type': st,
                  'share_group_id': gid}
    # Not placed yet: no share joins it.
    early = client('POST', '/v2/shares', {'share': share_body}, version=V)
    assert fault(early) == (
        'conflictingRequest', 409, 'Invalid share group: Share group '
        'status must be available, not creating')
    _placed(admin_ctx, gid, zone='az1', host='n1@b1')
    resp = client('POST', '/v2/shares', {'share': share_body}, version=V)
    assert resp.status_int == 200, resp.body
    share = resp.json_body_or_none['share']
    assert share['share_group_id'] == gid
    assert share['availability_zone'] == 'az1'
    listed = client('GET', '/v2/shares/detail?share_group_id=' + gid,
                    version=V)
    assert [s['id'] for s in listed.json_body_or_none['shares']] == [
        share['id']]
    wrong_zone = client('POST', '/v2/shares', {'share': dict(
        share_body, availability_zone='az2')}, version=V)
    assert fault(wrong_zone) == (
        'badRequest', 400, 'Invalid input received: Share cannot have AZ '
        '(az2) different than share group it is added to (az1).')
    other = _stype(client, 'st2')
    wrong_type = client('POST', '/v2/shares', {'share': dict(
        share_body, share_type=other)}, version=V)
    assert fault(wrong_type) == (
        'badRequest', 400, 'Invalid input received: The specified share '
        'type (%s) is not supported by the specified share group (%s).'
        % (other, gid))

    # The group holds a share: no delete, forced or not.
    held = client('DELETE', '/v2/share-groups/' + gid, version=V)
    assert fault(held) == ('conflictingRequest', 409, 'Invalid share '
                           'group: Cannot delete a share group with shares')
    forced = client('POST', '/v2/share-groups/%s/action' % gid,
                    {'force_delete': None}, version=V)
    assert forced.status_int == 409
    assert group_db.share_group_get(admin_ctx, gid).status == (
        states.STATUS_AVAILABLE)
    # A share of a group is deleted naming its group, as upstream.
    bare = client('DELETE', '/v2/shares/' + share['id'], version=V)
    assert fault(bare) == (
        'badRequest', 400, "Invalid input received: Must provide "
        "'share_group_id' as a request parameter when deleting a share "
        "in a share group.")


def test_delete_and_admin_actions(client, types, admin_ctx):
    gt = types[1]
    gid = _create(client, {'share_group_type_id': gt},
                  token='alice:proj-a', roles='member,reader'
                  ).json_body_or_none['share_group']['id']
    # Still creating: not deletable without force.
    busy = client.member('DELETE', '/v2/share-groups/' + gid, version=V)
    assert fault(busy) == (
        'conflictingRequest', 409, 'Invalid share group: Share group '
        'status must be one of available, error, not creating')
    for action in ({'reset_status': {'status': 'error'}},
                   {'force_delete': None}):
        refused = client.member('POST', '/v2/share-groups/%s/action' % gid,
                                action, version=V)
        assert refused.status_int == 403, action
    bad = client('POST', '/v2/share-groups/%s/action' % gid,
                 {'reset_status': {'status': 'bogus'}}, version=V)
    assert bad.status_int == 400
    reset = client('POST', '/v2/share-groups/%s/action' % gid,
                   {'reset_status': {'status': 'error'}}, version=V)
    assert reset.status_int == 202
    assert group_db.share_group_get(admin_ctx, gid).status == 'error'
    deleted = client.member('DELETE', '/v2/share-groups/' + gid, version=V)
    assert deleted.status_int == 202
    gone = client.member('GET', '/v2/share-groups/' + gid, version=V)
    assert gone.status_int == 404

    gid2 = _create(client, {'share_group_type_id': gt}).json_body_or_none[
        'share_group']['id']
    forced = client('POST', '/v2/share-groups/%s/action' % gid2,
                    {'force_delete': None}, version=V)
    assert forced.status_int == 202
    assert client('GET', '/v2/share-groups/' + gid2,
                  version=V).status_int == 404
