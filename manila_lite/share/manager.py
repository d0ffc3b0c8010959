"""The share manager: RPC endpoints of one backend, and its periodic work.

One manager per backend section (service host ``<host>@<backend>``). An
endpoint loads what it needs from the database, moves its state through
``db.api`` transitions and calls the driver; a failure is recorded as an
``error`` status (casts have nobody to raise to). Long flows live in
their own modules (``ensure.py``; migration and replication join them)
and run in threads so the RPC endpoints stay responsive.
"""

import functools
import importlib
import inspect
import threading
import time

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils
from stevedore import driver as stevedore_driver

from manila_lite.common import config
from manila_lite.common import context as ml_context
from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.common import messages
from manila_lite.common import notifier
from manila_lite.common import states
from manila_lite.data import rpcapi as data_rpcapi
from manila_lite.db import api as db
from manila_lite.db import messages as msg_db
from manila_lite.share import ensure
from manila_lite.share import migration
from manila_lite.share import purge
from manila_lite.share import recovery
from manila_lite.share import replication
from manila_lite.share import resize
from manila_lite.share import revert
from manila_lite.share import rpcapi as share_rpcapi
from manila_lite.share import snapshot_access

LOG = logging.getLogger(__name__)

DRIVER_NAMESPACE = 'manila_lite.share.drivers'


def one_at_a_time(id_arg):
    """Run the decorated endpoint at most once at a time per value of
    its ``id_arg`` argument: a second call meanwhile (a redelivered or
    re-driven message, ``recovery.py``) returns at once, since the one
    running does the work."""
    def decorator(func):
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(self, *args, **kwargs):
            key = (func.__name__,
                   signature.bind(self, *args, **kwargs).arguments[id_arg])
            with self._inflight_lock:
                if key in self._inflight:
                    LOG.info('%s of %s is already running here',
                             func.__name__, key[1])
                    return None
                self._inflight.add(key)
            try:
                return func(self, *args, **kwargs)
            finally:
                with self._inflight_lock:
                    self._inflight.discard(key)
        return wrapper
    return decorator


def load_driver_class(name):
    """A stevedore name (``local``) or, for tests, ``module:Class``."""
    if ':' in name:
        module, _sep, cls = name.partition(':')
        return getattr(importlib.import_module(module), cls)
    manager = stevedore_driver.DriverManager(DRIVER_NAMESPACE, name,
                                             invoke_on_load=False)
    return manager.driver


