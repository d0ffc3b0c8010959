"""Writable host-assisted migration: passes while the share stays in use.

Upstream makes the source read-only for the whole host-assisted copy,
and ends a ``writable=True`` migration the driver cannot do in
``migration_error``. Here, when the driver declines, the data service
copies while the source stays read-write, in passes recorded as one copy
job each (``data_copy_jobs.sync_pass``):

* phase 1: pass 1 copies everything, then incremental passes copy what
  changed (deletions and renames propagated, files changed mid-copy
  copied again) until a pass copies fewer than ``migration_sync_bytes``
  and changes fewer than ``migration_sync_files`` files, or after
  ``migration_sync_max_passes``; then ``data_copying_completed``;
* while the share waits for ``migration_complete``, a pass every
  ``migration_sync_interval`` seconds keeps the destination close;
* ``migration_complete``: a running pass is stopped, the source's rules
  become read-only, one final verified pass runs, then the switch. The
  read-only window is recorded on the final job and reported in the
  progress details, the ``share.migration.end`` notification and the
  log.
* ``migration_cancel`` at any point before the switch, the final pass
  included (beyond upstream, which refuses a cancel once
  ``migration_completing``): ``migration_cancel_in_progress`` shuts the
  switch out, the data service stops whatever pass runs, then the
  source is exported read-write again, the destination removed, and the
  share ends ``migration_cancelled``, available at its source.

A migration is writable when its source was left read-write at the
start (``cast_rules_to_readonly`` false while host-assisted) and, once
copy jobs exist, when they carry pass numbers. Every step re-reads the
jobs and does only what is missing, so a share or data service killed at
any pass resumes (one job per destination and pass is recorded, however
often it is asked for).
"""

import calendar
import datetime
import time

from oslo_log import log as logging
from oslo_utils import timeutils

from manila_lite.common import states
from manila_lite.db import api as db

LOG = logging.getLogger(__name__)

_LIVE = frozenset({states.JOB_QUEUED, states.JOB_RUNNING,
                   states.JOB_CANCELLING})
#: Final passes tried before the migration ends in error (the source
#: writable again).
FINAL_ATTEMPTS = 2


def passes_of(ctx, share_id, dest):
    """The pass jobs into ``dest``, in pass order."""
    jobs = [j for j in db.data_copy_job_get_all(ctx, share_id=share_id)
            if dest is not None and j.dest_instance_id == dest.id]
    return sorted(jobs, key=lambda j: (j.sync_pass or 0, j.created_at))


_COPYING = frozenset({states.TASK_STATE_DATA_COPYING_STARTING,
                      states.TASK_STATE_DATA_COPYING_IN_PROGRESS})


def is_writable(ctx, share, source, dest):
    jobs = passes_of(ctx, share.id, dest)
    if jobs:
        return jobs[-1].sync_pass is not None
    # Before its first job is recorded; a driver-assisted migration
    # never copies through the data service.
    return (share.task_state in _COPYING and source is not None
            and not source.cast_rules_to_readonly)


def _older_than(when, seconds):
    return when is None or when < (
        timeutils.utcnow() - datetime.timedelta(seconds=seconds))


def details(ctx, share_id):
    """Progress details of a writable migration (empty otherwise):
    ``pass``, what the last finished pass changed, the estimated final
    window (the last finished pass's duration) and, once the source went
    read-only, how long it has been so (``readonly_seconds``) or, once
    the final pass ended, how long it was until then
    (``final_window_seconds``; the switch follows in one transaction).
    """
    jobs = [j for j in db.data_copy_job_get_all(ctx, share_id=share_id)
            if j.sync_pass is not None]
    if not jobs:
        return {}
    jobs.sort(key=lambda j: (j.dest_instance_id, j.sync_pass))
    current = max(jobs, key=lambda j: (j.created_at, j.sync_pass))
    mine = [j for j in jobs if j.dest_instance_id == current.dest_instance_id]
    done = [j for j in mine if j.state == states.JOB_COMPLETED]
    out = {'pass': current.sync_pass, 'final_pass': bool(current.final)}
    if done:
        last = done[-1]
        out.update(
            bytes_changed_last_pass=last.bytes_copied,
            files_changed_last_pass=last.files_changed,
            estimated_final_window_seconds=round(last.elapsed or 0.0, 3))
    if current.final and current.final_window is not None:
        out['final_window_seconds'] = round(current.final_window, 3)
    elif current.final and current.readonly_at is not None:
        out['readonly_seconds'] = round(
            time.time() - current.readonly_at, 3)
    return out


