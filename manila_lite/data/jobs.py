"""Copy jobs run by the data service: claim, copy, record, cancel, resume.

A job is a row of ``data_copy_jobs``; the data service that claims it
(a conditional ``queued -> running`` update naming itself as owner) runs
the copy engine in a thread of its own and writes progress to the row at
the engine's bounded reporting rate, together with a heartbeat. Anyone
may cancel a job by moving the row to ``cancelling``: the owner notices
at its next progress write (at most ``progress_interval`` later) and
stops the engine. Because the engine keeps a checkpoint file, a data
service restarting after a crash resumes its own running jobs, and any
data service may take over a job whose owner stopped heartbeating.

No RPC here: ``data/manager.py`` exposes this over the wire.
"""

import calendar
import datetime
import os
import threading
import time

from oslo_log import log as logging
from oslo_utils import timeutils

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.data import access as data_access
from manila_lite.db import api as db

LOG = logging.getLogger(__name__)

#: States in which the owner keeps copying.
_ACTIVE = frozenset({states.JOB_RUNNING})
#: A writable migration's pass copies again what changed this close
#: (seconds) before the previous pass was recorded: within a file
#: system clock's granularity a change may keep size and mtime.
RECHECK_SLACK = 1.0


def _epoch_ns(when):
    """A naive UTC datetime as nanoseconds since the epoch."""
    return (calendar.timegm(when.timetuple()) * 10 ** 9
            + when.microsecond * 1000)