class ShareManager:
    RPC_API_VERSION = '1.6'
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf, host, backend):
        self.conf = conf
        self.host = host
        self.backend = backend
        self.service_id = None
        backend_conf = config.register_backend_opts(conf, backend)
        driver_cls = load_driver_class(backend_conf.share_driver)
        if driver_cls.extra_opts:
            conf.register_opts(list(driver_cls.extra_opts), group=backend)
        self.driver = driver_cls(conf, backend)
        self.availability_zone = (backend_conf.backend_availability_zone
                                  or conf.storage_availability_zone)
        self.notifier = notifier.Notifier(conf, 'share.%s' % host)
        self._stats = None
        self._ensure_thread = None
        # When the service row was first seen ``ensuring`` with no
        # ensure running here (monotonic seconds), for the re-drive.
        self._ensure_unowned_since = None
        self.share_rpcapi = share_rpcapi.ShareAPI(conf)
        self.data_rpcapi = data_rpcapi.DataAPI(conf)
        self.migrations = migration.MigrationFlows(self)
        self._migration_lock = threading.Lock()
        self.replication = replication.ReplicationFlows(self)
        self.resizes = resize.ResizeFlows(self)
        self.reverts = revert.RevertFlows(self)
        self.snapshot_access = snapshot_access.SnapshotAccessFlows(self)
        self.recycle_bin = purge.Purger(self)
        self._replica_sync_thread = None
        self._replica_sync_at = 0.0
        self._redrive_at = time.monotonic()
        self._inflight = set()
        self._inflight_lock = threading.Lock()

    # --- service hooks -------------------------------------------------------
    def init_host(self, ctx):
        self.driver.do_setup(ctx)
        self.driver.check_for_setup_error()
        self._recover(ctx)
        self._reconcile(ctx)
        self._stats = None
        # Upstream ensures every share when a share service starts.
        self._ensure(ctx, reason='start-up')

    def _recover(self, ctx):
        """Settle what a dead predecessor left in transition (resizes
        end in their error states: ``share/resize.py``)."""
        self.resizes.recover(ctx, self.host)
        recovery.redrive(self, ctx)
        with self._migration_lock:
            # No process can be running this backend's migration steps
            # now: what a predecessor was cut off in is recovered at
            # once (a start still queued for it is never taken as lost:
            # _step_starting waits for transition_redrive_after).
            self.migrations.poll_all(ctx, stale_after=0)
        self._redrive_at = time.monotonic()

    def _reconcile(self, ctx):
        """Let the driver report what its storage holds for nobody."""
        instances = db.share_instance_get_all_by_host(ctx, self.host)
        snaps = [snap.id for inst in instances
                 for snap in db.snapshot_instance_get_all_by_share_instance(
                     ctx, inst.id)]
        try:
            self.driver.reconcile(ctx, [i.id for i in instances], snaps)
        except Exception:
            LOG.exception('Reconciling the storage of %s with the '
                          'database failed', self.host)

    def get_capabilities(self):
        if self._stats is None:
            stats = dict(self.driver.get_share_stats(refresh=True))
            stats['availability_zone'] = self.availability_zone
            self._stats = stats
        return self._stats

    def invalidate_stats(self):
        """Capacity changed: measure again before the next report."""
        self._stats = None

    def periodic_tasks(self, ctx):
        self._stats = None
        with self._migration_lock:
            self.migrations.poll_all(ctx)
        self._start_replica_sync(ctx)
        self._redrive_lost_work(ctx)
        self.recycle_bin.maybe_run(ctx)

    def _redrive_lost_work(self, ctx):
        """Re-drive rows left in transition for
        ``transition_redrive_after`` seconds (``recovery.py``), checked
        every half of that."""
        after = self.conf.transition_redrive_after
        now = time.monotonic()
        if now - self._redrive_at < after / 2:
            return
        self._redrive_at = now
        self.resizes.recover(ctx, self.host, stale_after=after)
        if recovery.redrive(self, ctx, stale_after=after):
            self._stats = None
        self._redrive_lost_ensure(ctx, now, after)

    def _redrive_lost_ensure(self, ctx, now, after):
        """Run an ensure the API recorded but never reached this
        service: the API set the service's ``ensuring`` flag, answered
        202, and its cast was lost (or the API died between the two).
        Nothing else ever clears that flag, and while it is set every
        new ensure request is refused with 409. Seen unowned for
        ``transition_redrive_after`` seconds (a queued message would
        have arrived by then), the ensure is run as asked."""
        if self.service_id is None:
            return
        running = (self._ensure_thread is not None
                   and self._ensure_thread.is_alive())
        if running or not db.service_get(ctx, self.service_id).ensuring:
            self._ensure_unowned_since = None
            return
        if self._ensure_unowned_since is None:
            self._ensure_unowned_since = now
            return
        if now - self._ensure_unowned_since >= after:
            LOG.warning('%s is marked ensuring with no ensure running '
                        'here for %d s: its request was lost, ensuring '
                        'now', self.host, after)
            self._ensure_unowned_since = None
            self.ensure_shares(ctx)

    def is_running(self, endpoint, row_id):
        """Whether ``endpoint`` (a ``one_at_a_time`` one) runs for
        ``row_id`` in this process now."""
        with self._inflight_lock:
            return (endpoint, row_id) in self._inflight

    def _start_replica_sync(self, ctx):
        """Sync this backend's replicas every
        ``replica_state_update_interval`` seconds, in a thread of its own
        so a long copy never delays migration polls or RPCs."""
        now = time.monotonic()
        busy = (self._replica_sync_thread is not None
                and self._replica_sync_thread.is_alive())
        if busy or now - self._replica_sync_at < \
                self.conf.replica_state_update_interval:
            return
        self._replica_sync_at = now
        self._replica_sync_thread = threading.Thread(
            target=self.replication.sync_all, args=(ctx, self.host),
            name='replica-sync-%s' % self.host, daemon=True)
        self._replica_sync_thread.start()

    def reload_config(self):
        self.driver.reload_config()
        self._stats = None

    # --- shares --------------------------------------------------------------
    @staticmethod
    def pool_of(instance):
        return hosts.pool_of(instance.host)

    @one_at_a_time('share_instance_id')
    def create_share_instance(self, ctx, share_instance_id):
        instance = db.share_instance_get(ctx, share_instance_id)
        if instance.status != states.STATUS_CREATING:
            LOG.info('Not creating %s: status is %s', instance.id,
                     instance.status)
            return
        try:
            snapshot_id = instance.share.snapshot_id
            if snapshot_id:
                snapshot = db.snapshot_get(ctx, snapshot_id)
                snap_inst = snapshot.instance
                exports = self.driver.create_share_from_snapshot(
                    ctx, instance, self.pool_of(instance), snap_inst,
                    db.share_instance_get(ctx, snap_inst.share_instance_id))
            else:
                exports = self.driver.create_share(ctx, instance,
                                                   self.pool_of(instance))
            db.export_locations_replace(ctx, instance.id, exports or [])
            db.share_instance_transition(
                ctx, instance.id, states.STATUS_AVAILABLE,
                sources={states.STATUS_CREATING},
                values={'launched_at': timeutils.utcnow(),
                        'progress': '100%'})
        except Exception:
            LOG.exception('Creating share instance %s failed', instance.id)
            self._set_error(ctx, instance.id, states.STATUS_CREATING)
            self._tell_create_failed(ctx, instance)
            return
        self._stats = None
        self.notifier.info(ctx, 'share.create.end', {
            'share_id': instance.share_id, 'share_instance_id': instance.id,
            'host': instance.host, 'size': instance.share.size})
        if db.access_get_all_by_share(ctx, instance.share_id):
            self.update_access(ctx, instance.id)

    def _tell_create_failed(self, ctx, instance):
        """A user message for the owner, as upstream's share manager
        (not for a migration's destination: its failure is the
        migration's, which the admin who started it follows)."""
        share = instance.share
        if share.task_state in states.BUSY_TASK_STATES:
            return
        detail = (messages.Detail.DRIVER_FAILED_CREATING_FROM_SNAP
                  if share.snapshot_id else messages.Detail.UNKNOWN_ERROR)
        msg_db.record(self.conf, ctx, messages.Action.CREATE,
                      messages.Resource.SHARE, share.id, detail=detail,
                      project_id=share.project_id)

    @staticmethod
    def _set_error(ctx, instance_id, source, status=states.STATUS_ERROR):
        try:
            db.share_instance_transition(ctx, instance_id, status,
                                         sources={source})
        except exceptions.ManilaLiteException:
            LOG.warning('Could not mark %s %s', instance_id, status)

    @one_at_a_time('share_instance_id')
    def delete_share_instance(self, ctx, share_instance_id, force=False):
        try:
            instance = db.share_instance_get(ctx, share_instance_id)
        except exceptions.ShareInstanceNotFound:
            return
        try:
            if force:
                # A copy into (or out of) it would outlive the delete.
                self.migrations.stop_copies_of(ctx, instance)
            for snap in db.snapshot_instance_get_all_by_share_instance(
                    ctx, instance.id):
                if force:
                    self.driver.delete_snapshot(ctx, snap, instance)
            self.driver.delete_share(ctx, instance)
        except Exception:
            LOG.exception('Deleting share instance %s failed', instance.id)
            if not force:
                self._set_error(ctx, instance.id, states.STATUS_DELETING,
                                states.STATUS_ERROR_DELETING)
                return
        db.share_instance_destroy(ctx, instance.id, share_too=True)
        self._stats = None
        self.notifier.info(ctx, 'share.delete.end', {
            'share_id': instance.share_id, 'share_instance_id': instance.id,
            'host': instance.host})

    # --- snapshots -----------------------------------------------------------
    @one_at_a_time('snapshot_instance_id')
    def create_snapshot(self, ctx, snapshot_instance_id):
        snap_inst = db.snapshot_instance_get(ctx, snapshot_instance_id)
        instance = db.share_instance_get(ctx, snap_inst.share_instance_id)
        try:
            driver_values = self.driver.create_snapshot(ctx, snap_inst,
                                                        instance) or {}
            snapshot_access.record_export_locations(
                ctx, snap_inst, instance.share, driver_values)
            values = {k: v for k, v in driver_values.items()
                      if k == 'provider_location'}
            values['progress'] = '100%'
            db.snapshot_instance_transition(
                ctx, snap_inst.id, states.STATUS_AVAILABLE,
                sources={states.STATUS_CREATING}, values=values)
        except Exception:
            LOG.exception('Creating snapshot %s failed', snap_inst.id)
            db.snapshot_instance_transition(ctx, snap_inst.id,
                                            event='create_failed')
            msg_db.record(self.conf, ctx, messages.Action.CREATE,
                          messages.Resource.SHARE_SNAPSHOT,
                          snap_inst.snapshot_id,
                          project_id=snap_inst.snapshot.project_id)

    @one_at_a_time('snapshot_instance_id')
    def delete_snapshot(self, ctx, snapshot_instance_id, force=False):
        try:
            snap_inst = db.snapshot_instance_get(ctx, snapshot_instance_id)
        except exceptions.ShareSnapshotNotFound:
            return
        instance = db.share_instance_get(ctx, snap_inst.share_instance_id)
        try:
            self.driver.delete_snapshot(ctx, snap_inst, instance)
        except Exception:
            LOG.exception('Deleting snapshot %s failed', snap_inst.id)
            if not force:
                db.snapshot_instance_transition(ctx, snap_inst.id,
                                                event='delete_failed')
                return
        # Replicas hold instances of the same snapshot: the snapshot goes
        # with its last instance.
        db.snapshot_instance_destroy(ctx, snap_inst.id)

    # --- access rules --------------------------------------------------------
    def update_access(self, ctx, share_instance_id):
        """Apply the share's queued rule changes to one instance."""
        instance = db.share_instance_get(ctx, share_instance_id)
        share_id = instance.share_id
        db.access_update_states(ctx, share_id,
                                {states.ACCESS_STATE_QUEUED_TO_APPLY},
                                states.ACCESS_STATE_APPLYING)
        db.access_update_states(ctx, share_id,
                                {states.ACCESS_STATE_QUEUED_TO_DENY},
                                states.ACCESS_STATE_DENYING)
        rules = db.access_get_all_by_share(ctx, share_id)
        keep = [r for r in rules if r.state in (
            states.ACCESS_STATE_ACTIVE, states.ACCESS_STATE_APPLYING)]
        add = [r for r in rules if r.state == states.ACCESS_STATE_APPLYING]
        drop = [r for r in rules if r.state == states.ACCESS_STATE_DENYING]
        try:
            self.driver.update_access(ctx, instance, keep, add_rules=add,
                                      delete_rules=drop)
        except Exception:
            LOG.exception('Applying access rules to %s failed', instance.id)
            db.access_update_states(ctx, share_id,
                                    {states.ACCESS_STATE_APPLYING},
                                    states.ACCESS_STATE_ERROR)
            db.access_rules_status_transition(ctx, instance.id,
                                              event='sync_failed')
            return
        db.access_update_states(ctx, share_id, {states.ACCESS_STATE_APPLYING},
                                states.ACCESS_STATE_ACTIVE)
        for rule in drop:
            db.access_destroy(ctx, rule.id)
        db.access_rules_status_transition(ctx, instance.id, event='synced')

    def update_access_anywhere(self, ctx, instance):
        """Apply rules to ``instance`` here or on its own backend."""
        if hosts.backend_of(instance.host) == self.host:
            self.update_access(ctx, instance.id)
        else:
            self.share_rpcapi.update_access(ctx, instance.host, instance.id)

    # --- ensure shares -------------------------------------------------------
    def ensure_shares(self, ctx):
        """Re-read mutable options, then ensure every share (in a thread,
        so this service keeps answering RPCs)."""
        self.conf.mutate_config_files()
        self.reload_config()
        thread = threading.Thread(
            target=self._ensure, args=(ctx,), kwargs={'reason': 'api'},
            name='ensure-%s' % self.host, daemon=True)
        self._ensure_thread = thread
        thread.start()

    def _ensure(self, ctx, *, reason):
        admin = ml_context.get_admin_context()
        if self.service_id is not None:
            db.service_update(admin, self.service_id, {'ensuring': True})
        self.notifier.info(ctx, 'share.ensure.start', {
            'host': self.host, 'reason': reason})
        try:
            result = ensure.ensure_shares(
                admin, host=self.host, driver=self.driver,
                update_status=self.conf.update_shares_status_on_ensure)
        except Exception:
            LOG.exception('Ensuring shares of %s failed', self.host)
            self.notifier.error(ctx, 'share.ensure.error',
                                {'host': self.host, 'reason': reason})
            return
        finally:
            if self.service_id is not None:
                db.service_update(admin, self.service_id,
                                  {'ensuring': False})
        for instance in result.failed:
            # Upstream's action for a share its service put in error.
            msg_db.record(self.conf, admin, messages.Action.UPDATE,
                          messages.Resource.SHARE, instance.share_id,
                          project_id=db.share_get(
                              admin, instance.share_id).project_id)
        self.notifier.info(ctx, 'share.ensure.end', {
            'host': self.host, 'reason': reason, 'total': result.total,
            'ensured': result.ensured, 'skipped': result.skipped,
            'errors': result.errors})

    # --- migration (flows in share/migration.py) -----------------------------
    # One lock per manager: a poll and an admin action never interleave
    # on the same migration.
    def migration_start(self, ctx, share_id, dest_host, flags):
        with self._migration_lock:
            self.notifier.info(ctx, 'share.migration.start', {
                'share_id': share_id, 'destination': dest_host})
            try:
                self.migrations.start(ctx, share_id, dest_host, flags)
            except Exception:
                LOG.exception('Migration of %s failed to start', share_id)
                share = db.share_get(ctx, share_id)
                for inst in share.instances:
                    if inst.status == states.STATUS_MIGRATING:
                        db.share_instance_transition(
                            ctx, inst.id, event='migration_source_restore')
                db.share_task_state_transition(ctx, share_id,
                                               event='migration_failed')
                self.notifier.error(ctx, 'share.migration.error',
                                    {'share_id': share_id})

    def migration_complete(self, ctx, share_id):
        with self._migration_lock:
            self.migrations.complete(ctx, share_id)

    def migration_cancel(self, ctx, share_id):
        with self._migration_lock:
            self.migrations.cancel(ctx, share_id)

    def migration_poll(self, ctx, share_id):
        with self._migration_lock:
            self.migrations.poll(ctx, share_id)

    # --- replicas (flows in share/replication.py) ---------------------------
    @one_at_a_time('share_replica_id')
    def create_replica(self, ctx, share_replica_id):
        self.replication.create(ctx, share_replica_id)
        self._stats = None

    @one_at_a_time('share_replica_id')
    def delete_replica(self, ctx, share_replica_id, force=False):
        self.replication.delete(ctx, share_replica_id, force=force)
        self._stats = None

    @one_at_a_time('share_replica_id')
    def promote_replica(self, ctx, share_replica_id):
        self.replication.promote(ctx, share_replica_id)

    def update_replica_state(self, ctx, share_replica_id):
        self.replication.sync(ctx, share_replica_id, force=True)

    # --- resize (flows in share/resize.py) ----------------------------------
    @one_at_a_time('share_instance_id')
    def extend_share(self, ctx, share_instance_id, new_size, force=False):
        self.resizes.extend(ctx, share_instance_id, new_size, force=force)

    @one_at_a_time('share_instance_id')
    def shrink_share(self, ctx, share_instance_id, new_size):
        self.resizes.shrink(ctx, share_instance_id, new_size)

    # --- revert to snapshot (flow in share/revert.py) -----------------------
    @one_at_a_time('share_instance_id')
    def revert_to_snapshot(self, ctx, share_instance_id,
                           snapshot_instance_id):
        self.reverts.revert(ctx, share_instance_id, snapshot_instance_id)

    # --- mountable snapshots (flow in share/snapshot_access.py) -------------
    def snapshot_update_access(self, ctx, snapshot_instance_id):
        self.snapshot_access.update_access(ctx, snapshot_instance_id)
