"""Backups and restores run by the data service, as copy-engine jobs.

A ``share_backups`` row in ``creating``, ``restoring`` or ``deleting``
is a job of the data service: the one that claims it (``owner``, a
conditional update) runs it in a thread of its own and writes progress
(``progress`` / ``restore_progress`` as upstream shows them, plus bytes
and files) and a heartbeat to the row at the engine's bounded rate.

* **Backup**: the copy engine copies the share's instance into the
  store's tree for the backup, with ``link_dest`` the tree of the
  share's previous ``available`` backup in the same store, so a file
  unchanged since then is a hard link to it (``bytes_shared``) and only
  changed files are copied (``bytes_copied``). Every backup is a
  complete tree; deleting one removes only its own links.
* **Restore**: the engine copies the backup's tree onto the share's
  instance incrementally (changed files copied, files the backup lacks
  removed), so the share ends equal to the tree at backup time. Both
  trees are reached through ``safefs``: a link in either is copied as a
  link, never followed.
* **Delete**: the store removes the tree, then the row goes.

A progress write is conditional on the row's status: a row an admin
moved elsewhere (``reset_status``) stops its engine at the next write;
that is how a backup is cancelled. Each job keeps a checkpoint file, so
a data service restarting after a crash resumes its own jobs
(``recover``), and adopts those whose owner stopped heartbeating.

No RPC here: ``data/manager.py`` exposes this over the wire.
"""

import datetime
import os
import threading
import time

from oslo_log import log as logging
from oslo_utils import timeutils

from manila_lite import backup as backup_stores
from manila_lite.common import context
from manila_lite.common import messages
from manila_lite.common import states
from manila_lite.data import access as data_access
from manila_lite.data import jobs
from manila_lite.db import api as db
from manila_lite.db import backups as backup_db
from manila_lite.db import messages as msg_db

LOG = logging.getLogger(__name__)


def _percent(done, total):
    if not total:
        return '0'
    return str(min(99, int(done * 100 / total)))


