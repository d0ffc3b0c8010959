"""Two replica creates of one share for the same zone, forced to read
the share's replicas at the same moment: only one may win. Before the
share's row was locked first, both saw an empty zone and both were
accepted (the race issue #18 measured as 10 of 50)."""

import threading

from manila_lite.common import context
from manila_lite.db import api as db_api
from tests.unit.test_embedded import wait_for

V = '2.98'


def test_two_creates_for_one_zone_read_together_one_wins(
        stack, monkeypatch):
    resp = stack('POST', '/v2/types', {'share_type': {
        'name': 'rep', 'extra_specs': {
            'driver_handles_share_servers': False,
            'replication_type': 'readable'}}}, version=V)
    assert resp.status_int == 200, resp.body
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': 'rep',
        'availability_zone': 'az1'}}, version=V)
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')

    # Each create's read of the replicas waits (up to a second) for the
    # other's: without a lock both read an empty az2.
    together = threading.Barrier(2)
    real = db_api.replica_get_all

    def read_together(*args, **kwargs):
        try:
            together.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        return real(*args, **kwargs)

    monkeypatch.setattr(db_api, 'replica_get_all', read_together)
    replies = []

    def create():
        replies.append(stack('POST', '/v2/share-replicas', {
            'share_replica': {'share_id': share_id,
                              'availability_zone': 'az2'}}, version=V))

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    monkeypatch.setattr(db_api, 'replica_get_all', real)

    codes = sorted(r.status_int for r in replies)
    assert codes == [202, 400], [r.body for r in replies]
    loser, = [r for r in replies if r.status_int == 400]
    assert loser.json_body_or_none == {'badRequest': {
        'code': 400, 'message': 'Invalid input received: share %s '
                                'already has a replica in '
                                'availability zone az2' % share_id}}
    replicas = db_api.replica_get_all(context.get_admin_context(),
                                      share_id=share_id)
    assert sorted(r.availability_zone or '' for r in replicas) == [
        'az1', 'az2']
