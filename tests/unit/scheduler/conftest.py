"""Fixtures of the scheduler tests: share services with pools, as
their heartbeats report them."""

import pytest

from manila_lite.common import states


def _backend(db, ctx, host, zone, pools, **caps):
    svc = db.service_create_or_update(
        ctx, host=host, binary=states.BINARY_SHARE, topic='manila-share',
        availability_zone=zone)
    stats = {'share_backend_name': host.partition('@')[2],
             'driver_handles_share_servers': False,
             'snapshot_support': True, 'replication_type': None,
             'pools': [{'pool_name': name, 'free_capacity_gb': free,
                        'total_capacity_gb': 100.0,
                        'reserved_percentage': 0}
                       for name, free in pools.items()]}
    stats.update(caps)
    db.service_heartbeat(ctx, svc.id, stats)


@pytest.fixture
def two_zones(db, admin_ctx):
    _backend(db, admin_ctx, 'n1@b1', 'az1', {'small': 5.0, 'big': 50.0})
    _backend(db, admin_ctx, 'n2@b2', 'az2', {'p': 80.0},
             replication_type='readable')
