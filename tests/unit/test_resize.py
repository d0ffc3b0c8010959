"""Share resize through the API of the all-in-one stack (two local
backends, real directories): the size reached, the files intact, the
quota in the driver's sidecar, and every refusal with its status code
and upstream's message."""

import json
import os
import uuid

import oslo_messaging
import pytest

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from manila_lite.share import rpcapi as share_rpcapi
from tests.files import contents
from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for
from tests.unit.test_replicas import make_type
from tests.unit.test_replicas import wait_replica

V = '2.98'
GIB = 1024 ** 3
#: Seconds to wait for a state: generous, the machine is shared.
TIMEOUT = 60


def make_share(client, size=1, type_id=None, member=False):
    body = {'share_proto': 'NFS', 'size': size, 'availability_zone': 'az1'}
    if type_id:
        body['share_type'] = type_id
    call = client.member if member else client
    resp = call('POST', '/v2/shares', {'share': body}, version=V)
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    wait_for(client, '/v2/shares/' + share_id, 'share', 'status',
             'available', timeout=TIMEOUT)
    return share_id


def act(client, share_id, body, version=V, member=False):
    call = client.member if member else client
    return call('POST', '/v2/shares/%s/action' % share_id, body,
                version=version)


def fault(resp, code, *fragments):
    assert resp.status_int == code, resp.body
    (name, inner), = resp.json_body_or_none.items()
    assert inner['code'] == code
    for fragment in fragments:
        assert fragment in inner['message'], inner['message']
    return inner['message']


def sidecar_size(path):
    with open(path + '.json') as f:
        return json.load(f)['size']


def wait_size(client, share_id, size):
    share = wait_for(client, '/v2/shares/' + share_id, 'share', 'size',
                     size, timeout=TIMEOUT)
    assert share['status'] == states.STATUS_AVAILABLE
    return share


def resized(client, share_id, action, size):
    """Resize and wait for the share to reach ``size``, available."""
    resp = act(client, share_id, {action: {'new_size': size}})
    assert resp.status_int == 202, resp.body
    return wait_size(client, share_id, size)


@pytest.fixture
def share(stack):
    return make_share(stack)


def test_extend_then_shrink_back_keeps_the_files(stack, share):
    path = local_path(stack, share)
    os.makedirs(os.path.join(path, 'dir'))
    with open(os.path.join(path, 'dir', 'data.bin'), 'wb') as f:
        f.write(os.urandom(4096))
    before = contents(path)

    resp = act(stack, share, {'extend': {'new_size': 2}})
    assert resp.status_int == 202, resp.body
    assert resp.body == b''
    wait_size(stack, share, 2)
    assert sidecar_size(path) == 2

    resp = act(stack, share, {'shrink': {'new_size': '1'}})
    assert resp.status_int == 202, resp.body
    wait_size(stack, share, 1)
    assert sidecar_size(path) == 1
    assert contents(path) == before


@pytest.mark.parametrize('version,name', [('2.6', 'os-extend'),
                                          ('2.7', 'extend')])
def test_extend_names_by_version(stack, share, version, name):
    assert act(stack, share, {name: {'new_size': 2}},
               version=version).status_int == 202
    wait_size(stack, share, 2)
    other = 'extend' if name == 'os-extend' else 'os-extend'
    # The other spelling is a bare 404 at this version, as upstream.
    assert act(stack, share, {other: {'new_size': 3}},
               version=version).status_int == 404


@pytest.mark.parametrize('version,name', [('2.6', 'os-shrink'),
                                          ('2.7', 'shrink')])
def test_shrink_names_by_version(stack, version, name):
    share_id = make_share(stack, size=2)
    assert act(stack, share_id, {name: {'new_size': 1}},
               version=version).status_int == 202
    wait_size(stack, share_id, 1)


def test_admin_force_extend(stack, share):
    resp = act(stack, share, {'extend': {'new_size': 2, 'force': 'true'}},
               version='2.64')
    assert resp.status_int == 202, resp.body
    wait_size(stack, share, 2)


def test_member_may_extend_but_not_force(stack):
    share_id = make_share(stack, member=True)
    fault(act(stack, share_id, {'extend': {'new_size': 2, 'force': True}},
              version='2.64', member=True), 403, 'share:force_extend')
    assert act(stack, share_id, {'extend': {'new_size': 2, 'force': False}},
               version='2.64', member=True).status_int == 202
    wait_size(stack, share_id, 2)
    # Below 2.64 upstream drops ``force`` unread: no admin check.
    assert act(stack, share_id, {'extend': {'new_size': 3, 'force': True}},
               version='2.63', member=True).status_int == 202
    wait_size(stack, share_id, 3)


