"""A promote changes the active replica in one transaction: a reader
at any moment of it sees exactly one active replica. Before, the new
replica became active in one transaction and the old one was demoted
in later ones, and ``test_replica_lifecycle[dr]`` caught two active
replicas in 2 runs of 7."""

import threading

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests.unit.test_embedded import wait_for

V = '2.98'


def test_a_reader_during_promote_sees_one_active_replica(
        stack, monkeypatch):
    stack.conf.set_override('replica_state_update_interval', 1)
    resp = stack('POST', '/v2/types', {'share_type': {
        'name': 'rep', 'extra_specs': {
            'driver_handles_share_servers': False,
            'replication_type': 'readable'}}}, version=V)
    assert resp.status_int == 200, resp.body
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': 'rep',
        'availability_zone': 'az1'}}, version=V)
    share_id = resp.json_body_or_none['share']['id']
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    resp = stack('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version=V)
    assert resp.status_int == 202, resp.body
    replica_id = resp.json_body_or_none['share_replica']['id']
    wait_for(stack, '/v2/share-replicas/' + replica_id, 'share_replica',
             'replica_state', 'in_sync')

    # Every time the promote writes export locations (between its
    # state changes), another thread counts the active replicas.
    seen = []
    real = db_api.export_locations_replace

    def count_actives():
        replicas = db_api.replica_get_all(context.get_admin_context(),
                                          share_id=share_id)
        seen.append(sum(r.replica_state == states.REPLICA_STATE_ACTIVE
                        for r in replicas))

    def replace_and_look(*args, **kwargs):
        result = real(*args, **kwargs)
        reader = threading.Thread(target=count_actives)
        reader.start()
        reader.join(30)
        return result

    monkeypatch.setattr(db_api, 'export_locations_replace',
                        replace_and_look)
    resp = stack('POST', '/v2/share-replicas/%s/action' % replica_id,
                 {'promote': None}, version=V)
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/share-replicas/' + replica_id, 'share_replica',
             'replica_state', 'active')
    wait_for(stack, '/v2/share-replicas/' + replica_id, 'share_replica',
             'status', 'available')
    monkeypatch.setattr(db_api, 'export_locations_replace', real)
    assert seen and set(seen) == {1}, seen
