"""Pools come from the services table: only enabled services that are
up, with the capabilities their last heartbeat stored."""

import datetime

from oslo_utils import timeutils

from manila_lite.common import states
from manila_lite.scheduler import host_manager


def _service(db, ctx, host, zone, pools, **values):
    svc = db.service_create_or_update(
        ctx, host=host, binary=states.BINARY_SHARE, topic='manila-share',
        availability_zone=zone)
    db.service_heartbeat(ctx, svc.id, {
        'share_backend_name': host.split('@')[1], 'snapshot_support': True,
        'pools': pools})
    if values:
        db.service_update(ctx, svc.id, values)
    return svc


def test_only_up_and_enabled_services_offer_pools(conf, db, admin_ctx):
    _service(db, admin_ctx, 'n1@b1', 'az1', [
        {'pool_name': 'p1', 'free_capacity_gb': 5.0},
        {'pool_name': 'p2', 'free_capacity_gb': 7.0,
         'snapshot_support': False}])
    _service(db, admin_ctx, 'n1@off', 'az1', [{'pool_name': 'p'}],
             disabled=True)
    old = timeutils.utcnow() - datetime.timedelta(
        seconds=conf.service_down_time + 5)
    _service(db, admin_ctx, 'n2@dead', 'az2', [{'pool_name': 'p'}],
             updated_at=old)
    _service(db, admin_ctx, 'n3@odd', 'az3', [{'free_capacity_gb': 1}])
    pools = host_manager.get_pools(admin_ctx, conf)
    assert [(p.host, p.backend_host, p.availability_zone)
            for p in pools] == [('n1@b1#p1', 'n1@b1', 'az1'),
                                ('n1@b1#p2', 'n1@b1', 'az1')]
    # Pool keys override the backend-wide ones.
    assert pools[0].capabilities['snapshot_support'] is True
    assert pools[1].capabilities['snapshot_support'] is False
    assert pools[1].free_capacity_gb == 7.0
