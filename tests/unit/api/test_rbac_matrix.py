"""The RBAC matrix (tests/rbac/matrix.yaml) walked over HTTP in process
(noauth tokens with X-Roles), and kept complete: every route and every
action the API serves has rows."""

import uuid

from manila_lite.api.controllers.v2 import ROUTES
from manila_lite.api.controllers.v2 import share_actions
from manila_lite.api.controllers.v2 import share_replicas
from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests.rbac import walker
from tests.unit.api.conftest import client  # noqa: F401

TOKENS = {
    'admin': ('admin:admin', None),
    'member': ('alice:proj-a', 'member,reader'),
    'reader': ('carol:proj-a', 'reader'),
    'other': ('bob:proj-b', 'member,reader'),
    'anonymous': (None, None),
}


def make_fixtures(conf):
    ctx = context.get_admin_context()
    db_api.service_create_or_update(
        ctx, host='node1@local1', binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az1')

    def fixtures():
        stype = db_api.share_type_create(
            ctx, {'name': 'rbac-%s' % uuid.uuid4().hex[:8],
                  'is_public': True},
            {'driver_handles_share_servers': 'False', 'foo': 'bar',
             'replication_type': 'readable'})
        share = db_api.share_create(
            ctx, dict(project_id='proj-a', user_id='alice', size=1,
                      share_proto='NFS', share_type_id=stype.id,
                      replication_type='readable'),
            dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1',
                 availability_zone='az1', share_type_id=stype.id,
                 replica_state=states.REPLICA_STATE_ACTIVE),
            {'k': 'v'})
        inst = share.instances[0]
        db_api.export_locations_replace(ctx, inst.id, [
            {'path': '10.0.0.1:/p/%s' % inst.id, 'preferred': True}])
        snapshot = db_api.snapshot_create(
            ctx, dict(share_id=share.id, project_id='proj-a', size=1),
            dict(share_instance_id=inst.id,
                 status=states.STATUS_AVAILABLE))
        rule = db_api.access_create(ctx, dict(
            share_id=share.id, access_type='ip', access_to='10.1.1.1',
            access_level='rw', state=states.ACCESS_STATE_ACTIVE))
        replica = db_api.replica_create(ctx, share.id, dict(
            status=states.STATUS_AVAILABLE, host='node1@local2#pool1',
            replica_state=states.REPLICA_STATE_IN_SYNC,
            availability_zone='az2', share_type_id=stype.id))
        db_api.export_locations_replace(ctx, replica.id, [
            {'path': '10.0.0.2:/p/%s' % replica.id, 'preferred': True}])
        return {
            'share_id': share.id, 'share_type_id': stype.id,
            'metadata_key': 'k', 'spec_key': 'foo',
            'snapshot_id': snapshot.id, 'access_id': rule.id,
            'replica_id': replica.id,
            'export_location_id': db_api.share_get(
                ctx, share.id).instances[0].export_locations[0].uuid,
            'replica_export_location_id': db_api.replica_get(
                ctx, replica.id).export_locations[0].uuid,
        }
    return fixtures


def test_matrix_holds_over_http(client, conf):  # noqa: F811
    def call(role, method, path, body, version):
        token, roles = TOKENS[role]
        resp = client(method, path, body, version=version, token=token,
                      roles=roles)
        return resp.status_int, resp.json_body_or_none

    failures = walker.walk(walker.load(), call, make_fixtures(conf))
    assert not failures, '\n'.join(map(str, failures))


def test_matrix_covers_every_route_and_action():
    matrix = walker.load()
    rows = {(r['method'], r['path'].split('?')[0]) for r in matrix}
    missing = []
    for route in ROUTES:
        path = '/v2' + route.template
        for method in route.methods:
            # Placeholders differ in name only; compare shapes.
            shape = tuple(p if not p.startswith('{') else '{}'
                          for p in path.split('/'))
            if not any(m == method and tuple(
                    p if not p.startswith('{') else '{}'
                    for p in rp.split('/')) == shape for m, rp in rows):
                missing.append((method, path))
    assert not missing, missing
    actions = {r.get('action') for r in matrix
               if r['path'].startswith('/v2/shares/')}
    assert set(share_actions.ACTIONS) <= actions, (
        set(share_actions.ACTIONS) - actions)
    replica_actions = {r.get('action') for r in matrix
                       if r['path'].startswith('/v2/share-replicas/')}
    assert set(share_replicas.ACTIONS) <= replica_actions