class WritableSync:
    """The steps of a writable migration, called by ``MigrationFlows``
    (``share/migration.py``) under the share manager's migration lock."""

    def __init__(self, flows):
        self.flows = flows
        self.manager = flows.manager
        #: share id -> when this process made its source read-only
        self._readonly_since = {}

    @property
    def conf(self):
        return self.manager.conf

    def ask(self, ctx, share_id, source, dest, sync_pass, *, final=False,
            readonly_at=None):
        self.manager.data_rpcapi.create_copy_job(
            ctx, share_id, source.id, dest.id,
            bool(final or self.conf.check_hash), sync_pass=sync_pass,
            final=final,
            readonly_at=readonly_at)

    def _restart_if_lost(self, ctx, job):
        if job.state == states.JOB_QUEUED and _older_than(
                job.created_at, self.conf.periodic_interval):
            self.manager.data_rpcapi.start_copy_job(ctx, job.id)

    def _settled(self, job):
        """Whether phase 1 may end after this completed pass."""
        return (job.sync_pass >= self.conf.migration_sync_max_passes
                or (job.bytes_copied < self.conf.migration_sync_bytes
                    and job.files_changed < self.conf.migration_sync_files))

    # --- phase 1 -------------------------------------------------------------
    def poll_copy(self, ctx, share, source, dest):
        """``data_copying_starting`` / ``data_copying_in_progress``."""
        flows = self.flows
        task = share.task_state
        jobs = passes_of(ctx, share.id, dest)
        job = jobs[-1] if jobs else None
        if job is None:
            if _older_than(share.updated_at or share.created_at,
                           self.conf.periodic_interval):
                self.ask(ctx, share.id, source, dest, 1)
            return
        if job.state in _LIVE:
            self._restart_if_lost(ctx, job)
            if (job.state == states.JOB_RUNNING
                    and task == states.TASK_STATE_DATA_COPYING_STARTING):
                flows._task(ctx, share.id,
                            states.TASK_STATE_DATA_COPYING_IN_PROGRESS)
            return
        if job.state == states.JOB_COMPLETED:
            if task == states.TASK_STATE_DATA_COPYING_STARTING:
                flows._task(ctx, share.id,
                            states.TASK_STATE_DATA_COPYING_IN_PROGRESS)
            if not self._settled(job):
                LOG.info('Writable migration of %s: pass %d copied %d '
                         'bytes, changed %d files; another pass',
                         share.id, job.sync_pass, job.bytes_copied,
                         job.files_changed)
                self.ask(ctx, share.id, source, dest, job.sync_pass + 1)
                return
            LOG.info('Writable migration of %s: phase 1 done after pass '
                     '%d (%d bytes, %d files changed in it, %.3f s)',
                     share.id, job.sync_pass, job.bytes_copied,
                     job.files_changed, job.elapsed or 0.0)
            db.share_instance_update(ctx, dest.id, {'progress': '100%'})
            flows._task(ctx, share.id,
                        states.TASK_STATE_DATA_COPYING_COMPLETING)
            flows._task(ctx, share.id,
                        states.TASK_STATE_DATA_COPYING_COMPLETED)
        elif (job.state == states.JOB_ERROR and job.sync_pass > 1
                and job.sync_pass < self.conf.migration_sync_max_passes):
            # The share changed under an incremental pass in a way it
            # could not settle: the next pass sees the tree anew.
            LOG.warning('Writable migration of %s: pass %d failed (%s); '
                        'another pass', share.id, job.sync_pass,
                        job.error_message)
            self.ask(ctx, share.id, source, dest, job.sync_pass + 1)
        else:
            flows._poll_copy_ended(ctx, share, source, dest, job)

    def poll_waiting(self, ctx, share, source, dest):
        """``data_copying_completed``: keep the destination close."""
        jobs = passes_of(ctx, share.id, dest)
        if not jobs:
            return
        job = jobs[-1]
        if job.state in _LIVE:
            self._restart_if_lost(ctx, job)
            return
        if _older_than(job.finished_at or job.updated_at,
                       self.conf.migration_sync_interval):
            LOG.debug('Writable migration of %s: keep-close pass %d',
                      share.id, job.sync_pass + 1)
            self.ask(ctx, share.id, source, dest, job.sync_pass + 1)

    # --- phase 2 -------------------------------------------------------------
    def advance_final(self, ctx, share, source, dest):
        """``migration_completing``: stop a running pass, make the source
        read-only, run the final pass, then switch. Idempotent: each
        call does the next missing step."""
        jobs = passes_of(ctx, share.id, dest)
        job = jobs[-1] if jobs else None
        finals = [j for j in jobs if j.final]
        if job is not None and not job.final and job.state in _LIVE:
            # A keep-close pass still runs: stop it; its end polls again.
            if job.state != states.JOB_CANCELLING:
                self.manager.data_rpcapi.cancel_copy_job(ctx, job.id)
            return
        if job is None or not job.final or (
                job.state == states.JOB_ERROR
                and len(finals) < FINAL_ATTEMPTS):
            self._final_pass(ctx, share, source, dest, job)
            return
        if job.state in _LIVE:
            self._restart_if_lost(ctx, job)
            return
        if job.state == states.JOB_COMPLETED:
            def figures():
                # At the switch: the destination serves from now on.
                window = time.time() - job.readonly_at
                LOG.info('Writable migration of %s: final pass %d copied '
                         '%d bytes, changed %d files; read-only for %.3f s '
                         '(%.3f s until the final pass ended)', share.id,
                         job.sync_pass, job.bytes_copied, job.files_changed,
                         window, job.final_window or 0.0)
                return {'writable': True, 'passes': job.sync_pass,
                        'readonly_window_seconds': round(window, 3),
                        'final_window_seconds': round(
                            job.final_window or 0.0, 3),
                        'final_pass_bytes': job.bytes_copied,
                        'final_pass_files': job.files_changed}

            self.flows._switch(ctx, share, source, dest, host_assisted=True,
                               extra=figures, source_last=True)
            self._readonly_since.pop(share.id, None)
            return
        LOG.error('Final pass of the migration of %s ended %s (%s); the '
                  'share stays on its source, writable', share.id,
                  job.state, job.error_message)
        self._readonly_since.pop(share.id, None)
        self.flows._fail(ctx, share.id, source, dest,
                         task=states.TASK_STATE_MIGRATION_ERROR,
                         remove_dest=True)

    # --- cancel after migration_complete ---------------------------------
    def cancel_final(self, ctx, share, source, dest):
        """``migration_cancel`` while ``migration_completing``: no switch
        from now on (the task state leaves ``migration_completing`` under
        the migration lock the switch runs under), then as
        :meth:`poll_cancelling`."""
        db.share_task_state_transition(ctx, share.id,
                                       event='final_pass_cancel')
        LOG.info('Writable migration of %s: cancelled before the switch; '
                 'stopping its pass', share.id)
        self._readonly_since.pop(share.id, None)
        self.poll_cancelling(ctx, share, source, dest)

    def poll_cancelling(self, ctx, share, source, dest):
        """``migration_cancel_in_progress``: once no pass runs any more,
        the source becomes read-write again (synchronously: when the
        task state says cancelled, its exports say so), the destination
        goes, and the share ends ``migration_cancelled``. Idempotent."""
        live = [j for j in passes_of(ctx, share.id, dest)
                if j.state in _LIVE]
        for job in live:
            if job.state != states.JOB_CANCELLING:
                self.manager.data_rpcapi.cancel_copy_job(ctx, job.id)
        if live:
            return  # the data service's report of the end polls again
        db.share_instance_transition(
            ctx, source.id, event='migration_source_restore',
            values={'cast_rules_to_readonly': False})
        if db.access_get_all_by_share(ctx, share.id):
            self.manager.update_access(ctx, source.id)
        if dest is not None:
            self.flows._remove_dest(ctx, dest)
        db.share_task_state_transition(ctx, share.id,
                                       event='final_pass_cancelled')
        LOG.info('Writable migration of %s cancelled: the share is '
                 'writable at its source', share.id)

    def _final_pass(self, ctx, share, source, dest, last):
        if not source.cast_rules_to_readonly:
            db.share_instance_update(ctx, source.id,
                                     {'cast_rules_to_readonly': True})
            rules = db.access_get_all_by_share(ctx, share.id)
            # The window opens as the exports are rewritten read-only
            # (the flag above alone changes nothing for clients).
            readonly_at = self._readonly_since[share.id] = time.time()
            if rules:
                # Synchronous: the final pass starts only once the
                # source's exports are read-only.
                self.manager.update_access(ctx, source.id)
                if db.share_instance_get(ctx, source.id).access_rules_status \
                        == states.ACCESS_RULES_STATUS_ERROR:
                    LOG.error('Migration of %s: the source could not be '
                              'made read-only; it stays writable where '
                              'it is', share.id)
                    self.flows._fail(ctx, share.id, source, dest,
                                     task=states.TASK_STATE_MIGRATION_ERROR,
                                     remove_dest=True)
                    return
        elif share.id in self._readonly_since:
            # Asked again before the final pass was recorded.
            readonly_at = self._readonly_since[share.id]
        else:
            # A predecessor was cut off here: about since the source's
            # row last changed.
            when = source.updated_at or timeutils.utcnow()
            readonly_at = (calendar.timegm(when.timetuple())
                           + when.microsecond / 1e6)
        number = (last.sync_pass + 1) if last is not None else 1
        LOG.info('Writable migration of %s: source read-only; final pass '
                 '%d', share.id, number)
        self.ask(ctx, share.id, source, dest, number, final=True,
                 readonly_at=readonly_at)
