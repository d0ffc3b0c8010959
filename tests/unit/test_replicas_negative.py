"""Upstream's share replica refusals (contract reference §3.3), each with
its status code and fault body, against the all-in-one stack."""

import uuid

import pytest

from manila_lite.common import context
from manila_lite.db import api as db_api
from tests.unit import rows
from tests.unit.api.conftest import MEMBER
from tests.unit.api.conftest import OTHER
from tests.unit.test_embedded import wait_for

V = '2.98'
ROLES = 'member,reader'


def check(resp, code, name, text=None):
    assert resp.status_int == code, resp.body
    if name is None:
        return
    body = resp.json_body_or_none
    assert list(body) == [name], body
    assert body[name]['code'] == code
    if text is not None:
        assert text in body[name]['message'], body


@pytest.fixture
def env(stack):
    """A readable share of project proj-a in az1 with an in_sync replica
    in az2, and a share of a type without replication."""
    stack.conf.set_override('replica_state_update_interval', 1)
    for name, specs in (('rep', {'replication_type': 'readable',
                                 'availability_zones': 'az1,az2'}),
                        ('plain', {})):
        specs['driver_handles_share_servers'] = False
        resp = stack('POST', '/v2/types', {'share_type': {
            'name': name, 'extra_specs': specs}}, version=V)
        assert resp.status_int == 200, resp.body
    ids = {}
    for name in ('rep', 'plain'):
        resp = stack('POST', '/v2/shares', {'share': {
            'share_proto': 'NFS', 'size': 1, 'share_type': name,
            'availability_zone': 'az1'}}, version=V, token=MEMBER,
            roles=ROLES)
        assert resp.status_int == 200, resp.body
        ids[name] = resp.json_body_or_none['share']['id']
        wait_for(stack, '/v2/shares/' + ids[name], 'share', 'status',
                 'available')
    resp = stack('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': ids['rep'], 'availability_zone': 'az2'}}, version=V,
        token=MEMBER, roles=ROLES)
    assert resp.status_int == 202, resp.body
    ids['replica'] = resp.json_body_or_none['share_replica']['id']
    wait_for(stack, '/v2/share-replicas/' + ids['replica'],
             'share_replica', 'replica_state', 'in_sync')
    replicas = stack('GET', '/v2/share-replicas?share_id=' + ids['rep'],
                     version=V).json_body_or_none['share_replicas']
    ids['active'] = [r['id'] for r in replicas
                     if r['replica_state'] == 'active'][0]
    stack.ids = ids
    stack.ctx = context.get_admin_context()
    return stack


def create(env, item, version=V, **kw):
    kw.setdefault('token', MEMBER)
    kw.setdefault('roles', ROLES)
    return env('POST', '/v2/share-replicas', {'share_replica': item},
               version=version, **kw)


def act(env, replica_id, body, version=V, **kw):
    return env('POST', '/v2/share-replicas/%s/action' % replica_id, body,
               version=version, **kw)


def test_create_refusals(env):
    ids = env.ids
    resp = env('POST', '/v2/share-replicas', {'share': {}}, version=V)
    check(resp, 422, 'computeFault')
    check(create(env, {}), 400, 'badRequest', 'share_id')
    check(create(env, {'share_id': str(uuid.uuid4())}), 404,
          'itemNotFound')
    check(create(env, {'share_id': ids['rep']}, token=OTHER), 404,
          'itemNotFound')
    check(create(env, {'share_id': ids['plain']}), 400, 'badRequest',
          'replication_type')
    check(create(env, {'share_id': ids['rep'],
                       'share_network_id': str(uuid.uuid4())},
                 version='2.71'), 400, 'badRequest')
    check(create(env, {'share_id': ids['rep'],
                       'share_network_id': str(uuid.uuid4())}),
          400, 'badRequest', 'share network')
    check(create(env, {'share_id': ids['rep'],
                       'scheduler_hints': {'same_host': 'x'}}),
          400, 'badRequest')
    check(create(env, {'share_id': ids['rep'], 'availability_zone': 'az9'}),
          400, 'badRequest', 'az9')
    # The zone already holds a replica of this share.
    check(create(env, {'share_id': ids['rep'], 'availability_zone': 'az2'}),
          400, 'badRequest', 'already has a replica')


def test_create_refused_by_share_state(env):
    ids, ctx = env.ids, env.ctx
    rows.share_update(ctx, ids['rep'],
                        {'task_state': 'migration_in_progress'})
    check(create(env, {'share_id': ids['rep']}), 400, 'badRequest', 'busy')
    rows.share_update(ctx, ids['rep'], {'task_state': None})
    rows.share_instance_update(ctx, ids['active'], {'status': 'error'})
    check(create(env, {'share_id': ids['rep']}), 400, 'badRequest',
          'active and available')
    rows.share_instance_update(ctx, ids['active'],
                                 {'status': 'available'})
    db_api.share_update(ctx, ids['rep'], {'is_soft_deleted': True})
    check(create(env, {'share_id': ids['rep']}), 403, 'forbidden')
    db_api.share_update(ctx, ids['rep'], {'is_soft_deleted': False})
    # The type's availability_zones leave out az3 (known or not).
    db_api.share_type_extra_specs_set(
        ctx, db_api.share_get(ctx, ids['rep']).share_type_id,
        {'availability_zones': 'az1'})
    check(create(env, {'share_id': ids['rep'], 'availability_zone': 'az2'}),
          400, 'badRequest', 'availability_zones')


