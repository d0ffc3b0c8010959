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
from manila_lite.scheduler import weighers
from manila_lite.scheduler.filters import replication
from manila_lite.share import rpcapi as share_rpcapi

LOG = logging.getLogger(__name__)

NO_FIT = 'no pool passed the filters'


class SchedulerManager:
    RPC_API_VERSION = '1.2'
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
        return [(n, filters.FILTERS[n]) for n in names
                if n in filters.FILTERS]

    def select_pools(self, ctx, spec, *, trace=None):
        """Pools passing every filter, best first.

        :param trace: optional list; gets ``(filter name, survivors)``
            per step, so a NoValidHost can say which filter emptied it.
        """
        pools = host_manager.get_pools(ctx, self.conf)
        if trace is not None:
            trace.append(('services up', len(pools)))
        for name, check in self._filters():
            pools = [p for p in pools if check(p, spec)]
            if trace is not None:
                trace.append((name, len(pools)))
        only = (spec.get('scheduler_hints') or {}).get('only_host')
        if only:
            pools = [p for p in pools
                     if p.host == only or p.backend_host == only]
            if trace is not None:
                trace.append(('only_host', len(pools)))
        return weighers.order(pools, spec)

    def create_share_instance(self, ctx, share_instance_id, request_spec):
        """Place a new instance and cast it to its share service.

        Never raises (this is a cast): no fitting pool, a vanished
        instance or a failed cast end as instance ``error`` and a log
        line.
        """
        trace = []
        try:
            pools = self.select_pools(ctx, request_spec, trace=trace)
        except Exception:
            LOG.exception('Scheduling %s failed', share_instance_id)
            pools = []
        if not pools:
            steps = ', '.join('%s: %d' % step for step in trace)
            LOG.warning(exceptions.NoValidHost(
                reason='no pool fits share instance %s (pools left after '
                       'each step: %s)' % (share_instance_id, steps)).msg)
            self._set_error(ctx, share_instance_id)
            return
        self._place(ctx, share_instance_id, pools[0],
                    self.share_rpcapi.create_share_instance, self._set_error)

    @staticmethod
    def _place(ctx, instance_id, pool, cast, on_error):
        """Record ``pool`` on the still-creating instance (conditional: an
        instance deleted meanwhile must not get a host), then ``cast`` it
        to the pool's share service; ``on_error`` if the cast fails."""
        try:
            db.share_instance_transition(
                ctx, instance_id, states.STATUS_CREATING,
                sources={states.STATUS_CREATING},
                values={'host': pool.host,
                        'availability_zone': pool.availability_zone})
        except exceptions.ManilaLiteException as exc:
            LOG.info('Not placing %s: %s', instance_id, exc)
            return
        LOG.info('Placing %s on %s', instance_id, pool.host)
        try:
            cast(ctx, pool.host, instance_id)
        except Exception:
            LOG.exception('Could not hand %s to %s', instance_id, pool.host)
            on_error(ctx, instance_id)

    @staticmethod
    def _set_error(ctx, share_instance_id):
        try:
            db.share_instance_transition(
                ctx, share_instance_id, states.STATUS_ERROR,
                sources={states.STATUS_CREATING})
        except exceptions.ManilaLiteException:
            LOG.info('Instance %s left creating meanwhile',
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

    def create_replica(self, ctx, share_replica_id, request_spec):
        """Place a new replica: a pool passing the share's filters that
        offers the share's replication style, in the active replica's
        replication domain, on a backend holding no replica of the share.
        No such pool: the replica (and its snapshot instances) ``error``.
        """
        try:
            replicas = db.replica_get_all(
                ctx, share_id=request_spec['share_id'])
            # One replica per backend: a replica on the backend of
            # another would fail with it.
            taken = {r.host.partition('#')[0] for r in replicas if r.host}
            pools = self.select_pools(ctx, request_spec)
            domain = host_manager.replication_domain(
                ctx, self.conf, request_spec.get('active_replica_host'))
            pools = [p for p in pools if p.backend_host not in taken
                     and replication.passes(p, request_spec, domain)]
        except Exception:
            LOG.exception('Scheduling replica %s failed', share_replica_id)
            pools = []
        if not pools:
            LOG.warning(exceptions.NoValidHost(
                reason='no pool fits replica %s' % share_replica_id).msg)
            self._replica_error(ctx, share_replica_id)
            return
        self._place(ctx, share_replica_id, pools[0],
                    self.share_rpcapi.create_replica, self._replica_error)

    @classmethod
    def _replica_error(cls, ctx, share_replica_id):
        cls._set_error(ctx, share_replica_id)
        try:
            db.share_instance_update(ctx, share_replica_id, {
                'replica_state': states.REPLICA_STATE_ERROR})
            for snap in db.snapshot_instance_get_all_by_share_instance(
                    ctx, share_replica_id):
                db.snapshot_instance_update(
                    ctx, snap.id, {'status': states.STATUS_ERROR})
        except exceptions.NotFound:
            LOG.info('Replica %s is gone', share_replica_id)
