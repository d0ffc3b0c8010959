"""The recycle bin (soft delete, 2.69) through the API of the all-in-one
stack: a soft-deleted share leaves the default list for the bin's,
keeps its files, refuses actions as upstream (403), comes back with
restore, and is deleted by its share service once its retention time is
over."""

import os

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests.unit import rows
from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for
from tests.unit.test_resize import act
from tests.unit.test_resize import fault
from tests.unit.test_resize import make_share
from tests.unit.test_revert import snapshot

V = '2.98'
TIMEOUT = 60


def ids(client, query='', member=False):
    call = client.member if member else client
    resp = call('GET', '/v2/shares' + query, version=V)
    assert resp.status_int == 200, resp.body
    return {s['id'] for s in resp.json_body_or_none['shares']}


def test_soft_delete_then_restore(stack):
    share_id = make_share(stack, member=True)
    path = local_path(stack, share_id)
    with open(os.path.join(path, 'kept.txt'), 'w') as f:
        f.write('still here')

    resp = act(stack, share_id, {'soft_delete': None}, member=True)
    assert resp.status_int == 202, resp.body
    share = stack.member('GET', '/v2/shares/' + share_id,
                         version=V).json_body_or_none['share']
    assert share['is_soft_deleted'] is True
    assert share['scheduled_to_be_deleted_at']
    assert share['status'] == 'available'
    assert share_id not in ids(stack, member=True)
    assert share_id in ids(stack, '?is_soft_deleted=true', member=True)
    # Below 2.69 the filter does not exist: the default list.
    resp = stack.member('GET', '/v2/shares?is_soft_deleted=true',
                        version='2.68')
    assert share_id not in {s['id'] for s in
                            resp.json_body_or_none['shares']}
    with open(os.path.join(path, 'kept.txt')) as f:
        assert f.read() == 'still here'

    fault(act(stack, share_id, {'soft_delete': None}, member=True), 403,
          'The share has been soft deleted already')
    fault(act(stack, share_id, {'extend': {'new_size': 2}}, member=True),
          403, "Cannot extend share '%s' since it has been soft deleted."
          % share_id)
    fault(act(stack, share_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.1'}}, member=True), 403,
        "Cannot allow access for share '%s' since it has been soft "
        "deleted." % share_id)
    fault(stack.member('PUT', '/v2/shares/' + share_id,
                       {'share': {'display_name': 'x'}}, version=V), 403,
          'cannot be updated, since it has been soft deleted.')
    fault(stack.member('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share_id}}, version=V), 403,
        'Snapshot cannot be created for share')

    resp = act(stack, share_id, {'restore': None}, member=True)
    assert resp.status_int == 202, resp.body
    share = stack.member('GET', '/v2/shares/' + share_id,
                         version=V).json_body_or_none['share']
    assert share['is_soft_deleted'] is False
    assert share['scheduled_to_be_deleted_at'] is None
    assert share_id in ids(stack, member=True)
    # Restoring a share that is not in the bin: 200, as upstream.
    assert act(stack, share_id, {'restore': None},
               member=True).status_int == 200


def test_soft_delete_refusals(stack):
    fault(act(stack, 'wrong_share_id', {'soft_delete': None}), 404)
    fault(act(stack, 'wrong_share_id', {'restore': None}), 404,
          'No share exists with ID wrong_share_id.')
    assert act(stack, 'x', {'soft_delete': None},
               version='2.68').status_int == 404

    share_id = make_share(stack)
    # Another project's share is hidden.
    fault(act(stack, share_id, {'soft_delete': None}, member=True), 404)

    act(stack, share_id, {'reset_status': {'status': 'error_deleting'}})
    fault(act(stack, share_id, {'soft_delete': None}), 403,
          "Share status must be one of ('available', 'error', "
          "'inactive')")
    act(stack, share_id, {'reset_status': {'status': 'available'}})

    snap_id = snapshot(stack, share_id)
    fault(act(stack, share_id, {'soft_delete': None}), 403,
          'Share still has 1 dependent snapshots.')
    stack('DELETE', '/v2/snapshots/' + snap_id, version=V)
    wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot', 'status', None,
             timeout=TIMEOUT)

    ctx = context.get_admin_context()
    rows.share_update(ctx, share_id, {
        'task_state': states.TASK_STATE_MIGRATION_IN_PROGRESS})
    fault(act(stack, share_id, {'soft_delete': None}), 403,
          'Share is busy with an active task: migration_in_progress.')
    rows.share_update(ctx, share_id, {'task_state': None})

    assert act(stack, share_id, {'soft_delete': None}).status_int == 202
    # A share of the bin whose purge began cannot come back.
    instance_id = db_api.share_get(ctx, share_id).instance.id
    rows.share_instance_update(ctx, instance_id,
                                 {'status': states.STATUS_ERROR_DELETING})
    fault(act(stack, share_id, {'restore': None}), 403,
          'is being deleted or has suffered an error during deletion, '
          'cannot be restored.')
    # Deleting a share of the bin for good needs no restore.
    rows.share_instance_update(ctx, instance_id,
                                 {'status': states.STATUS_AVAILABLE})
    assert stack('DELETE', '/v2/shares/' + share_id,
                 version=V).status_int == 202
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status', None,
             timeout=TIMEOUT)


def test_the_share_service_purges_expired_shares(stack):
    stack.conf.set_override('soft_deleted_share_retention_time', 0)
    stack.conf.set_override(
        'check_for_expired_shares_in_recycle_bin_interval', 1)
    kept = make_share(stack)
    gone = make_share(stack)
    path = local_path(stack, gone)
    # A share no pool could hold (and no quota refuses) has no host: it
    # is purged too.
    stack.conf.set_override('gigabytes', -1, group='quota')
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 10 ** 7}}, version=V)
    unplaced = resp.json_body_or_none['share']['id']
    wait_for(stack, '/v2/shares/' + unplaced, 'share', 'status', 'error',
             timeout=TIMEOUT)
    for share_id in (gone, unplaced):
        assert act(stack, share_id,
                   {'soft_delete': None}).status_int == 202
    for share_id in (gone, unplaced):
        wait_for(stack, '/v2/shares/' + share_id, 'share', 'status', None,
                 timeout=TIMEOUT)
    assert not os.path.exists(path)
    assert stack('GET', '/v2/shares/' + kept,
                 version=V).status_int == 200