class BackupRunner:
    def __init__(self, conf, host, *, access=None):
        self.conf = conf
        self.host = host
        self.access = access or data_access.get_access_helper()
        self._lock = threading.Lock()
        self._running = {}
        self._claiming = set()
        self._stopping = False

    # --- public ------------------------------------------------------------
    def start(self, ctx, backup_id):
        """Claim the backup's job and run it; False if another data
        service owns it (or this runner is stopping)."""
        if self._stopping:
            return False
        with self._lock:
            # The cast and the periodic recovery may both start it: the
            # database claim does not tell them apart (same owner), so
            # one of them claims here first.
            if backup_id in self._running or backup_id in self._claiming:
                return False
            self._claiming.add(backup_id)
        try:
            return self._claim(ctx, backup_id)
        finally:
            with self._lock:
                self._claiming.discard(backup_id)

    def _claim(self, ctx, backup_id):
        try:
            backup = backup_db.backup_get(ctx, backup_id)
        except Exception:
            LOG.info('Backup %s is gone; nothing to do', backup_id)
            return False
        if backup.status not in states.BACKUP_TRANSITIONAL:
            return False
        stale_before = timeutils.utcnow() - datetime.timedelta(
            seconds=self.conf.service_down_time)
        if backup.owner not in (None, self.host) and (
                backup.heartbeat_at is not None
                and backup.heartbeat_at >= stale_before):
            return False
        claimed = backup_db.backup_update(
            ctx, backup_id, {'owner': self.host,
                             'heartbeat_at': timeutils.utcnow()},
            states_in={backup.status})
        if claimed:
            self._spawn(backup_id)
        return claimed

    def recover(self, ctx):
        """Resume our own interrupted jobs, adopt orphans (no owner, or
        an owner that stopped heartbeating). Start-up and periodic."""
        for backup in backup_db.backup_get_all(
                ctx, filters=None, sort_key='created_at', sort_dir='asc'):
            if backup.status not in states.BACKUP_TRANSITIONAL:
                continue
            with self._lock:
                if backup.id in self._running:
                    continue
            if self.start(ctx, backup.id):
                LOG.info('Resuming %s of backup %s (was owned by %s)',
                         backup.status, backup.id, backup.owner)
        self._release_orphaned_shares(ctx)

    def _release_orphaned_shares(self, ctx):
        """A share left ``backup_creating`` with no backup running (an
        admin reset its backup) is ``available`` again: a backup never
        changes it. One left ``backup_restoring`` may hold part of a
        restore: ``backup_restoring_error``, for an admin to check."""
        for inst in backup_db.instances_held_by_no_backup(ctx):
            new = (states.STATUS_AVAILABLE
                   if inst.status == states.STATUS_BACKUP_CREATING
                   else states.STATUS_BACKUP_RESTORING_ERROR)
            try:
                db.share_instance_transition(ctx, inst.id, new,
                                             sources={inst.status})
            except Exception:
                continue  # moved meanwhile
            LOG.info('Share instance %s held by no backup job: %s -> %s',
                     inst.id, inst.status, new)

    def active(self):
        with self._lock:
            return list(self._running)

    #: Service shutdown: stop copying; rows keep their status, so a
    #: restart resumes them from their checkpoints (the copy jobs' own).
    stop_all = jobs.JobRunner.stop_all

    # --- internals ---------------------------------------------------------
    def _checkpoint_path(self, backup_id, kind):
        directory = os.path.join(self.conf.state_path, 'data-checkpoints')
        os.makedirs(directory, exist_ok=True)
        return os.path.join(directory, '%s-%s.ckpt' % (kind, backup_id))

    def _spawn(self, backup_id):
        thread = threading.Thread(target=self._run, args=(backup_id,),
                                  name='backup-%s' % backup_id, daemon=True)
        with self._lock:
            self._running[backup_id] = (thread, None)
        thread.start()

    def _set_engine(self, backup_id, engine):
        with self._lock:
            self._running[backup_id] = (self._running[backup_id][0], engine)
            if self._stopping:
                engine.cancel()

    def _run(self, backup_id):
        ctx = context.get_admin_context()
        try:
            backup = backup_db.backup_get(ctx, backup_id)
            store = backup_stores.get_store(self.conf, backup.store)
            if backup.status == states.BACKUP_CREATING:
                self._backup(ctx, backup, store)
            elif backup.status == states.BACKUP_RESTORING:
                self._restore(ctx, backup, store)
            elif backup.status == states.BACKUP_DELETING:
                self._delete(ctx, backup, store)
        except Exception as exc:
            LOG.exception('Job of backup %s failed', backup_id)
            self._fail(ctx, backup_id, str(exc))
        finally:
            with self._lock:
                self._running.pop(backup_id, None)

    def _instance(self, ctx, share_id):
        share = db.share_get(ctx, share_id)
        instance = share.instance
        if instance is None:
            raise RuntimeError('share %s has no instance' % share_id)
        return instance

    def _engine(self, ctx, backup, src, dest, *, status, field,
                incremental, link_dest=None, checkpoint):
        from manila_lite.data import copy as copy_engine

        engine = None

        def progress(p):
            values = {'bytes_total': p.bytes_total,
                      'bytes_done': p.bytes_done,
                      'files_total': p.files_total,
                      'files_done': p.files_done,
                      'heartbeat_at': timeutils.utcnow(),
                      field: _percent(p.bytes_done, p.bytes_total)}
            try:
                still = backup_db.backup_update(
                    ctx, backup.id, values, states_in={status},
                    owner=self.host)
            except Exception:
                LOG.exception('Could not record progress of backup %s',
                              backup.id)
                return
            if not still:
                engine.cancel()

        engine = copy_engine.CopyJob(
            src, dest, workers=self.conf.data_copy_workers,
            progress_interval=self.conf.data_progress_interval,
            verify=self.conf.check_hash,
            algorithm=self.conf.check_hash_algorithm,
            incremental=incremental,
            checkpoint=checkpoint, progress=progress,
            ignore=tuple(self.conf.migration_ignore_files),
            link_dest=link_dest)
        self._set_engine(backup.id, engine)
        return engine

    def _poll_tick(self, started):
        """Wait for the first ``backup_continue_update_interval`` poll
        (counted from ``started``) at or after now: upstream's data
        service takes a backup's next step only at such a poll, so a
        backup stays ``creating`` for at least one interval. False if
        this runner stops meanwhile (the job resumes at the next start).
        """
        interval = self.conf.backup_continue_update_interval
        if interval <= 0:
            return True
        polls = max(1, -(-(time.monotonic() - started) // interval))
        tick = started + polls * interval
        while not self._stopping:
            left = tick - time.monotonic()
            if left <= 0:
                return True
            time.sleep(min(left, 0.2))
        return False

    def _backup(self, ctx, backup, store):
        started = time.monotonic()
        instance = self._instance(ctx, backup.share_id)
        previous = None
        if backup.previous_backup_id is None:
            base = backup_db.backup_previous(ctx, backup.share_id,
                                             backup.store,
                                             backup.created_at)
            if base is not None and base.id != backup.id:
                previous = base
                backup_db.backup_update(
                    ctx, backup.id, {'previous_backup_id': base.id})
        elif backup.previous_backup_id is not None:
            try:
                previous = backup_db.backup_get(ctx,
                                                backup.previous_backup_id)
            except Exception:
                previous = None  # deleted meanwhile: copy everything
        dest = store.prepare(backup)
        link_dest = store.path(previous) if previous is not None else None
        src = self.access.attach(instance)
        checkpoint = self._checkpoint_path(backup.id, 'backup')
        try:
            engine = self._engine(
                ctx, backup, src, dest, status=states.BACKUP_CREATING,
                field='progress', incremental=False, link_dest=link_dest,
                checkpoint=checkpoint)
            result = engine.run()
        finally:
            self.access.detach(instance, src)
        if result.state == 'cancelled':
            if self._stopping:
                return  # our shutdown: resume at the next start
            # Moved away from ``creating`` (reset_status): the share is
            # released; the partial tree waits for the backup's delete.
            backup_db.backup_finish(
                ctx, backup.id, states.BACKUP_ERROR,
                {'fail_reason': 'cancelled'}, sources=set(),
                instance_id=instance.id,
                instance_status=states.STATUS_AVAILABLE,
                instance_sources={states.STATUS_BACKUP_CREATING})
            return
        if result.state != 'completed':
            raise RuntimeError(result.error or 'copy failed')
        if not self._poll_tick(started):
            return  # our shutdown: resume at the next start
        backup_db.backup_finish(
            ctx, backup.id, states.BACKUP_AVAILABLE,
            {'progress': '100', 'bytes_total': result.bytes_total,
             'bytes_done': result.bytes_done,
             'files_total': result.files_total,
             'files_done': result.files_done,
             'bytes_copied': result.bytes_copied,
             'bytes_shared': result.bytes_linked, 'owner': None},
            sources={states.BACKUP_CREATING}, instance_id=instance.id,
            instance_status=states.STATUS_AVAILABLE,
            instance_sources={states.STATUS_BACKUP_CREATING})
        _unlink(checkpoint)
        LOG.info('Backup %s done: %d bytes copied, %d shared with %s',
                 backup.id, result.bytes_copied, result.bytes_linked,
                 backup.previous_backup_id or previous and previous.id)

    def _restore(self, ctx, backup, store):
        share_id = backup.restore_share_id or backup.share_id
        instance = self._instance(ctx, share_id)
        if not store.exists(backup):
            raise RuntimeError('the tree of backup %s is missing from '
                               'store %s' % (backup.id, store.name))
        dest = self.access.attach(instance)
        checkpoint = self._checkpoint_path(backup.id, 'restore')
        try:
            engine = self._engine(
                ctx, backup, store.path(backup), dest,
                status=states.BACKUP_RESTORING, field='restore_progress',
                incremental=True, checkpoint=checkpoint)
            result = engine.run()
        finally:
            self.access.detach(instance, dest)
        if result.state == 'cancelled':
            if self._stopping:
                return
            backup_db.backup_finish(
                ctx, backup.id, states.BACKUP_AVAILABLE,
                {'restore_progress': '0'}, sources=set(),
                instance_id=instance.id,
                instance_status=states.STATUS_BACKUP_RESTORING_ERROR,
                instance_sources={states.STATUS_BACKUP_RESTORING})
            return
        if result.state != 'completed':
            raise RuntimeError(result.error or 'copy failed')
        backup_db.backup_finish(
            ctx, backup.id, states.BACKUP_AVAILABLE,
            {'restore_progress': '100', 'owner': None,
             'restore_share_id': None},
            sources={states.BACKUP_RESTORING}, instance_id=instance.id,
            instance_status=states.STATUS_AVAILABLE,
            instance_sources={states.STATUS_BACKUP_RESTORING})
        _unlink(checkpoint)

    def _delete(self, ctx, backup, store):
        store.delete(backup)
        for kind in ('backup', 'restore'):
            _unlink(self._checkpoint_path(backup.id, kind))
        backup_db.backup_destroy(ctx, backup.id)

    def _fail(self, ctx, backup_id, reason):
        try:
            backup = backup_db.backup_get(ctx, backup_id)
        except Exception:
            return
        reason = reason[:2000]
        self._tell_owner(ctx, backup)
        if backup.status == states.BACKUP_CREATING:
            instance = self._instance(ctx, backup.share_id)
            backup_db.backup_finish(
                ctx, backup_id, states.BACKUP_ERROR,
                {'fail_reason': reason, 'progress': '0', 'owner': None},
                sources={states.BACKUP_CREATING}, instance_id=instance.id,
                instance_status=states.STATUS_AVAILABLE,
                instance_sources={states.STATUS_BACKUP_CREATING})
        elif backup.status == states.BACKUP_RESTORING:
            # As upstream: the backup stays usable, the share is marked.
            instance = self._instance(
                ctx, backup.restore_share_id or backup.share_id)
            backup_db.backup_finish(
                ctx, backup_id, states.BACKUP_AVAILABLE,
                {'fail_reason': reason, 'restore_progress': '0',
                 'owner': None},
                sources={states.BACKUP_RESTORING}, instance_id=instance.id,
                instance_status=states.STATUS_BACKUP_RESTORING_ERROR,
                instance_sources={states.STATUS_BACKUP_RESTORING})
        elif backup.status == states.BACKUP_DELETING:
            backup_db.backup_finish(
                ctx, backup_id, states.BACKUP_ERROR,
                {'fail_reason': reason, 'owner': None},
                sources={states.BACKUP_DELETING})

    def _tell_owner(self, ctx, backup):
        """The user message of a failed job: a restore names the share
        it failed to write (upstream's ``restore share backup``), a
        create or a delete the backup."""
        if backup.status == states.BACKUP_RESTORING:
            action = messages.Action.RESTORE_BACKUP
            resource = (messages.Resource.SHARE,
                        backup.restore_share_id or backup.share_id)
        elif backup.status in _FAILED_ACTIONS:
            action = _FAILED_ACTIONS[backup.status]
            resource = (messages.Resource.SHARE_BACKUP, backup.id)
        else:
            return
        msg_db.record(self.conf, ctx, action, *resource,
                      project_id=backup.project_id)


#: The user message action of a job that failed in each status.
_FAILED_ACTIONS = {states.BACKUP_CREATING: messages.Action.CREATE,
                   states.BACKUP_DELETING: messages.Action.DELETE}


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
