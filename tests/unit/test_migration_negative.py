"""Upstream's migration refusals, one per test, each with its status and
fault body (the contract reference's table for migration_start and the
rules for complete, cancel, progress and reset_task_state)."""

import uuid

import pytest

from manila_lite.common import context
from manila_lite.db import api as db_api
from tests.unit.test_embedded import wait_for

V = '2.98'
FLAGS = {'writable': False, 'preserve_metadata': False,
         'nondisruptive': False, 'preserve_snapshots': False}


@pytest.fixture
def share(stack):
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': 'az1'}},
        version=V)
    return wait_for(stack, '/v2/shares/' + resp.json_body_or_none[
        'share']['id'], 'share', 'status', 'available')


def act(stack, share_id, body, version=V):
    return stack('POST', '/v2/shares/%s/action' % share_id, body,
                 version=version)


def start(stack, share_id, **extra):
    body = dict(FLAGS, host='%s@local2#pool1' % stack.conf.host)
    body.update(extra)
    return act(stack, share_id, {'migration_start': body})


def fault(resp, name, code):
    assert resp.status_int == code, resp.body
    assert resp.json_body_or_none[name]['code'] == code
    assert resp.json_body_or_none[name]['message']


@pytest.mark.parametrize('missing', sorted(FLAGS) + ['host'])
def test_missing_required_key(stack, share, missing):
    body = dict(FLAGS, host='x')
    del body[missing]
    fault(act(stack, share['id'], {'migration_start': body}),
          'badRequest', 400)


def test_flag_not_boolean(stack, share):
    fault(start(stack, share['id'], writable='sometimes'), 'badRequest',
          400)


def test_share_not_found(stack):
    fault(start(stack, str(uuid.uuid4())), 'itemNotFound', 404)


def test_share_network_given(stack, share):
    fault(start(stack, share['id'], new_share_network_id=str(uuid.uuid4())),
          'badRequest', 400)


def test_unknown_new_share_type(stack, share):
    fault(start(stack, share['id'], new_share_type_id=str(uuid.uuid4())),
          'badRequest', 400)


def test_force_with_flags(stack, share):
    fault(start(stack, share['id'], force_host_assisted_migration=True,
                preserve_metadata=True), 'badRequest', 400)


def test_share_not_available(stack, share):
    act(stack, share['id'], {'reset_status': {'status': 'error'}})
    fault(start(stack, share['id']), 'badRequest', 400)


def test_share_busy(stack, share):
    act(stack, share['id'], {'reset_task_state': {
        'task_state': 'data_copying_in_progress'}})
    fault(start(stack, share['id']), 'badRequest', 400)


def test_forced_with_snapshots(stack, share):
    resp = stack('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share['id']}}, version=V)
    wait_for(stack, '/v2/snapshots/' + resp.json_body_or_none[
        'snapshot']['id'], 'snapshot', 'status', 'available')
    fault(start(stack, share['id'], force_host_assisted_migration=True),
          'conflictingRequest', 409)


def test_unknown_destination(stack, share):
    fault(start(stack, share['id'], host='ghost@nowhere#p'),
          'itemNotFound', 404)


def test_destination_down(stack, share, monkeypatch):
    # Heartbeats paused: a live service's next heartbeat marks it up
    # again, which once made this start race the test (202).
    monkeypatch.setattr(db_api, 'service_heartbeat',
                        lambda *args, **kwargs: None)
    ctx = context.get_admin_context()
    svc = db_api.service_get_by_host_and_binary(
        ctx, '%s@local2' % stack.conf.host, 'manila-share')
    db_api.service_update(ctx, svc.id, {'stopped': True})
    try:
        fault(start(stack, share['id']), 'badRequest', 400)
    finally:
        db_api.service_update(ctx, svc.id, {'stopped': False})


def test_complete_without_migration(stack, share):
    fault(act(stack, share['id'], {'migration_complete': None}),
          'badRequest', 400)


def test_cancel_without_migration(stack, share):
    fault(act(stack, share['id'], {'migration_cancel': None}),
          'badRequest', 400)


def test_progress_without_migration(stack, share):
    fault(stack('GET', '/v2/shares/%s/migration-progress' % share['id'],
                version=V), 'badRequest', 400)


def test_progress_get_below_2_98(stack, share):
    resp = stack('GET', '/v2/shares/%s/migration-progress' % share['id'],
                 version='2.97')
    assert resp.status_int == 404


def test_reset_task_state_bad_value(stack, share):
    fault(act(stack, share['id'], {'reset_task_state': {
        'task_state': 'migration_driver_starting'}}), 'badRequest', 400)


def test_non_admin_forbidden(stack, share):
    resp = stack.member('POST', '/v2/shares/%s/action' % share['id'],
                        {'migration_start': dict(FLAGS, host='x')},
                        version=V, token='admin:admin')
    fault(resp, 'forbidden', 403)


def test_unknown_action(stack, share):
    fault(act(stack, share['id'], {'migrate_faster': None}), 'badRequest',
          400)