def test_unknown_and_hidden_replicas_are_404(env):
    missing = str(uuid.uuid4())
    replica = env.ids['replica']
    for method, path, body in (
            ('GET', '/v2/share-replicas/%s', None),
            ('DELETE', '/v2/share-replicas/%s', None),
            ('POST', '/v2/share-replicas/%s/action', {'promote': None}),
            ('GET', '/v2/share-replicas/%s/export-locations', None)):
        check(env(method, path % missing, body, version=V), 404,
              'itemNotFound')
        check(env(method, path % replica, body, version=V, token=OTHER,
                  roles=ROLES), 404, 'itemNotFound')
    check(env('POST', '/v2/share-replicas/%s/action' % missing,
              {'resync': None}, version=V), 404, 'itemNotFound')
    check(env('GET', '/v2/share-replicas?share_id=' + missing, version=V),
          404, 'itemNotFound')
    # Another project's list is empty, not an error.
    resp = env('GET', '/v2/share-replicas', version=V, token=OTHER,
               roles=ROLES)
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'share_replicas': []}


def test_delete_and_promote_rules(env):
    ids, ctx = env.ids, env.ctx
    check(env('DELETE', '/v2/share-replicas/' + ids['active'], version=V,
              token=MEMBER, roles=ROLES), 400, 'badRequest',
          'last active replica')
    check(act(env, ids['active'], {'force_delete': None}), 400,
          'badRequest', 'last active replica')
    # Promoting the active replica is a 200 no-op.
    resp = act(env, ids['active'], {'promote': None}, token=MEMBER,
               roles=ROLES)
    assert resp.status_int == 200 and not resp.body
    # A member may not promote a replica that is out of sync; an admin
    # may (but not one that is not available).
    rows.share_instance_update(ctx, ids['replica'],
                                 {'replica_state': 'out_of_sync'})
    check(act(env, ids['replica'], {'promote': None}, token=MEMBER,
              roles=ROLES), 403, 'forbidden')
    rows.share_instance_update(ctx, ids['replica'], {'status': 'error'})
    check(act(env, ids['replica'], {'promote': None}), 400, 'badRequest',
          'must be available')
    rows.share_instance_update(ctx, ids['replica'],
                                 {'status': 'available'})
    check(act(env, ids['replica'], {'promote': {'quiesce_wait_time': 0}},
              version='2.75'), 400, 'badRequest')
    check(act(env, ids['replica'], {'promote': {'quiesce_wait_time': 5}},
              version='2.74'), 400, 'badRequest')
    check(act(env, ids['replica'], {'no_such_action': None}), 400,
          'badRequest', 'no such action')


def test_admin_actions(env):
    ids, ctx = env.ids, env.ctx
    for body in ({'resync': None}, {'reset_status': {'status': 'error'}},
                 {'reset_replica_state': {'replica_state': 'error'}},
                 {'force_delete': None}):
        check(act(env, ids['replica'], body, token=MEMBER, roles=ROLES),
              403, 'forbidden')
    resp = act(env, ids['active'], {'resync': None})
    assert resp.status_int == 200
    check(act(env, ids['replica'], {'reset_status': {'status': 'bogus'}}),
          400, 'badRequest')
    check(act(env, ids['replica'],
              {'reset_replica_state': {'replica_state': 'bogus'}}),
          400, 'badRequest')
    check(act(env, ids['active'],
              {'reset_replica_state': {'replica_state': 'error'}}),
          400, 'badRequest', 'active replica')
    assert act(env, ids['replica'], {'os-reset_replica_state': {
        'replica_state': 'error'}}).status_int == 202
    assert db_api.replica_get(ctx, ids['replica']).replica_state == 'error'
    assert act(env, ids['replica'], {'reset_status': {
        'status': 'error'}}).status_int == 202
    assert db_api.replica_get(ctx, ids['replica']).status == 'error'
    # A replica not yet placed cannot be resynced.
    db_api.share_instance_update(ctx, ids['replica'], {'host': ''})
    check(act(env, ids['replica'], {'resync': None}), 400, 'badRequest',
          'no host')


def test_versions_and_the_share_side(env):
    ids = env.ids
    # Before 2.56 the experimental header is required; never before 2.11.
    assert env('GET', '/v2/share-replicas', version='2.55').status_int == \
        404
    resp = env('GET', '/v2/share-replicas', version='2.55',
               headers={'X-OpenStack-Manila-API-Experimental': 'True'})
    assert resp.status_int == 200
    assert env('GET', '/v2/share-replicas', version='2.10',
               headers={'X-OpenStack-Manila-API-Experimental': 'True'}
               ).status_int == 404
    assert env('GET', '/v2/share-replicas', version='2.56').status_int == \
        200
    # A share with replicas cannot be deleted or migrated (409).
    check(env('DELETE', '/v2/shares/' + ids['rep'], version=V,
              token=MEMBER, roles=ROLES), 409, 'conflictingRequest')
    resp = env('POST', '/v2/shares/%s/action' % ids['rep'], {
        'migration_start': {
            'host': '%s@local2#pool1' % env.conf.host, 'writable': False,
            'preserve_metadata': False, 'nondisruptive': False,
            'preserve_snapshots': False}}, version=V)
    check(resp, 409, 'conflictingRequest')


def test_no_second_replica_on_a_backend(env):
    # Admin only_host (2.67+) on the active replica's backend: scheduling
    # fails and the replica ends in error, as upstream records it.
    active = env('GET', '/v2/share-replicas/' + env.ids['active'],
                 version=V).json_body_or_none['share_replica']
    other_pool = active['host'].rpartition('#')[0] + '#pool2'
    resp = env('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': env.ids['rep'],
        'scheduler_hints': {'only_host': other_pool}}}, version=V)
    assert resp.status_int == 202, resp.body
    replica_id = resp.json_body_or_none['share_replica']['id']
    replica = wait_for(env, '/v2/share-replicas/' + replica_id,
                       'share_replica', 'status', 'error')
    assert replica['replica_state'] == 'error'
    assert replica['host'] == ''