def test_another_projects_share_is_hidden(stack, share):
    fault(act(stack, share, {'extend': {'new_size': 2}}, member=True),
          404, share)
    fault(act(stack, str(uuid.uuid4()), {'shrink': {'new_size': 1}}), 404,
          'could not be found')


# --- refusals ----------------------------------------------------------------
@pytest.mark.parametrize('new_size', [1, 0, -1])
def test_extend_needs_a_greater_size(stack, share, new_size):
    fault(act(stack, share, {'extend': {'new_size': new_size}}), 400,
          'New size for extend must be greater than current size. '
          '(current: 1, extended: %d).' % new_size)


@pytest.mark.parametrize('new_size', [2, 3, 0, -1])
def test_shrink_needs_a_smaller_positive_size(stack, new_size):
    share_id = make_share(stack, size=2)
    fault(act(stack, share_id, {'shrink': {'new_size': new_size}}), 400,
          'New size for shrink must be less than current size and greater '
          'than 0 (current: 2, new: %d)' % new_size)


@pytest.mark.parametrize('body', [
    {'extend': {}}, {'extend': {'new_size': 'two'}},
    {'extend': {'new_size': 2.5}}, {'extend': {'new_size': None}},
    {'extend': None}, {'extend': {'new_size': 2}, 'shrink': {}},
    {'shrink': {'new_size': '1x'}},
])
def test_malformed_bodies(stack, share, body):
    fault(act(stack, share, body), 400)


def test_force_must_be_a_boolean(stack, share):
    fault(act(stack, share, {'extend': {'new_size': 2, 'force': 'maybe'}},
              version='2.64'), 400, 'force')


@pytest.mark.parametrize('action,size', [('extend', 2), ('shrink', 1)])
def test_refused_unless_available(stack, action, size):
    share_id = make_share(stack, size=2 if action == 'shrink' else 1)
    act(stack, share_id, {'reset_status': {'status': 'error'}})
    if action == 'extend':
        wanted = ("Invalid share: Share %s status must be 'available' to "
                  "extend, but current status is: error." % share_id)
    else:
        wanted = ("Invalid share: Share %s status must in (available, "
                  "shrinking_possible_data_loss_error) to shrink, but "
                  "current status is: error." % share_id)
    fault(act(stack, share_id, {action: {'new_size': size}}), 400, wanted)


@pytest.mark.parametrize('action,size', [('extend', 3), ('shrink', 1)])
def test_refused_during_migration(stack, action, size):
    # tempest's test_share_resize_during_share_migration, both steps.
    share_id = make_share(stack, size=2)
    act(stack, share_id, {'reset_status': {'status': 'migrating'}})
    act(stack, share_id, {'reset_task_state': {
        'task_state': states.TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE}})
    fault(act(stack, share_id, {action: {'new_size': size}}), 400,
          "but current status is: migrating.")
    # Status reset but the task still running: upstream's busy refusal.
    act(stack, share_id, {'reset_status': {'status': 'available'}})
    fault(act(stack, share_id, {action: {'new_size': size}}), 400,
          'Share is busy with an active task: Share %s is busy as part of '
          'an active task: migration_driver_phase1_done.' % share_id)


def bounded_type(client, name, **limits):
    """A share type with ``provisioning:<key>`` limits; its id."""
    specs = {'driver_handles_share_servers': False}
    specs.update(('provisioning:' + k, str(v)) for k, v in limits.items())
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': specs}}, version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def test_limits_of_the_share_type(stack):
    share_id = make_share(stack, size=2, type_id=bounded_type(
        stack, 'bounded', max_share_size=3, min_share_size=2,
        max_share_extend_size=4))
    fault(act(stack, share_id, {'extend': {'new_size': 4}}), 400,
          "Specified share size of '4' is greater than the maximum "
          "allowable size of '3' for share type 'bounded'.")
    fault(act(stack, share_id, {'shrink': {'new_size': 1}}), 400,
          "Specified share size of '1' is less than the minimum required "
          "size of '2' for share type 'bounded'.")
    resized(stack, share_id, 'extend', 3)