class JobRunner:
    def __init__(self, conf, host, *, access=None, on_finished=None):
        self.conf = conf
        self.host = host
        self.access = access or data_access.get_access_helper()
        #: Called as ``on_finished(ctx, job)`` after a job ended.
        self.on_finished = on_finished
        self._lock = threading.Lock()
        self._running = {}
        self._stopping = False

    # --- public ------------------------------------------------------------
    def start(self, ctx, job_id):
        """Claim a queued job and start copying; False if not ours (or
        if this runner is stopping: the job stays queued for another
        data service, or for this one's next start)."""
        if self._stopping:
            return False
        with self._lock:
            # Recorded as ours in the claim's shadow: a recovery reading
            # the job as running and ours skips it (it would run twice).
            claimed = db.data_copy_job_transition(
                ctx, job_id, event='claim', values={
                    'owner': self.host, 'heartbeat_at': timeutils.utcnow()})
            if claimed:
                self._running[job_id] = (None, None)
        if claimed:
            self._spawn(job_id)
        return claimed

    def create(self, ctx, *, share_id, src_instance_id, dest_instance_id,
               verify, sync_pass=None, final=False, readonly_at=None):
        """The ``queued`` job copying into ``dest_instance_id`` (pass
        ``sync_pass`` of a writable migration): the one recorded already,
        else a new one.

        Requests for one destination (a re-sent one, taken by another
        data service) take the destination instance's row first, so they
        run one after the other and record one job.
        """
        with db.writer(ctx):
            db.share_instance_update(ctx, dest_instance_id,
                                     {'updated_at': timeutils.utcnow()})
            for job in db.data_copy_job_get_all(ctx, share_id=share_id):
                if (job.dest_instance_id == dest_instance_id
                        and job.sync_pass == sync_pass):
                    return job
            return db.data_copy_job_create(ctx, dict(
                share_id=share_id, src_instance_id=src_instance_id,
                dest_instance_id=dest_instance_id, state=states.JOB_QUEUED,
                verify=bool(verify), sync_pass=sync_pass,
                incremental=bool(sync_pass and sync_pass > 1),
                final=bool(final),
                readonly_at=None if readonly_at is None
                else float(readonly_at)))

    def cancel(self, ctx, job_id):
        """Ask for a job to stop, wherever it runs.

        A queued job is cancelled at once; a running one moves to
        ``cancelling`` and its owner stops it.
        """
        if db.data_copy_job_transition(
                ctx, job_id, event='cancel_queued',
                values={'finished_at': timeutils.utcnow()}):
            return
        db.data_copy_job_transition(ctx, job_id, event='cancel')
        with self._lock:
            engine = self._running.get(job_id, (None, None))[1]
        if engine is not None:
            engine.cancel()

    def recover(self, ctx):
        """Resume our own running jobs and adopt orphans of dead owners.

        Called at start-up and periodically.
        """
        stale_before = timeutils.utcnow() - datetime.timedelta(
            seconds=self.conf.service_down_time)
        for job in db.data_copy_job_get_all(
                ctx, states_in={states.JOB_RUNNING, states.JOB_CANCELLING}):
            with self._lock:
                if job.id in self._running:
                    continue
            mine = job.owner == self.host
            stale = job.heartbeat_at is None or job.heartbeat_at < stale_before
            if not (mine or stale):
                continue
            if job.state == states.JOB_CANCELLING:
                db.data_copy_job_transition(
                    ctx, job.id, event='cancelled',
                    values={'finished_at': timeutils.utcnow()})
                continue
            # Take it over only if nobody else did meanwhile.
            if db.data_copy_job_update(
                    ctx, job.id, {'owner': self.host,
                                  'heartbeat_at': timeutils.utcnow()},
                    states_in={states.JOB_RUNNING}):
                LOG.info('Resuming copy job %s (was owned by %s)', job.id,
                         job.owner)
                self._spawn(job.id)

    def active_jobs(self):
        with self._lock:
            return list(self._running)

    def stop_all(self, wait=5):
        """Stop copying (service shutdown); jobs stay ``running`` so a
        restart resumes them from their checkpoints."""
        with self._lock:
            self._stopping = True
            running = list(self._running.values())
        for _thread, engine in running:
            if engine is not None:
                engine.cancel()
        for thread, _engine in running:
            if thread is not None:
                thread.join(wait)

    # --- internals ---------------------------------------------------------
    def _checkpoint_path(self, job_id):
        directory = os.path.join(self.conf.state_path, 'data-checkpoints')
        os.makedirs(directory, exist_ok=True)
        return os.path.join(directory, '%s.ckpt' % job_id)

    def _spawn(self, job_id):
        thread = threading.Thread(target=self._run, args=(job_id,),
                                  name='copy-%s' % job_id, daemon=True)
        with self._lock:
            self._running[job_id] = (thread, None)
        thread.start()

    def _run(self, job_id):
        ctx = context.get_admin_context()
        src = dest = None
        src_path = dest_path = None
        try:
            job = db.data_copy_job_get(ctx, job_id)
            src = db.share_instance_get(ctx, job.src_instance_id)
            dest = db.share_instance_get(ctx, job.dest_instance_id)
            src_path = self.access.attach(src)
            dest_path = self.access.attach(dest)
            checkpoint = job.checkpoint_path or self._checkpoint_path(job_id)
            db.data_copy_job_update(ctx, job_id, {
                'checkpoint_path': checkpoint, 'passes': job.passes + 1})
            # Imported here: the engine is only needed once a job runs.
            from manila_lite.data import copy as copy_engine

            engine = copy_engine.CopyJob(
                src_path, dest_path,
                workers=self.conf.data_copy_workers,
                progress_interval=self.conf.data_progress_interval,
                verify=job.verify or self.conf.check_hash,
                algorithm=self.conf.check_hash_algorithm,
                incremental=job.incremental,
                checkpoint=checkpoint,
                ignore=tuple(self.conf.migration_ignore_files),
                progress=lambda p: self._progress(ctx, job_id, engine, p,
                                                  dest.id),
                **self._pass_options(ctx, job))
            with self._lock:
                self._running[job_id] = (self._running[job_id][0], engine)
                if self._stopping:
                    # stop_all came while this job was still starting.
                    engine.cancel()
            result = engine.run()
            self._finish(ctx, job_id, result, checkpoint)
        except Exception as exc:
            LOG.exception('Copy job %s failed', job_id)
            db.data_copy_job_transition(
                ctx, job_id, states.JOB_ERROR, event='finish', values={
                    'error_message': str(exc)[:2000],
                    'finished_at': timeutils.utcnow()})
        finally:
            for instance, path in ((src, src_path), (dest, dest_path)):
                if path is not None:
                    self.access.detach(instance, path)
            with self._lock:
                self._running.pop(job_id, None)
        if self.on_finished is not None:
            try:
                self.on_finished(ctx, db.data_copy_job_get(ctx, job_id))
            except Exception:
                LOG.exception('Completion hook of copy job %s failed',
                              job_id)

    @staticmethod
    def _pass_options(ctx, job):
        """Engine options of a writable migration's pass: its source is
        in use (an entry removed meanwhile is left to the next pass,
        except on the read-only final pass), files changed close to the
        previous pass are copied again, what has not changed since it
        is trusted (no look at the destination), and the final pass
        verifies what it copies, not the whole share."""
        if job.sync_pass is None:
            return {}
        options = {'live': not job.final, 'verify_unchanged': False}
        if job.sync_pass == 1:
            return options
        # Since the last pass that went through every file (one that was
        # cancelled or failed may have left changes older than itself).
        done = [j for j in db.data_copy_job_get_all(
            ctx, share_id=job.share_id)
            if j.dest_instance_id == job.dest_instance_id
            and j.sync_pass is not None and j.sync_pass < job.sync_pass
            and j.state == states.JOB_COMPLETED]
        since = max((j.created_at for j in done), default=None)
        options['recheck_after_ns'] = 0 if since is None else (
            _epoch_ns(since) - int(RECHECK_SLACK * 10 ** 9))
        # That pass made the destination the source as it was then:
        # what has not changed since needs no look at the destination.
        options['trust_unchanged'] = since is not None
        return options

    def _progress(self, ctx, job_id, engine, progress, dest_id=None):
        values = {
            'bytes_total': progress.bytes_total,
            'bytes_done': progress.bytes_done,
            'files_total': progress.files_total,
            'files_done': progress.files_done,
            'rate_bps': float(getattr(progress, 'rate_bps', 0.0) or 0.0),
            'current_path': (getattr(progress, 'current_path', None)
                             or None),
            'heartbeat_at': timeutils.utcnow(),
        }
        if values['current_path']:
            values['current_path'] = values['current_path'][-4000:]
        try:
            still_running = db.data_copy_job_update(
                ctx, job_id, values, states_in=_ACTIVE)
        except Exception:
            LOG.exception('Could not record progress of job %s', job_id)
            return
        if not still_running:
            engine.cancel()
            return
        if dest_id is not None and progress.bytes_total:
            # Mirrored on the destination so share views need no join.
            percent = min(99, int(progress.bytes_done * 100
                                  / progress.bytes_total))
            try:
                db.share_instance_update(ctx, dest_id,
                                         {'progress': '%d%%' % percent})
            except Exception:
                LOG.debug('Could not mirror progress of %s', job_id,
                          exc_info=True)

    def _finish(self, ctx, job_id, result, checkpoint):
        outcome = {
            'completed': states.JOB_COMPLETED,
            'cancelled': states.JOB_CANCELLED,
        }.get(result.state, states.JOB_ERROR)
        job = db.data_copy_job_get(ctx, job_id)
        if outcome == states.JOB_CANCELLED and job.state == states.JOB_RUNNING:
            # Stopped by our own shutdown, not by a user: resume later.
            return
        if job.state == states.JOB_CANCELLING:
            # A cancel asked for before the last file landed still wins:
            # the caller is about to throw the destination away.
            outcome = states.JOB_CANCELLED
        values = {
            'bytes_total': result.bytes_total,
            'bytes_done': result.bytes_done,
            'files_total': result.files_total,
            'files_done': result.files_done,
            'bytes_copied': result.bytes_copied,
            'files_changed': result.files_copied + result.removed,
            'elapsed': result.elapsed,
            'verify_algorithm': getattr(result, 'algorithm', '') or None,
            'final_window': (time.time() - job.readonly_at
                             if job.final and job.readonly_at else None),
            'current_path': None,
            'finished_at': timeutils.utcnow(),
        }
        if outcome == states.JOB_ERROR:
            mismatches = list(getattr(result, 'mismatches', ()) or ())
            message = str(getattr(result, 'error', '') or '')
            if mismatches:
                message = ('checksum mismatch on %d file(s): %s'
                           % (len(mismatches), ', '.join(mismatches[:10])))
            values['error_message'] = message[:2000] or 'copy failed'
        db.data_copy_job_transition(ctx, job_id, outcome, event='finish',
                                    values=values)
        if outcome == states.JOB_COMPLETED:
            try:
                os.unlink(checkpoint)
            except FileNotFoundError:
                pass
