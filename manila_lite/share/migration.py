"""Share migration flows, run by the source host's share manager.

Phase 1 (``start``): the destination instance row is created on the
destination pool. Driver-assisted migration is tried first (unless
forced off): the source driver checks compatibility against the
destination's published capabilities, starts, and is polled
(``migration_continue``) until ``migration_driver_phase1_done``. If it
cannot, host-assisted takes over: the destination is created through the
normal create path on its host, the source goes read-only, a data copy
job moves the bytes and ``data_copying_completed`` ends phase 1. When
the admin asked for ``writable`` and the driver declines, the source
stays read-write and the copy runs in passes (``migration_sync.py``).

Phase 2 (``complete``, after the admin's ``migration_complete``) swaps
the instances: destination ``available`` with the share's access rules,
source removed, the share on its new type. ``cancel`` works in every
phase upstream allows and leaves the share as it was, at its source.

Nothing here blocks on the destination or the copy: ``poll`` advances
every migration of this host from its periodic task (and right away
when the data service reports a finished job).
"""

import datetime
import time

from oslo_log import log as logging
from oslo_utils import timeutils

from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.common import messages
from manila_lite.common import states
from manila_lite.common import type_specs
from manila_lite.db import api as db
from manila_lite.db import messages as msg_db
from manila_lite.share import migration_sync

LOG = logging.getLogger(__name__)

#: Copy jobs still writing somewhere.
_LIVE_JOBS = frozenset({states.JOB_QUEUED, states.JOB_RUNNING,
                        states.JOB_CANCELLING})

_FLAG_KEYS = ('writable', 'preserve_metadata', 'nondisruptive',
              'preserve_snapshots')


def _unchanged_for(share, seconds):
    """Whether the share's row has not changed for ``seconds``."""
    return (share.updated_at or share.created_at) < (
        timeutils.utcnow() - datetime.timedelta(seconds=seconds))