def test_member_bounded_by_max_extend_size(stack):
    share_id = make_share(stack, member=True, type_id=bounded_type(
        stack, 'extend-bounded', max_share_extend_size=2))
    fault(act(stack, share_id, {'extend': {'new_size': 3}}, member=True),
          400, "Specified share size of '3' is greater than the maximum "
               "allowable extend size of '2' for share type "
               "'extend-bounded'.")
    # An admin goes beyond it.
    resized(stack, share_id, 'extend', 3)


def test_shrink_below_the_data_is_refused_and_retried(stack):
    share_id = make_share(stack, size=2)
    path = local_path(stack, share_id)
    # Sparse: 1 GiB + 1 byte of file size costs no disk.
    with open(os.path.join(path, 'big'), 'wb') as f:
        f.truncate(GIB + 1)
    before = contents(path)
    assert act(stack, share_id, {'shrink': {'new_size': 1}}).status_int \
        == 202
    share = wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
                     states.STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR,
                     timeout=TIMEOUT)
    assert share['size'] == 2
    assert sidecar_size(path) == 2
    assert contents(path) == before
    # Extend needs available; another shrink may be tried from here.
    fault(act(stack, share_id, {'extend': {'new_size': 3}}), 400,
          'current status is: shrinking_possible_data_loss_error.')
    os.unlink(os.path.join(path, 'big'))
    resized(stack, share_id, 'shrink', 1)


def test_second_resize_while_the_first_runs_is_refused(stack):
    share_id = make_share(stack)
    ctx = context.get_admin_context()
    instance = db_api.share_get(ctx, share_id).instance
    # As if a first extend were still running on the share service.
    db_api.share_instance_transition(ctx, instance.id,
                                     states.STATUS_EXTENDING)
    fault(act(stack, share_id, {'extend': {'new_size': 2}}), 400,
          'but current status is: extending.')
    fault(act(stack, share_id, {'shrink': {'new_size': 1}}), 400,
          'but current status is: extending.')


# --- replicas ----------------------------------------------------------------
@pytest.fixture
def replicated(stack):
    stack.conf.set_override('replica_state_update_interval', 1)
    type_id = make_type(stack, 'rdr', 'readable')
    share_id = make_share(stack, size=2, type_id=type_id)
    resp = stack('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version=V)
    assert resp.status_int == 202, resp.body
    replica_id = resp.json_body_or_none['share_replica']['id']
    wait_replica(stack, replica_id, 'status', 'available',
                 timeout=TIMEOUT)
    return share_id, replica_id


def _instance_paths(stack, share_id):
    ctx = context.get_admin_context()
    share = db_api.share_get(ctx, share_id)
    return {i.id: [el.path for el in i.export_locations
                   if el.is_admin_only][0] for i in share.instances}


def test_replicas_follow_extend_and_shrink(stack, replicated):
    share_id, replica_id = replicated
    paths = _instance_paths(stack, share_id)
    assert len(paths) == 2
    resized(stack, share_id, 'extend', 3)
    wait_replica(stack, replica_id, 'status', 'available',
                 timeout=TIMEOUT)
    assert {sidecar_size(p) for p in paths.values()} == {3}
    resized(stack, share_id, 'shrink', 1)
    wait_replica(stack, replica_id, 'status', 'available',
                 timeout=TIMEOUT)
    assert {sidecar_size(p) for p in paths.values()} == {1}


def test_resize_refused_while_a_replica_is_busy(stack, replicated):
    share_id, replica_id = replicated
    stack('POST', '/v2/share-replicas/%s/action' % replica_id,
          {'reset_status': {'status': 'error'}}, version=V)
    fault(act(stack, share_id, {'extend': {'new_size': 3}}), 400,
          "Share %s and all its replicas must be 'available' to extend, "
          "but replica %s status is: error." % (share_id, replica_id))
    ctx = context.get_admin_context()
    # All or none: the active instance was not left extending.
    assert {i.status for i in db_api.share_get(ctx, share_id).instances} \
        == {states.STATUS_AVAILABLE, states.STATUS_ERROR}


def test_a_dead_bus_leaves_the_share_as_it_was(stack, share,
                                               monkeypatch):
    def unreachable(*args, **kwargs):
        raise oslo_messaging.MessageDeliveryFailure('broker down')

    monkeypatch.setattr(share_rpcapi.ShareAPI, 'extend_share', unreachable)
    fault(act(stack, share, {'extend': {'new_size': 2}}), 503,
          'message bus is unavailable')
    body = stack('GET', '/v2/shares/' + share, version=V).json_body_or_none
    assert (body['share']['status'], body['share']['size']) == (
        states.STATUS_AVAILABLE, 1)
