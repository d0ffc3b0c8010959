"""The API tests' client: calls the real WSGI app (build_app) through
webob without a socket (the ``client`` fixture, over a real SQLite
database and the in-process RPC transport, is in tests/unit/conftest.py)."""

from oslo_serialization import jsonutils
import pytest
import webob

from manila_lite.common import states

ADMIN = 'admin:admin'
MEMBER = 'alice:proj-a'
OTHER = 'bob:proj-b'


class Client:
    def __init__(self, app):
        self.app = app

    def __call__(self, method, path, body=None, *, version=None,
                 token=ADMIN, roles=None, headers=None, raw=None,
                 content_type='application/json'):
        hdrs = {}
        if token is not None:
            hdrs['X-Auth-Token'] = token
        if version is not None:
            hdrs['X-OpenStack-Manila-API-Version'] = version
        if roles is not None:
            hdrs['X-Roles'] = roles
        hdrs.update(headers or {})
        req = webob.Request.blank(path, method=method, headers=hdrs)
        if raw is not None or body is not None:
            req.body = raw if raw is not None else jsonutils.dump_as_bytes(
                body)
            req.content_type = content_type
        resp = req.get_response(self.app)
        resp.json_body_or_none = (
            jsonutils.loads(resp.body)
            if resp.body and resp.content_type == 'application/json'
            else None)
        return resp

    def member(self, method, path, body=None, **kwargs):
        kwargs.setdefault('token', MEMBER)
        kwargs.setdefault('roles', 'member,reader')
        return self(method, path, body, **kwargs)


def fault(resp):
    """``(name, code, message)`` of a fault reply."""
    body = resp.json_body_or_none
    assert body and len(body) == 1, resp.body
    name, inner = next(iter(body.items()))
    return name, inner['code'], inner['message']


@pytest.fixture
def zoned_backends(db, admin_ctx):
    """Share services ``n1@b1`` in az1 and ``n2@b2`` in az2, up, with
    one pool each (the zones a share group may be asked for)."""
    for host, zone in (('n1@b1', 'az1'), ('n2@b2', 'az2')):
        svc = db.service_create_or_update(
            admin_ctx, host=host, binary=states.BINARY_SHARE,
            topic='manila-share', availability_zone=zone)
        db.service_heartbeat(admin_ctx, svc.id, {
            'driver_handles_share_servers': False,
            'pools': [{'pool_name': 'p', 'free_capacity_gb': 50.0,
                       'total_capacity_gb': 100.0,
                       'reserved_percentage': 0}]})
    return {'az1': 'n1@b1', 'az2': 'n2@b2'}
