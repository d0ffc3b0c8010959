"""Count the SQL statements an API request issues, to catch N+1 queries:
the same request must cost the same with 100 and with 1,000 shares in
the database (list detail with a limit) or at most a constant more
(unbounded lists load related rows in batches, never one per row)."""

import contextlib
import uuid

from sqlalchemy import event

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api


@contextlib.contextmanager
def counting():
    """Yields a list that collects every statement run meanwhile."""
    engines = db_api.get_engines()
    seen = []

    def record(conn, cursor, statement, *args):
        if not statement.startswith(('BEGIN', 'SAVEPOINT', 'RELEASE')):
            seen.append(statement)

    for engine in engines:
        event.listen(engine, 'before_cursor_execute', record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, 'before_cursor_execute', record)


def seed(count, *, project_id='admin', host='node@local1#pool1'):
    """``count`` available shares, each with metadata and two export
    locations; every tenth is replicated: its instance is the active
    replica, and it has a second, in_sync replica with metadata and an
    export location of its own; every tenth (others) has a snapshot
    with metadata."""
    ctx = context.get_admin_context()
    stype = db_api.share_type_ensure(
        ctx, 'default', {'driver_handles_share_servers': 'False'})
    ids = []
    for i in range(count):
        replicated = i % 10 == 0
        share = db_api.share_create(
            ctx, dict(project_id=project_id, size=1, share_proto='NFS',
                      share_type_id=stype.id, name='s-%s' % uuid.uuid4(),
                      replication_type=(states.REPLICATION_TYPE_READABLE
                                        if replicated else None)),
            dict(status=states.STATUS_AVAILABLE, host=host,
                 availability_zone='az1', share_type_id=stype.id,
                 replica_state=(states.REPLICA_STATE_ACTIVE
                                if replicated else None)),
            {'k': 'v'})
        inst = share.instances[0]
        db_api.export_locations_replace(ctx, inst.id, [
            {'path': '10.0.0.1:/s/%s' % inst.id, 'preferred': True},
            {'path': '/s/%s' % inst.id, 'is_admin_only': True}])
        if replicated:
            replica = db_api.replica_create(ctx, share.id, dict(
                status=states.STATUS_AVAILABLE, host=host,
                availability_zone='az2', share_type_id=stype.id,
                replica_state=states.REPLICA_STATE_IN_SYNC),
                metadata={'k': 'v', 'site': 'b'})
            db_api.export_locations_replace(ctx, replica.id, [
                {'path': '10.0.0.2:/s/%s' % replica.id, 'preferred': True}])
        if i % 10 == 5:
            db_api.snapshot_create(
                ctx, dict(share_id=share.id, project_id=project_id, size=1,
                          name='snap-%s' % share.id),
                dict(share_instance_id=inst.id,
                     status=states.STATUS_AVAILABLE),
                {'k': 'v'})
        ids.append(share.id)
    return ids


#: Requests measured, with the version they are made at.
REQUESTS = [
    ('GET', '/v2/shares/detail?limit=100'),
    ('GET', '/v2/shares?limit=100'),
    ('GET', '/v2/shares/detail'),
    ('GET', '/v2/snapshots/detail'),
    ('GET', '/v2/services'),
    ('GET', '/v2/share-replicas/detail'),
]


def measure(client, share_id):
    """``{request: statement count}`` for REQUESTS plus show and export
    locations of ``share_id``."""
    counts = {}
    requests = REQUESTS + [
        ('GET', '/v2/shares/' + share_id),
        ('GET', '/v2/shares/%s/export_locations' % share_id)]
    for method, path in requests:
        with counting() as seen:
            resp = client(method, path, version='2.98')
        assert resp.status_int == 200, (path, resp.body)
        counts[path.replace(share_id, '{id}')] = len(seen)
    return counts


#: Lists without a limit return up to osapi_max_limit (1,000) rows, and
#: SQLAlchemy loads related rows in batches of 500: a few more selects
#: for ten times the rows, where one query per row would add 900.
UNBOUNDED = ('/v2/shares/detail', '/v2/snapshots/detail',
             '/v2/share-replicas/detail')


def check_constant(client):
    """Measure with 100 shares and with 1,000: requests with a limit, and
    those on one share, must cost the same; unbounded lists may add a
    batch select per related table."""
    first = seed(100)
    small = measure(client, first[0])
    seed(900)
    large = measure(client, first[0])
    grown = {k: (small[k], large[k]) for k in small
             if k not in UNBOUNDED and small[k] != large[k]}
    assert not grown, grown
    batched = {k: (small[k], large[k]) for k in UNBOUNDED
               if large[k] > 2 * small[k]}
    assert not batched, batched
    return large
