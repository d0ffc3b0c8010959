"""Mountable snapshots (2.32) through the API of the all-in-one stack
(two local backends, real directories): a share type asking
``mount_snapshot_support`` lands on the local pools, its snapshots have
export locations (a read-only directory), access rules go through
their states into the pool's exports file and out again, and every
refusal answers upstream's code and message."""

import os
import time

from tests.unit.api.conftest import OTHER
from tests.unit.test_embedded import local_path
from tests.unit.test_resize import fault
from tests.unit.test_resize import make_share
from tests.unit.test_revert import snapshot
from tests.unit.test_revert import write

V = '2.98'
TIMEOUT = 60


def mountable_type(client, name='mountable', mountable=True):
    specs = {'driver_handles_share_servers': False,
             'snapshot_support': True}
    if mountable:
        # (A type asking it False would fit no local pool: as upstream,
        # a capability matches only its reported value.)
        specs['mount_snapshot_support'] = True
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': specs}}, version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def snap_action(client, snap_id, body, version=V, **kwargs):
    return client('POST', '/v2/snapshots/%s/action' % snap_id, body,
                  version=version, **kwargs)


def access_list(client, snap_id, version=V, **kwargs):
    return client('GET', '/v2/snapshots/%s/access-list' % snap_id,
                  version=version, **kwargs)


def rule_state(client, snap_id, rule_id):
    resp = access_list(client, snap_id)
    assert resp.status_int == 200, resp.body
    for rule in resp.json_body_or_none['snapshot_access_list']:
        if rule['id'] == rule_id:
            return rule['state']
    return None


def wait_rule(client, snap_id, rule_id, wanted):
    deadline = time.monotonic() + TIMEOUT
    while True:
        state = rule_state(client, snap_id, rule_id)
        if state == wanted:
            return
        assert time.monotonic() < deadline, (rule_id, state, wanted)
        time.sleep(0.05)


def exports_text(share_path):
    pool_root = os.path.dirname(os.path.dirname(share_path))
    with open(os.path.join(pool_root, 'exports')) as f:
        return f.read()


def mountable_snapshot(stack, type_id=None):
    share_id = make_share(stack, type_id=type_id or mountable_type(stack))
    path = local_path(stack, share_id)
    write(path, 'a.txt', b'alpha')
    return share_id, path, snapshot(stack, share_id)


def test_share_of_a_mountable_type_says_so_from_2_32(stack):
    share_id = make_share(stack, type_id=mountable_type(stack))
    resp = stack('GET', '/v2/shares/' + share_id, version='2.32')
    assert resp.json_body_or_none['share']['mount_snapshot_support'] is True
    resp = stack('GET', '/v2/shares/' + share_id, version='2.31')
    assert 'mount_snapshot_support' not in resp.json_body_or_none['share']
    resp = stack('GET', '/v2/scheduler-stats/pools/detail', version=V)
    pools = resp.json_body_or_none['pools']
    assert pools and all(p['capabilities']['mount_snapshot_support']
                         for p in pools)


def test_snapshot_export_locations_are_read_only_copies(stack):
    _share_id, _path, snap_id = mountable_snapshot(stack)
    resp = stack('GET', '/v2/snapshots/%s/export-locations' % snap_id,
                 version='2.32')
    assert resp.status_int == 200, resp.body
    els = resp.json_body_or_none['share_snapshot_export_locations']
    assert sorted(el['is_admin_only'] for el in els) == [False, True]
    assert all(set(el) == {'id', 'path', 'links', 'is_admin_only',
                           'share_snapshot_instance_id'} for el in els)
    admin_path = [el['path'] for el in els if el['is_admin_only']][0]
    with open(os.path.join(admin_path, 'a.txt'), 'rb') as f:
        assert f.read() == b'alpha'
    assert not os.access(admin_path, os.W_OK) or os.geteuid() == 0

    # The same rows, by snapshot instance (admin) and one by one.
    inst_id = els[0]['share_snapshot_instance_id']
    resp = stack('GET', '/v2/snapshot-instances/%s/export-locations'
                 % inst_id, version='2.32')
    assert sorted(resp.json_body_or_none[
        'share_snapshot_export_locations'], key=lambda e: e['id']) == \
        sorted(els, key=lambda e: e['id'])
    for el in els:
        resp = stack('GET', '/v2/snapshots/%s/export-locations/%s'
                     % (snap_id, el['id']), version='2.32')
        shown = resp.json_body_or_none['share_snapshot_export_location']
        assert shown['path'] == el['path']
        assert {'created_at', 'updated_at'} <= set(shown)