class MigrationFlows:
    def __init__(self, manager):
        self.manager = manager
        self.driver = manager.driver
        self.sync = migration_sync.WritableSync(self)

    # --- helpers -------------------------------------------------------------
    @staticmethod
    def _pair(share):
        source = [i for i in share.instances
                  if i.status == states.STATUS_MIGRATING]
        dest = [i for i in share.instances
                if i.status in (states.STATUS_MIGRATING_TO,
                                states.STATUS_CREATING,
                                states.STATUS_AVAILABLE,
                                states.STATUS_ERROR)
                and i.replica_state != states.REPLICA_STATE_ACTIVE
                and i not in source]
        return (source[0] if source else None,
                dest[0] if dest else None)

    @staticmethod
    def _task(ctx, share_id, new, sources=None):
        db.share_task_state_transition(ctx, share_id, new, sources=sources)

    def _dest_service(self, ctx, dest_host):
        return db.service_get_by_host_and_binary(
            ctx, hosts.backend_of(dest_host), states.BINARY_SHARE)

    def _fail(self, ctx, share_id, source, dest, *, task, remove_dest):
        """End phase 1 in ``task`` with the source as it was before."""
        if dest is not None and remove_dest:
            self._remove_dest(ctx, dest)
        if source is not None:
            self._restore_source(ctx, source)
        self._task(ctx, share_id, task)
        if task == states.TASK_STATE_MIGRATION_ERROR:
            # Upstream records none for a migration; its action for a
            # share its service moved to an error state is "update".
            msg_db.record(self.manager.conf, ctx, messages.Action.UPDATE,
                          messages.Resource.SHARE, share_id,
                          project_id=db.share_get(ctx,
                                                  share_id).project_id)

    def _restore_source(self, ctx, source):
        db.share_instance_transition(
            ctx, source.id, event='migration_source_restore',
            values={'cast_rules_to_readonly': False})
        if db.access_get_all_by_share(ctx, source.share_id):
            self.manager.share_rpcapi.update_access(ctx, source.host,
                                                    source.id)

    def _remove_dest(self, ctx, dest):
        if dest.host and dest.status != states.STATUS_CREATING:
            db.share_instance_transition(ctx, dest.id,
                                         event='migration_dest_remove')
            self.manager.share_rpcapi.delete_share_instance(
                ctx, dest.host, dest.id, force=True)
        else:
            db.share_instance_destroy(ctx, dest.id)

    @staticmethod
    def _job_for(ctx, share_id, dest):
        jobs = [j for j in db.data_copy_job_get_all(ctx, share_id=share_id)
                if dest is not None and j.dest_instance_id == dest.id]
        return jobs[-1] if jobs else None

    def stop_copies_of(self, ctx, instance, *, timeout=30.0):
        """Cancel the copy jobs reading or writing ``instance`` and wait
        (bounded) until they stopped, so that removing its files next
        is not raced by a copy recreating them (``force_delete``)."""
        def live():
            return [j for j in db.data_copy_job_get_all(
                ctx, share_id=instance.share_id, states_in=_LIVE_JOBS)
                if instance.id in (j.src_instance_id, j.dest_instance_id)]

        jobs = live()
        for job in jobs:
            # The data service owns the rows: it cancels, and stops the
            # copy wherever it runs.
            self.manager.data_rpcapi.cancel_copy_job(ctx, job.id)
        deadline = time.monotonic() + timeout
        while jobs and time.monotonic() < deadline:
            time.sleep(0.2)
            jobs = live()
        if jobs:
            LOG.warning('Copy jobs %s of %s did not stop in %ds',
                        [j.id for j in jobs], instance.id, timeout)

    # --- phase 1 -------------------------------------------------------------
    def start(self, ctx, share_id, dest_host, flags):
        share = db.share_get(ctx, share_id)
        source, _ = self._pair(share)
        if source is None:
            LOG.warning('Migration of %s: no migrating instance', share_id)
            return
        self._task(ctx, share_id, states.TASK_STATE_MIGRATION_IN_PROGRESS)
        service = self._dest_service(ctx, dest_host)
        dest = db.share_instance_create(ctx, share_id, {
            'status': states.STATUS_CREATING, 'host': dest_host,
            'availability_zone': service.availability_zone,
            'share_type_id': flags.get('new_share_type_id'),
            'replica_state': None})
        dest = db.share_instance_get(ctx, dest.id)
        source = db.share_instance_get(ctx, source.id)
        if not flags.get('force_host_assisted_migration'):
            try:
                if self._driver_start(ctx, share, source, dest, service,
                                      flags):
                    return
            except Exception:
                LOG.exception('Driver-assisted migration of %s failed to '
                              'start; trying host-assisted', share_id)
                try:
                    self.driver.migration_cancel(ctx, source, dest)
                except Exception:
                    LOG.debug('Driver cleanup after a failed start raised',
                              exc_info=True)
                db.share_instance_transition(
                    ctx, dest.id, event='migration_dest_fallback',
                    values={'progress': None})
                if (db.share_get(ctx, share_id).task_state
                        != states.TASK_STATE_MIGRATION_IN_PROGRESS):
                    db.share_task_state_transition(
                        ctx, share_id, event='migration_begin')
        self._host_assisted_start(ctx, share, source, dest, flags)

    def _driver_start(self, ctx, share, source, dest, service, flags):
        caps = db.service_capabilities(service)
        compat = self.driver.migration_check_compatibility(
            ctx, source, dest, caps) or {}
        if not compat.get('compatible'):
            return False
        for key in _FLAG_KEYS:
            if flags.get(key) and not compat.get(key):
                LOG.info('Driver cannot honour %s for %s', key, share.id)
                return False
        snaps = db.snapshot_instance_get_all_by_share_instance(
            ctx, source.id)
        if snaps and not compat.get('preserve_snapshots'):
            return False
        self._task(ctx, share.id, states.TASK_STATE_MIGRATION_DRIVER_STARTING)
        db.share_instance_transition(ctx, dest.id,
                                     event='migration_dest_driver',
                                     values={'progress': '0%'})
        if not compat.get('writable') and db.access_get_all_by_share(
                ctx, share.id):
            db.share_instance_update(ctx, source.id,
                                     {'cast_rules_to_readonly': True})
            self.manager.update_access(ctx, source.id)
        self.driver.migration_start(ctx, source, dest, snaps, caps)
        self._task(ctx, share.id,
                   states.TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS)
        return True

    def _host_assisted_start(self, ctx, share, source, dest, flags):
        snaps = db.snapshot_count_by_share(ctx, share.id)
        if (flags.get('writable') and not snaps
                and not flags.get('nondisruptive')
                and not flags.get('preserve_snapshots')):
            # Beyond upstream (which ends here in migration_error): the
            # data service copies in passes while the source stays
            # read-write (preserve_metadata: the engine keeps it).
            LOG.info('Driver cannot migrate %s; writable host-assisted '
                     'migration', share.id)
            self.manager.share_rpcapi.create_share_instance(
                ctx, dest.host, dest.id)
            return
        if any(flags.get(k) for k in _FLAG_KEYS) or snaps:
            LOG.warning('Host-assisted migration of %s cannot honour the '
                        'flags %s (or the share has snapshots)', share.id,
                        {k: flags.get(k) for k in _FLAG_KEYS})
            self._fail(ctx, share.id, source, dest,
                       task=states.TASK_STATE_MIGRATION_ERROR,
                       remove_dest=True)
            return
        db.share_instance_update(ctx, source.id,
                                 {'cast_rules_to_readonly': True})
        if db.access_get_all_by_share(ctx, share.id):
            self.manager.update_access(ctx, source.id)
        self.manager.share_rpcapi.create_share_instance(ctx, dest.host,
                                                        dest.id)

    # --- progress ------------------------------------------------------------
    def poll_all(self, ctx, *, stale_after=None):
        """Advance every migration whose source is on this backend.

        :param stale_after: seconds after which a step that waits on a
            message (``migration_starting``, ``migration_completing``)
            counts as lost and is recovered; default
            ``transition_redrive_after``.
        """
        if stale_after is None:
            stale_after = self.manager.conf.transition_redrive_after
        for source in db.share_instance_get_all_by_host(
                ctx, self.manager.host, statuses={states.STATUS_MIGRATING}):
            try:
                self.poll(ctx, source.share_id, stale_after=stale_after)
            except Exception:
                LOG.exception('Polling migration of %s failed',
                              source.share_id)

    def poll(self, ctx, share_id, *, stale_after=None):
        """Run the step for the share's ``task_state`` (``_STEPS``).

        :param stale_after: as for :meth:`poll_all`; ``None`` (a poll
            asked for over RPC) never treats a step as lost.
        """
        share = db.share_get(ctx, share_id)
        source, dest = self._pair(share)
        step = self._STEPS.get(share.task_state)
        if step is None or source is None:
            return
        stale = stale_after is not None and _unchanged_for(share,
                                                           stale_after)
        step(self, ctx, share, source, dest, stale)

    # Each step may run again after a restart: it re-reads what the
    # last run left and does only what is missing.
    def _step_starting(self, ctx, share, source, dest, stale):
        """The API's start never reached this service (a lost cast, or a
        scheduler that died): end in ``migration_error`` with the source
        as it was; its flags and destination were never stored, so it
        cannot be re-driven. Only after ``transition_redrive_after``,
        even at start-up: the start may still wait in the queue."""
        if stale and _unchanged_for(
                share, self.manager.conf.transition_redrive_after):
            LOG.warning('Migration of %s never started; giving up',
                        share.id)
            self._fail(ctx, share.id, source, dest,
                       task=states.TASK_STATE_MIGRATION_ERROR,
                       remove_dest=True)

    def _step_driver_starting(self, ctx, share, source, dest, stale):
        """Cut off inside the driver's start: undo it, as a failed start
        is undone."""
        if not stale:
            return
        LOG.warning('Driver start of the migration of %s was interrupted; '
                    'undoing it', share.id)
        if dest is not None:
            try:
                self.driver.migration_cancel(ctx, source, dest)
            except Exception:
                LOG.debug('Driver cancel after an interrupted start '
                          'raised', exc_info=True)
            db.share_instance_destroy(ctx, dest.id)
        self._fail(ctx, share.id, source, None,
                   task=states.TASK_STATE_MIGRATION_ERROR,
                   remove_dest=False)

    def _step_in_progress(self, ctx, share, source, dest, stale):
        if dest is not None:
            self._poll_destination(ctx, share, source, dest)
        elif stale:
            # Cut off between the task change and the destination's row.
            self._fail(ctx, share.id, source, None,
                       task=states.TASK_STATE_MIGRATION_ERROR,
                       remove_dest=False)

    def _step_driver(self, ctx, share, source, dest, stale):
        if dest is not None:
            self._poll_driver(ctx, share, source, dest)

    def _step_copy(self, ctx, share, source, dest, stale):
        if dest is not None:
            self._poll_copy(ctx, share, source, dest)

    def _step_copied(self, ctx, share, source, dest, stale):
        """A writable migration waiting for ``migration_complete``
        keeps its destination close."""
        if dest is not None and self.sync_of(ctx, share, source, dest):
            self.sync.poll_waiting(ctx, share, source, dest)

    def _step_copy_completing(self, ctx, share, source, dest, stale):
        """Cut off between the copy's two last task changes."""
        self._task(ctx, share.id, states.TASK_STATE_DATA_COPYING_COMPLETED)

    def _step_completing(self, ctx, share, source, dest, stale):
        if dest is not None and self.sync_of(ctx, share, source, dest):
            # Each poll does the next step of the final pass.
            self.sync.advance_final(ctx, share, source, dest)
        elif stale:
            LOG.info('Completing migration of %s again: its completion '
                     'was interrupted or never arrived', share.id)
            self.complete(ctx, share.id)

    def _step_cancelling(self, ctx, share, source, dest, stale):
        """A writable migration cancelled after ``migration_complete``:
        finish the cancel once its pass stopped (also after a restart)."""
        self.sync.poll_cancelling(ctx, share, source, dest)

    _STEPS = {
        states.TASK_STATE_MIGRATION_STARTING: _step_starting,
        states.TASK_STATE_MIGRATION_DRIVER_STARTING: _step_driver_starting,
        states.TASK_STATE_MIGRATION_IN_PROGRESS: _step_in_progress,
        states.TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS: _step_driver,
        states.TASK_STATE_DATA_COPYING_STARTING: _step_copy,
        states.TASK_STATE_DATA_COPYING_IN_PROGRESS: _step_copy,
        states.TASK_STATE_DATA_COPYING_COMPLETING: _step_copy_completing,
        states.TASK_STATE_DATA_COPYING_COMPLETED: _step_copied,
        states.TASK_STATE_MIGRATION_COMPLETING: _step_completing,
        states.TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS: _step_cancelling,
    }

    def _poll_driver(self, ctx, share, source, dest):
        try:
            done = self.driver.migration_continue(ctx, source, dest)
            progress = self.driver.migration_get_progress(ctx, source,
                                                          dest) or {}
        except Exception:
            LOG.exception('Driver migration of %s failed', share.id)
            try:
                self.driver.migration_cancel(ctx, source, dest)
            except Exception:
                LOG.debug('Driver cancel after failure raised',
                          exc_info=True)
            db.share_instance_destroy(ctx, dest.id)
            self._fail(ctx, share.id, source, None,
                       task=states.TASK_STATE_MIGRATION_ERROR,
                       remove_dest=False)
            return
        if 'total_progress' in progress:
            db.share_instance_update(ctx, dest.id, {
                'progress': '%d%%' % int(progress['total_progress'])})
        if done:
            db.share_instance_update(ctx, dest.id, {'progress': '100%'})
            self._task(ctx, share.id,
                       states.TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE)

    def _poll_destination(self, ctx, share, source, dest):
        """Host-assisted: wait for the destination, then start the copy."""
        if dest.status == states.STATUS_ERROR:
            self._fail(ctx, share.id, source, dest,
                       task=states.TASK_STATE_MIGRATION_ERROR,
                       remove_dest=True)
        elif dest.status in (states.STATUS_AVAILABLE,
                             states.STATUS_MIGRATING_TO):
            # migrating_to already: a predecessor died after this step
            # began; every part of it is done at most once.
            if dest.status == states.STATUS_AVAILABLE:
                db.share_instance_transition(
                    ctx, dest.id, states.STATUS_MIGRATING_TO,
                    sources={states.STATUS_AVAILABLE},
                    values={'progress': '0%'})
            self._task(ctx, share.id,
                       states.TASK_STATE_DATA_COPYING_STARTING)
            self._ask_for_copy(ctx, share.id, source, dest)

    @staticmethod
    def sync_of(ctx, share, source, dest):
        """Whether this is a writable host-assisted migration."""
        return migration_sync.is_writable(ctx, share, source, dest)

    def _ask_for_copy(self, ctx, share_id, source, dest):
        """Have the data service record (once) and start the copy job."""
        if not source.cast_rules_to_readonly:
            self.sync.ask(ctx, share_id, source, dest, 1)
            return
        self.manager.data_rpcapi.create_copy_job(
            ctx, share_id, source.id, dest.id,
            bool(self.manager.conf.check_hash))

    def _poll_copy(self, ctx, share, source, dest):
        if self.sync_of(ctx, share, source, dest):
            self.sync.poll_copy(ctx, share, source, dest)
            return
        job = self._job_for(ctx, share.id, dest)
        task = share.task_state
        lost_before = timeutils.utcnow() - datetime.timedelta(
            seconds=self.manager.conf.periodic_interval)
        if job is None:
            # The request may have been lost (a dead predecessor of this
            # service, a broker restart): ask again. The data service
            # records one job per destination, so a duplicate is a no-op.
            if _unchanged_for(share, self.manager.conf.periodic_interval):
                self._ask_for_copy(ctx, share.id, source, dest)
        elif job.state == states.JOB_QUEUED and job.created_at < (
                lost_before):
            # Likewise for the start (claiming a job is conditional).
            self.manager.data_rpcapi.start_copy_job(ctx, job.id)
        elif (job.state == states.JOB_RUNNING
                and task == states.TASK_STATE_DATA_COPYING_STARTING):
            self._task(ctx, share.id,
                       states.TASK_STATE_DATA_COPYING_IN_PROGRESS)
        elif job.state == states.JOB_COMPLETED:
            db.share_instance_update(ctx, dest.id, {'progress': '100%'})
            if task == states.TASK_STATE_DATA_COPYING_STARTING:
                self._task(ctx, share.id,
                           states.TASK_STATE_DATA_COPYING_IN_PROGRESS)
            self._task(ctx, share.id,
                       states.TASK_STATE_DATA_COPYING_COMPLETING)
            self._task(ctx, share.id,
                       states.TASK_STATE_DATA_COPYING_COMPLETED)
        else:
            self._poll_copy_ended(ctx, share, source, dest, job)

    def _poll_copy_ended(self, ctx, share, source, dest, job):
        """Phase 1's copy was cancelled or failed: undo."""
        if job.state == states.JOB_CANCELLED:
            self._task(ctx, share.id,
                       states.TASK_STATE_DATA_COPYING_CANCELLED)
            self._fail(ctx, share.id, source, dest,
                       task=states.TASK_STATE_MIGRATION_CANCELLED,
                       remove_dest=True)
        elif job.state == states.JOB_ERROR:
            LOG.warning('Copy job %s of %s failed: %s', job.id, share.id,
                        job.error_message)
            self._task(ctx, share.id, states.TASK_STATE_DATA_COPYING_ERROR)
            self._fail(ctx, share.id, source, dest,
                       task=states.TASK_STATE_MIGRATION_ERROR,
                       remove_dest=True)

    # --- phase 2 -------------------------------------------------------------
    def complete(self, ctx, share_id):
        share = db.share_get(ctx, share_id)
        if share.task_state != states.TASK_STATE_MIGRATION_COMPLETING:
            # Done already: a late cast after a re-driven completion.
            LOG.info('Not completing migration of %s: task_state is %s',
                     share_id, share.task_state)
            return
        source, dest = self._pair(share)
        if source is None or dest is None:
            LOG.warning('Cannot complete migration of %s: instances %s',
                        share_id, [(i.id, i.status) for i in share.instances])
            self._task(ctx, share_id, states.TASK_STATE_MIGRATION_ERROR)
            return
        if self.sync_of(ctx, share, source, dest):
            self.sync.advance_final(ctx, share, source, dest)
            return
        host_assisted = self._job_for(ctx, share_id, dest) is not None
        self._switch(ctx, share, source, dest, host_assisted=host_assisted)

    def _switch(self, ctx, share, source, dest, *, host_assisted,
                extra=None, source_last=False):
        """Phase 2's end: the destination becomes the share.

        :param source_last: remove the source after the switch, not
            before (its instance ``deleting`` meanwhile, which recovery
            finishes): its clients wait for no removal.
        :param extra: more of the ``share.migration.end`` payload, or a
            callable returning it at the switch.
        """
        share_id = share.id
        try:
            if host_assisted:
                if not source_last:
                    self.driver.delete_share(ctx, source)
            else:
                updates = self.driver.migration_complete(
                    ctx, source, dest) or {}
                if updates.get('export_locations') is not None:
                    db.export_locations_replace(
                        ctx, dest.id, updates['export_locations'])
                db.snapshot_instances_move(ctx, source.id, dest.id)
        except Exception:
            LOG.exception('Completing migration of %s failed', share_id)
            for inst in (source, dest):
                db.share_instance_transition(
                    ctx, inst.id, event='migration_complete_failed')
            self._task(ctx, share_id, states.TASK_STATE_MIGRATION_ERROR)
            return
        type_values = {}
        if dest.share_type_id:
            # The new type's capabilities become the share's (upstream).
            type_values = dict(type_specs.share_attributes_from_type(
                db.share_type_get(ctx, dest.share_type_id)),
                share_type_id=dest.share_type_id)
        replica_state = (states.REPLICA_STATE_ACTIVE
                         if type_values.get('replication_type',
                                            share.replication_type)
                         else None)
        with db.writer(ctx):
            db.share_instance_transition(
                ctx, dest.id, event='migration_complete_done',
                values={'progress': '100%', 'cast_rules_to_readonly': False})
            db.replica_state_transition(ctx, dest.id, replica_state,
                                        event='migrated')
            if source_last:
                db.share_instance_transition(
                    ctx, source.id, event='migration_source_retire')
                db.share_instance_transition(ctx, source.id, event='delete')
            else:
                db.share_instance_destroy(ctx, source.id)
            db.share_task_state_transition(
                ctx, share_id, event='migration_done', values=type_values)
        if db.access_get_all_by_share(ctx, share_id):
            self.manager.share_rpcapi.update_access(ctx, dest.host, dest.id)
        if callable(extra):
            extra = extra()
        self.manager.notifier.info(ctx, 'share.migration.end', dict(
            extra or {}, share_id=share_id, host=dest.host,
            host_assisted=host_assisted))
        if source_last:
            try:
                self.driver.delete_share(ctx, source)
            except Exception:
                # Left ``deleting``: recovery finishes it.
                LOG.exception('Removing the source %s of the migrated '
                              'share %s failed', source.id, share_id)
                return
            db.share_instance_destroy(ctx, source.id)

    def cancel(self, ctx, share_id):
        share = db.share_get(ctx, share_id)
        source, dest = self._pair(share)
        task = share.task_state
        if task == states.TASK_STATE_DATA_COPYING_IN_PROGRESS:
            job = self._job_for(ctx, share_id, dest)
            if job is None:
                return
            if job.state not in (states.JOB_COMPLETED, states.JOB_ERROR):
                # The data service stops it; the poll cleans up then.
                self.manager.data_rpcapi.cancel_copy_job(ctx, job.id)
                return
            # The copy ended just before the cancel: undo it here.
            self._fail(ctx, share_id, source, dest,
                       task=states.TASK_STATE_MIGRATION_CANCELLED,
                       remove_dest=True)
        elif task in (states.TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS,
                    states.TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE):
            try:
                self.driver.migration_cancel(ctx, source, dest)
            except Exception:
                LOG.exception('Driver cancel of %s failed', share_id)
                self._task(ctx, share_id, states.TASK_STATE_MIGRATION_ERROR)
                return
            db.share_instance_destroy(ctx, dest.id)
            self._fail(ctx, share_id, source, None,
                       task=states.TASK_STATE_MIGRATION_CANCELLED,
                       remove_dest=False)
        elif task == states.TASK_STATE_DATA_COPYING_COMPLETED:
            self._fail(ctx, share_id, source, dest,
                       task=states.TASK_STATE_MIGRATION_CANCELLED,
                       remove_dest=True)
        elif (task == states.TASK_STATE_MIGRATION_COMPLETING
                and source is not None and dest is not None
                and self.sync_of(ctx, share, source, dest)):
            # Beyond upstream: a writable migration is cancelled up to
            # its switch, the read-only final pass included.
            self.sync.cancel_final(ctx, share, source, dest)
        elif task in (states.TASK_STATE_MIGRATION_SUCCESS,
                      states.TASK_STATE_MIGRATION_CANCELLED,
                      states.TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS):
            # A cancel that lost the race with the switch, or a repeat.
            LOG.info('Not cancelling migration of %s: task_state is %s',
                     share_id, task)
        else:
            raise exceptions.InvalidShare(
                reason='cannot cancel migration in %s' % task)
