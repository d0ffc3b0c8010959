"""The scheduler service: choose a pool, record it, hand over the work.

RPC endpoints (see ``scheduler/rpcapi.py``) receive ids and a request
spec, run the configured filters over the pools of live backends, weigh
the survivors (most free capacity wins) and cast to the chosen share
service. Failures are recorded in the database (instance ``error``);
a cast has nobody to raise to.

A periodic task settles what a dead process left behind: a share or
replica still ``creating`` with no host after
``unscheduled_instance_timeout`` seconds lost its scheduling message
(the API died between its commit and its cast, or a scheduler died
after taking the message off the queue) and is set to ``error`` (see
``fail_unscheduled``).
"""

import datetime
import time

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils

from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.common import messages
from manila_lite.common import notifier
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import messages as msg_db
from manila_lite.scheduler import filters
from manila_lite.scheduler import host_manager
from manila_lite.scheduler import share_groups
from manila_lite.scheduler import weighers
from manila_lite.scheduler.filters import replication
from manila_lite.share import rpcapi as share_rpcapi

LOG = logging.getLogger(__name__)

NO_FIT = 'no pool passed the filters'

UNSCHEDULED = ('never scheduled: still creating with no host after %d '
               'seconds (its scheduling request was lost, most likely with '
               'an API or scheduler process that died); delete it and '
               'create it again')


