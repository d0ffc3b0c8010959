"""Flows of one share never run on two share services at once: they
take the share's tooz lock on the deployment's Redis. While this test
process holds it, the share service of the replica (another process)
does not sync the replica; once released, it does."""

import os
import time

from manila_lite.common import coordination
from tests import files
from tests.functional.test_migration import _share


def _admin_dir(d, replica_id):
    status, body = d.request(
        'GET', '/v2/share-replicas/%s/export-locations' % replica_id)
    assert status == 200, body
    return next(el['path'] for el in body['export_locations']
                if el['is_admin_only'])


def test_a_share_lock_held_elsewhere_holds_its_replica_sync(d):
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'locked', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': 'readable'}}})
    assert status == 200, body
    share, path = _share(d, count=3, share_type=body['share_type']['id'])
    status, body = d.request('POST', '/v2/share-replicas', {
        'share_replica': {'share_id': share['id'],
                          'availability_zone': 'az2'}})
    assert status == 202, body
    replica_id = body['share_replica']['id']
    d.wait_for('/v2/share-replicas/' + replica_id, 'share_replica',
               'replica_state', 'in_sync', timeout=120)
    replica_dir = _admin_dir(d, replica_id)

    conf = d.client_conf()
    try:
        with coordination.lock(conf, 'share-' + share['id']):
            with open(os.path.join(path, 'new-while-locked'), 'wb') as f:
                f.write(b'x' * 4096)
            status, body = d.request(
                'POST', '/v2/share-replicas/%s/action' % replica_id,
                {'resync': None})
            assert status == 202, body
            # Periodic syncs run every second here: several would have.
            time.sleep(5)
            assert not os.path.exists(
                os.path.join(replica_dir, 'new-while-locked'))
        deadline = time.monotonic() + 60
        while files.contents(replica_dir) != files.contents(path):
            assert time.monotonic() < deadline, d.dump_logs()
            time.sleep(0.5)
    finally:
        coordination.stop()
