"""A share copies its type's capabilities, as upstream's
``get_share_attributes_from_share_type``: at create (a capability the
type does not name is False) and again at migration complete with a new
type (upstream's manila-tempest-plugin
``MigrationWithDifferentSnapshotSupportNFSTest``)."""

import pytest

from tests.unit.api.conftest import fault
from tests.unit.test_embedded import wait_for
from tests.unit.test_migration import _action
from tests.unit.test_migration import _dest
from tests.unit.test_migration import _start

V = '2.98'
SNAPSHOT_SPECS = {'snapshot_support': 'True',
                  'create_share_from_snapshot_support': 'True'}


def _type(stack, name, **specs):
    specs['driver_handles_share_servers'] = 'False'
    resp = stack('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': specs}}, version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def _share(stack, type_id):
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': type_id,
        'availability_zone': 'az1'}}, version=V)
    assert resp.status_int == 200, resp.body
    return wait_for(stack, '/v2/shares/' + resp.json_body_or_none[
        'share']['id'], 'share', 'status', 'available')


def _capabilities(share):
    return (share['snapshot_support'],
            share['create_share_from_snapshot_support'])


def test_type_without_snapshot_specs_gives_no_snapshots(stack):
    share = _share(stack, _type(stack, 'plain'))
    assert _capabilities(share) == (False, False)
    resp = stack('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share['id']}}, version=V)
    assert resp.status_int == 400
    assert fault(resp) == (
        'badRequest', 400,
        'Invalid share: snapshot support is disabled for share %s.'
        % share['id'])


def test_type_below_2_24_still_defaults_snapshot_support(stack):
    # Upstream adds snapshot_support=True to a type created below 2.24.
    resp = stack('POST', '/v2/types', {'share_type': {
        'name': 'old', 'extra_specs': {
            'driver_handles_share_servers': 'False'}}}, version='2.23')
    assert resp.status_int == 200, resp.body
    share = _share(stack, resp.json_body_or_none['share_type']['id'])
    assert _capabilities(share) == (True, False)


@pytest.mark.parametrize('host_assisted', [False, True])
@pytest.mark.parametrize('gains', [True, False])
def test_migration_complete_takes_new_type_capabilities(
        stack, host_assisted, gains):
    capable = _type(stack, 'capable', **SNAPSHOT_SPECS)
    plain = _type(stack, 'plain')
    old, new = (plain, capable) if gains else (capable, plain)
    share = _share(stack, old)
    assert _capabilities(share) == (not gains, not gains)
    resp = _start(stack, share['id'], _dest(stack),
                  force_host_assisted_migration=host_assisted,
                  new_share_type_id=new)
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'data_copying_completed' if host_assisted
             else 'migration_driver_phase1_done')
    # Phase 1 leaves the share as it was.
    shown = stack('GET', '/v2/shares/' + share['id'], version=V)
    assert shown.json_body_or_none['share']['snapshot_support'] is (
        not gains)
    assert _action(stack, share['id'], {'migration_complete': None}
                   ).status_int == 202
    moved = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                     'task_state', 'migration_success')
    assert moved['share_type'] == new
    assert _capabilities(moved) == (gains, gains)
