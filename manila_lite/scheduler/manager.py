"""The scheduler service: choose a pool, record it, hand over the work.

RPC endpoints (see ``scheduler/rpcapi.py``) receive ids and a request
spec, run the configured filters over the pools of live backends, weigh
the survivors (most free capacity wins) and cast to the chosen share
service. Failures are recorded in the database (instance ``error``);
a cast has nobody to raise to.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.scheduler import filters
from manila_lite.scheduler import host_manager
from manila_lite.share import rpcapi as share_rpcapi

LOG = logging.getLogger(__name__)

NO_FIT = 'no pool passed the filters'


class SchedulerManager:
    RPC_API_VERSION = '1.1'
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf):
        self.conf = conf
        self.share_rpcapi = share_rpcapi.ShareAPI(conf)

    def _filters(self):
        names = [n.strip() for n in
                 self.conf.scheduler_driver_filters.split(',') if n.strip()]
        unknown = [n for n in names if n not in filters.FILTERS]
        if unknown:
            LOG.warning('Ignoring unknown scheduler filters: %s', unknown)
        return [filters.FILTERS[n] for n in names if n in filters.FILTERS]

    def select_pools(self, ctx, spec):
        """Pools passing every filter, best first."""
        pools = host_manager.get_pools(ctx, self.conf)
        for check in self._filters():
            pools = [p for p in pools if check(p, spec)]
        only = (spec.get('scheduler_hints') or {}).get('only_host')
        if only:
            pools = [p for p in pools
                     if p.host == only or p.backend_host == only]
        return sorted(pools, key=lambda p: -float(
            p.free_capacity_gb if isinstance(
                p.free_capacity_gb, (int, float)) else 0))

    def create_share_instance(self, ctx, share_instance_id, request_spec):
        pools = self.select_pools(ctx, request_spec)
        if not pools:
            reason = exceptions.NoValidHost(
                reason='no pool passed the filters for %s' %
                share_instance_id).msg
            LOG.warning(reason)
            try:
                db.share_instance_transition(
                    ctx, share_instance_id, states.STATUS_ERROR,
                    sources={states.STATUS_CREATING})
            except exceptions.ManilaLiteException:
                LOG.info('Instance %s left creating meanwhile',
                         share_instance_id)
            return
        pool = pools[0]
        db.share_instance_update(ctx, share_instance_id, {
            'host': pool.host,
            'availability_zone': pool.availability_zone})
        self.share_rpcapi.create_share_instance(ctx, pool.host,
                                                share_instance_id)

    def migrate_share_to_host(self, ctx, share_id, host, request_spec,
                              flags):
        """Upstream's scheduler step of migration: the named pool must
        survive every filter for the (new) type; otherwise the migration
        ends in ``migration_error`` with the source untouched."""
        share = db.share_get(ctx, share_id)
        source = [i for i in share.instances
                  if i.status == states.STATUS_MIGRATING]
        pools = {p.host for p in self.select_pools(ctx, request_spec)}
        if host not in pools or not source:
            LOG.warning('Migration of %s: pool %s does not fit (%s)',
                        share_id, host, NO_FIT)
            for inst in source:
                db.share_instance_update(
                    ctx, inst.id, {'status': states.STATUS_AVAILABLE})
            db.share_update(ctx, share_id, {
                'task_state': states.TASK_STATE_MIGRATION_ERROR})
            return
        self.share_rpcapi.migration_start(ctx, source[0].host, share_id,
                                          host, flags)
