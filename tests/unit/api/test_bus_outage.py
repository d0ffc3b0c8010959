"""With the message bus unreachable a request that must cast answers
503 ``serviceUnavailable`` within the bounded retries of
``rpc_cast_timeout``, instead of waiting for the bus to come back; what
it wrote before the cast is settled (an unsent create is an ``error``
share its owner can delete; a delete is left ``deleting`` for the share
service's re-drive, ``tests/unit/share/test_recovery.py``)."""

import socket
import time

from manila_lite.api import app as app_mod
from manila_lite.common import rpc
from manila_lite.common import states
from tests.unit.api.conftest import Client
from tests.unit.api.conftest import fault

MESSAGE = 'The message bus is unavailable at the moment; try again later.'


def _closed_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _client(conf):
    # A real AMQP transport to a port nobody listens on.
    conf.set_override('transport_url', 'rabbit://guest:guest@127.0.0.1:%d/'
                      % _closed_port())
    conf.set_override('rpc_cast_timeout', 0.5)
    rpc.cleanup()
    return Client(app_mod.build_app(conf))


def test_create_and_delete_answer_503_when_the_bus_is_down(
        conf, db, admin_ctx):
    c = _client(conf)
    resp = c('POST', '/v2/types', {'share_type': {
        'name': 'default',
        'extra_specs': {'driver_handles_share_servers': 'false'}}})
    assert resp.status_int == 200, resp.body

    started = time.monotonic()
    resp = c('POST', '/v2/shares', {'share': {'share_proto': 'NFS',
                                              'size': 1}})
    assert resp.status_int == 503, resp.body
    assert fault(resp) == ('serviceUnavailable', 503, MESSAGE)
    # Bounded: no wait for the bus (rpc_cast_timeout=0.5 here).
    assert time.monotonic() - started < 30
    share, = db.share_get_all(admin_ctx, filters={})
    assert share.status == states.STATUS_ERROR

    # Its owner can delete the never-scheduled share without the bus.
    resp = c('DELETE', '/v2/shares/' + share.id)
    assert resp.status_int == 202, resp.body

    # A scheduled one needs its share service: 503, left for re-drive.
    stype = db.share_type_get_by_name(admin_ctx, 'default')
    placed = db.share_create(
        admin_ctx, dict(project_id='admin', size=1, share_proto='NFS',
                        share_type_id=stype.id),
        dict(status=states.STATUS_AVAILABLE, host='node1@b1#pool1',
             share_type_id=stype.id))
    resp = c('DELETE', '/v2/shares/' + placed.id)
    assert resp.status_int == 503, resp.body
    assert fault(resp) == ('serviceUnavailable', 503, MESSAGE)
    assert db.share_get(admin_ctx, placed.id).status == (
        states.STATUS_DELETING)
