"""Issue #17 finding 7 end to end: ``ensure-shares`` gave a ``dr``
replica export locations (it had none before)."""

import time

from tests.unit.test_replicas import V
from tests.unit.test_replicas import make_share
from tests.unit.test_replicas import make_type
from tests.unit.test_replicas import wait_replica


def _exports(client, replica_id):
    return client('GET', '/v2/share-replicas/%s/export-locations'
                  % replica_id, version=V).json_body_or_none[
                      'export_locations']


def test_ensure_shares_keeps_a_dr_replica_unexported(stack):
    share_id = make_share(stack, make_type(stack, 'dr-ensure', 'dr'))
    resp = stack('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version=V)
    assert resp.status_int == 202, resp.body
    replica = resp.json_body_or_none['share_replica']
    wait_replica(stack, replica['id'], 'replica_state', 'in_sync')
    assert _exports(stack, replica['id']) == []
    host = wait_replica(stack, replica['id'], 'status', 'available')['host']
    backend = host.partition('#')[0]
    resp = stack('POST', '/v2/services/ensure-shares', {'host': backend},
                 version=V)
    assert resp.status_int == 202, resp.body
    deadline = time.monotonic() + 20
    while True:
        services = stack('GET', '/v2/services?host=%s' % backend,
                         version=V).json_body_or_none['services']
        if services and not any(s['ensuring'] for s in services):
            break
        assert time.monotonic() < deadline, services
        time.sleep(0.05)
    assert _exports(stack, replica['id']) == []
    assert wait_replica(stack, replica['id'], 'status',
                        'available')['replica_state'] == 'in_sync'