def test_unknown_snapshot_export_location_is_404(stack):
    _share_id, _path, snap_id = mountable_snapshot(stack)
    resp = stack('GET', '/v2/snapshots/%s/export-locations/nope'
                 % snap_id, version='2.32')
    fault(resp, 404, 'Export location nope could not be found.')
    resp = stack('GET', '/v2/snapshots/%s/export-locations' % snap_id,
                 version='2.31')
    assert resp.status_int == 404


def test_snapshot_of_a_share_not_mountable_has_no_export_location(stack):
    share_id = make_share(stack, type_id=mountable_type(
        stack, name='plain', mountable=False))
    snap_id = snapshot(stack, share_id)
    resp = stack('GET', '/v2/snapshots/%s/export-locations' % snap_id,
                 version='2.32')
    assert resp.json_body_or_none == {'share_snapshot_export_locations': []}
    resp = snap_action(stack, snap_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.1'}})
    fault(resp, 400, 'Cannot control access to the snapshot %s since '
          'the parent share %s does not support mounting its snapshots.'
          % (snap_id, share_id))
    fault(access_list(stack, snap_id), 400, 'does not support mounting')


def test_allow_then_deny_writes_and_clears_the_exports_line(stack):
    _share_id, path, snap_id = mountable_snapshot(stack)
    resp = snap_action(stack, snap_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.0/24'}})
    assert resp.status_int == 202, resp.body
    rule = resp.json_body_or_none['snapshot_access']
    assert set(rule) == {'id', 'access_type', 'access_to', 'state'}
    assert rule['state'] == 'queued_to_apply'
    wait_rule(stack, snap_id, rule['id'], 'active')
    lines = [line for line in exports_text(path).splitlines()
             if '/snapshots/' in line]
    assert len(lines) == 1 and lines[0].endswith(' 10.0.0.0/24(ro)'), lines

    resp = snap_action(stack, snap_id, {'deny_access': {
        'access_id': rule['id']}})
    assert resp.status_int == 202, resp.body
    assert resp.body == b''
    wait_rule(stack, snap_id, rule['id'], None)
    assert '/snapshots/' not in exports_text(path)
    # A rule that is gone: upstream's 404.
    resp = snap_action(stack, snap_id, {'deny_access': {
        'access_id': rule['id']}})
    fault(resp, 404, 'Share snapshot access %s not found.' % rule['id'])


def test_refusals_answer_upstreams_codes(stack):
    type_id = mountable_type(stack)
    _share_id, _path, snap_id = mountable_snapshot(stack, type_id)
    resp = snap_action(stack, snap_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '1.2.3.4'}})
    assert resp.status_int == 202, resp.body
    rule_id = resp.json_body_or_none['snapshot_access']['id']
    # The same network in another notation is a duplicate (400).
    resp = snap_action(stack, snap_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '1.2.3.4/32'}})
    fault(resp, 400, 'Share snapshot access ip:1.2.3.4/32 exists.')
    # Values that would add text to the exports file.
    for bad in ('1.2.3.4\n', '1.2.3.4 *(rw)', '1.2.3.256'):
        resp = snap_action(stack, snap_id, {'allow_access': {
            'access_type': 'ip', 'access_to': bad}})
        assert resp.status_int == 400, (bad, resp.body)
    # IPv6 only from 2.38, as for shares.
    resp = snap_action(stack, snap_id, {'allow_access': {
        'access_type': 'ip', 'access_to': 'fd00::1'}}, version='2.37')
    fault(resp, 400, "Expected 4 octets in 'fd00::1'")
    # Not an action before 2.32; no access list either.
    resp = snap_action(stack, snap_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '1.2.3.5'}}, version='2.31')
    assert resp.status_int == 404
    assert access_list(stack, snap_id, version='2.31').status_int == 404
    # A rule of another snapshot.
    _other_share, _p, other_snap = mountable_snapshot(stack, type_id)
    resp = snap_action(stack, other_snap, {'deny_access': {
        'access_id': rule_id}})
    fault(resp, 400, 'Access rule provided is not associated with given '
          'snapshot.')
    # Another project's snapshot is hidden.
    resp = access_list(stack, snap_id, token=OTHER, roles='member,reader')
    fault(resp, 404, 'Snapshot %s could not be found.' % snap_id)
    resp = snap_action(stack, snap_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '1.2.3.6'}}, token=OTHER,
        roles='member,reader')
    fault(resp, 404, 'Snapshot %s could not be found.' % snap_id)
