"""The RBAC matrix (tests/rbac/matrix.yaml) walked over HTTP in process
(noauth tokens with X-Roles), and kept complete: every route and every
action the API serves has rows."""

from manila_lite.api.controllers.v2 import ROUTES
from manila_lite.api.controllers.v2 import share_actions
from manila_lite.api.controllers.v2 import share_instances
from manila_lite.api.controllers.v2 import share_replicas
from manila_lite.api.controllers.v2 import snapshot_instances
from tests.rbac import fixtures
from tests.rbac import walker

TOKENS = {
    'admin': ('admin:admin', None),
    'member': ('alice:proj-a', 'member,reader'),
    'reader': ('carol:proj-a', 'reader'),
    'other': ('bob:proj-b', 'member,reader'),
    'anonymous': (None, None),
}


def test_matrix_holds_over_http(client, conf):
    def call(role, method, path, body, version, headers=None):
        token, roles = TOKENS[role]
        resp = client(method, path, body, version=version, token=token,
                      roles=roles, headers=headers)
        return resp.status_int, resp.json_body_or_none

    failures = walker.walk(walker.load(), call,
                           fixtures.factory('proj-a', 'alice', 'node1'))
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
    for prefix, table in (
            ('/v2/share_instances/', share_instances.ACTIONS),
            ('/v2/snapshot-instances/', snapshot_instances.INSTANCE_ACTIONS),
            ('/v2/snapshots/', snapshot_instances.SNAPSHOT_ACTIONS)):
        named = {r.get('action') for r in matrix
                 if r['path'].startswith(prefix)}
        assert set(table) <= named, (prefix, set(table) - named)