class SchedulerManager:
    RPC_API_VERSION = '1.3'
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf):
        self.conf = conf
        self.share_rpcapi = share_rpcapi.ShareAPI(conf)
        self.notifier = notifier.Notifier(conf, 'scheduler.%s' % conf.host)
        self._started = time.monotonic()
        self._last_reap = None

    # --- service hooks -------------------------------------------------------
    def init_host(self, ctx):
        self._started = time.monotonic()

    def periodic_tasks(self, ctx):
        self.fail_unscheduled(ctx)
        self.reap_messages(ctx)

    def reap_messages(self, ctx):
        """Purge expired user messages every ``message_reap_interval``
        seconds (the first periodic run purges at once); returns how
        many went, None when it was not time yet."""
        now = time.monotonic()
        if (self._last_reap is not None and
                now - self._last_reap < self.conf.message_reap_interval):
            return None
        self._last_reap = now
        try:
            return msg_db.purge_expired(ctx)
        except Exception:
            LOG.exception('Purging expired user messages failed')
            return None

    def fail_unscheduled(self, ctx):
        """Set to ``error`` every share instance or replica that has been
        ``creating`` with no host for ``unscheduled_instance_timeout``
        seconds; returns their ids.

        Nothing else would ever move them: the API commits the instance,
        then casts to the scheduler, and oslo.messaging acknowledges a
        cast before the scheduler handles it, so an API killed between
        the two, or a scheduler killed while placing, loses the request.
        Upstream leaves such shares to an admin; they cannot even be
        deleted by their owner (``creating`` is not deletable).

        Re-scheduling them is not safe: the request's scheduler hints are
        not stored, and a request still queued would be placed twice. So
        the instance goes to ``error`` (which its owner can delete), with
        a warning and a ``scheduler.create_share``
        (or ``scheduler.create_share_replica``) error notification
        giving the reason. The check waits until this scheduler has run
        for the timeout itself: requests queued in RabbitMQ while no
        scheduler ran are delivered first and get placed.
        """
        timeout = self.conf.unscheduled_instance_timeout
        if timeout <= 0 or time.monotonic() - self._started < timeout:
            return []
        cutoff = timeutils.utcnow() - datetime.timedelta(seconds=timeout)
        # Host '' is "not placed yet" (the column is NOT NULL).
        stuck = db.share_instance_get_all_by_host(
            ctx, '', statuses={states.STATUS_CREATING})
        failed = []
        for inst in stuck:
            if inst.host or (inst.updated_at or inst.created_at) > cutoff:
                continue
            reason = UNSCHEDULED % timeout
            replica = inst.replica_state == states.REPLICA_STATE_OUT_OF_SYNC
            LOG.warning('%s %s of share %s: %s',
                        'Replica' if replica else 'Share instance',
                        inst.id, inst.share_id, reason)
            fail = self._replica_error if replica else self._set_error
            if not fail(ctx, inst.id):
                continue
            failed.append(inst.id)
            self.notifier.error(
                ctx, 'scheduler.create_share_replica' if replica
                else 'scheduler.create_share',
                {'share_id': inst.share_id, 'share_instance_id': inst.id,
                 'state': states.STATUS_ERROR,
                 'method': 'create_replica' if replica
                 else 'create_share_instance',
                 'reason': reason})
        return failed

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
        group_host = spec.get('share_group_host')
        if group_host:
            # A share of a group goes to the group's backend.
            pools = [p for p in pools if p.backend_host == group_host]
            if trace is not None:
                trace.append(('ShareGroupBackend', len(pools)))
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
            if request_spec.get('snapshot_host'):
                request_spec = dict(request_spec, **host_manager.
                                    snapshot_source(
                                        ctx, request_spec['snapshot_host']))
            pools = self.select_pools(ctx, request_spec, trace=trace)
        except Exception:
            LOG.exception('Scheduling %s failed', share_instance_id)
            pools = []
        if not pools:
            steps = ', '.join('%s: %d' % step for step in trace)
            LOG.warning(exceptions.NoValidHost(
                reason='no pool fits share instance %s (pools left after '
                       'each step: %s)' % (share_instance_id, steps)).msg)
            # One transaction: whoever sees the error sees its message.
            with db.writer(ctx):
                if self._set_error(ctx, share_instance_id):
                    self._no_valid_host(ctx, messages.Resource.SHARE,
                                        request_spec.get('share_id'),
                                        request_spec, trace)
            return
        self._place(ctx, share_instance_id, pools[0],
                    self.share_rpcapi.create_share_instance, self._set_error)

    def create_share_group(self, ctx, share_group_id, request_spec):
        """Place a share group (see ``scheduler/share_groups.py``).
        Never raises: no backend fits, the group is ``error``."""
        share_groups.create_share_group(self, ctx, share_group_id,
                                        request_spec)

    def _no_valid_host(self, ctx, resource_type, resource_id, spec, trace):
        """Tell the requester why: the filter that left no pool (as
        upstream's ``last_filter``), else plain "no valid host"."""
        detail = messages.Detail.NO_VALID_HOST
        for name, left in trace:
            if left == 0:
                detail = messages.Detail.FILTERS.get(name, detail)
                break
        msg_db.record(self.conf, ctx, messages.Action.ALLOCATE_HOST,
                      resource_type, resource_id, detail=detail,
                      project_id=spec.get('project_id'))

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
        """``creating`` -> ``error``; False if the instance left
        ``creating`` meanwhile (placed, deleted)."""
        try:
            db.share_instance_transition(
                ctx, share_instance_id, states.STATUS_ERROR,
                sources={states.STATUS_CREATING})
        except exceptions.ManilaLiteException:
            LOG.info('Instance %s left creating meanwhile',
                     share_instance_id)
            return False
        return True

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
                db.share_instance_transition(
                    ctx, inst.id, event='migration_source_restore')
            db.share_task_state_transition(ctx, share_id,
                                           event='migration_failed')
            msg_db.record(self.conf, ctx, messages.Action.ALLOCATE_HOST,
                          messages.Resource.SHARE, share_id,
                          detail=messages.Detail.NO_VALID_HOST,
                          project_id=share.project_id)
            return
        self.share_rpcapi.migration_start(ctx, source[0].host, share_id,
                                          host, flags)

    def create_replica(self, ctx, share_replica_id, request_spec):
        """Place a new replica: a pool passing the share's filters that
        offers the share's replication style, in the active replica's
        replication domain, on a backend holding no replica of the share.
        No such pool: the replica (and its snapshot instances) ``error``.
        """
        trace = []
        try:
            replicas = db.replica_get_all(
                ctx, share_id=request_spec['share_id'])
            # One replica per backend: a replica on the backend of
            # another would fail with it.
            taken = {hosts.backend_of(r.host) for r in replicas if r.host}
            pools = self.select_pools(ctx, request_spec, trace=trace)
            domain = host_manager.replication_domain(
                ctx, self.conf, request_spec.get('active_replica_host'))
            pools = [p for p in pools if p.backend_host not in taken
                     and replication.passes(p, request_spec, domain)]
            trace.append(('ShareReplicationFilter', len(pools)))
        except Exception:
            LOG.exception('Scheduling replica %s failed', share_replica_id)
            pools = []
        if not pools:
            LOG.warning(exceptions.NoValidHost(
                reason='no pool fits replica %s' % share_replica_id).msg)
            with db.writer(ctx):
                if self._replica_error(ctx, share_replica_id):
                    self._no_valid_host(
                        ctx, messages.Resource.SHARE_REPLICA,
                        share_replica_id, request_spec, trace)
            return
        self._place(ctx, share_replica_id, pools[0],
                    self.share_rpcapi.create_replica, self._replica_error)

    @classmethod
    def _replica_error(cls, ctx, share_replica_id):
        # One transaction: nobody sees the replica in error status with
        # its replica_state not yet error.
        with db.writer(ctx):
            if not cls._set_error(ctx, share_replica_id):
                return False
            cls._replica_error_details(ctx, share_replica_id)
        return True

    @staticmethod
    def _replica_error_details(ctx, share_replica_id):
        """A failed replica's replica_state and snapshot instances."""
        try:
            db.replica_state_transition(ctx, share_replica_id,
                                        event='replica_failed')
            for snap in db.snapshot_instance_get_all_by_share_instance(
                    ctx, share_replica_id):
                db.snapshot_instance_transition(ctx, snap.id,
                                                event='create_failed')
        except exceptions.NotFound:
            LOG.info('Replica %s is gone', share_replica_id)
