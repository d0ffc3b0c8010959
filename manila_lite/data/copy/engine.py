"""CopyJob: the run, its workers, the prune and the tree's metadata."""

import contextlib
import os
import queue
import stat
import threading
import time

from manila_lite.data import poolfs
from manila_lite.data import safefs
from manila_lite.data.copy.base import _BATCH_BYTES
from manila_lite.data.copy.base import _BATCH_FILES
from manila_lite.data.copy.base import CANCELLED
from manila_lite.data.copy.base import COMPLETED
from manila_lite.data.copy.base import DEFAULT_CHUNK
from manila_lite.data.copy.base import ERROR
from manila_lite.data.copy.base import CopyError
from manila_lite.data.copy.base import CopyResult
from manila_lite.data.copy.base import Progress
from manila_lite.data.copy.base import _os_error_message
from manila_lite.data.copy.base import _safe_error
from manila_lite.data.copy.base import _Stopped
from manila_lite.data.copy.checkpoint import _Checkpoint
from manila_lite.data.copy.digest import resolve_algorithm
from manila_lite.data.copy.fileops import FileOps
from manila_lite.data.copy.fileops import _cached
from manila_lite.data.copy.plan import Plan
from manila_lite.data.copy.plan import plan_tree
from manila_lite.data.copy.workers import _Gate
from manila_lite.data.copy.workers import _Tally


class CopyJob(FileOps):
    """One copy of ``src`` onto ``dest``; see the module docstring."""

    def __init__(self, src, dest, *, workers=8, verify=False,
                 algorithm='auto', incremental=False, checkpoint=None,
                 progress=None, progress_interval=0.5, ignore=(),
                 chunk_size=DEFAULT_CHUNK, link_dest=None, live=False,
                 recheck_after_ns=None, verify_unchanged=True,
                 trust_unchanged=False):
        self.src = os.path.abspath(src)
        self.link_dest = os.path.abspath(link_dest) if link_dest else None
        self._link_fd = None
        self.dest = os.path.abspath(dest)
        self.workers = max(1, int(workers))
        self.verify = verify
        # Recorded as resolved (an unknown algorithm fails here).
        self.algorithm = resolve_algorithm(algorithm)
        self.incremental = incremental
        self.checkpoint_path = checkpoint
        self.progress_cb = progress
        self.progress_interval = progress_interval
        self.ignore = frozenset(ignore)
        self.chunk_size = max(1, int(chunk_size))
        self.live = live
        self.recheck_after_ns = recheck_after_ns
        self.verify_unchanged = verify_unchanged
        self.trust_unchanged = (bool(trust_unchanged)
                                and recheck_after_ns is not None)
        self._cancel = threading.Event()
        self._failed = threading.Event()
        self._local = threading.local()
        self._tallies = []
        self._tallies_lock = threading.Lock()
        self._src_fd = self._dst_fd = None
        self._direct = False
        self._own = None
        self._umask = None
        self._batch = []
        self._batch_bytes = 0
        self._checkpoint = None
        self._method = 'copy_file_range'
        self._gate = _Gate(self.workers)
        self.result = None

    def cancel(self):
        """Stop soon (between chunks); safe from any thread."""
        self._cancel.set()

    @property
    def cancelled(self):
        return self._cancel.is_set()

    def _stopping(self):
        return self._cancel.is_set() or self._failed.is_set()

    # --- bookkeeping ---------------------------------------------------------
    def _tally(self):
        tally = getattr(self._local, 'tally', None)
        if tally is None:
            tally = self._local.tally = _Tally(self._src_fd,
                                                self._dst_fd, self._link_fd)
            with self._tallies_lock:
                self._tallies.append(tally)
        return tally

    def _totals(self):
        with self._tallies_lock:
            tallies = list(self._tallies)
        done = sum(t.bytes for t in tallies)
        files = sum(t.files for t in tallies)
        current = next((t.current for t in tallies if t.current), '')
        return done, files, current, tallies

    def _report(self, plan, start, last, rate=None):
        done, files, current, _ = self._totals()
        now = time.monotonic()
        if rate is None:
            rate = (max(done - last[1], 0) / (now - last[0])
                    if now > last[0] else 0.0)
        self.progress_cb(Progress(
            bytes_total=plan.bytes_total, bytes_done=done,
            files_total=plan.files_total, files_done=files, rate_bps=rate,
            current_path=current, elapsed=now - start,
            planning=not plan.complete))
        return now, done

    def _reporter(self, plan, start, stop):
        last = (start, 0)
        while not stop.wait(self.progress_interval):
            last = self._report(plan, start, last)

    # --- the run -------------------------------------------------------------
    def _prepare(self):
        if not poolfs.is_dir(self.src):
            raise CopyError('source %s is not a directory' % self.src)
        if poolfs.is_within(self.dest, self.src):
            raise CopyError('destination %s is inside the source %s'
                            % (self.dest, self.src))
        poolfs.makedirs(self.dest)
        self._src_fd = safefs.open_root(self.src)
        self._dst_fd = safefs.open_root(self.dest)
        if self.link_dest is not None and poolfs.is_dir(self.link_dest):
            self._link_fd = safefs.open_root(self.link_dest)

    def _choose_shortcuts(self):
        """Skip chown/chmod calls that cannot change anything: a file we
        create is ours (unless a setgid directory gives it another
        group: directories only get their setgid bit at the end), with
        its creation mode minus the umask."""
        self._umask = poolfs.read_umask()
        dest_setgid = os.fstat(self._dst_fd).st_mode & stat.S_ISGID
        self._own = None if dest_setgid else (os.geteuid(), os.getegid())

    def run(self):
        """Copy; return a CopyResult (never raises for copy failures)."""
        start = time.monotonic()
        plan = Plan()
        result = CopyResult(state=ERROR)
        stop_reporter = threading.Event()
        reporter = None
        checkpoint = None
        try:
            self._prepare()
            checkpoint = self._checkpoint = _Checkpoint(
                self.checkpoint_path)
            self._choose_shortcuts()
            # Into an empty destination nothing needs pruning, so the
            # copy starts while the walk goes on.
            self._direct = not (self.incremental or checkpoint.done
                                or safefs.scan(self._dst_fd))
            # A resumed run lists every file: its prune is a whole one.
            quick = self.trust_unchanged and not checkpoint.done
            if not self._direct:
                plan = plan_tree(
                    self.src, self.ignore, root_fd=self._src_fd,
                    live=self.live,
                    trust_before_ns=self.recheck_after_ns if quick
                    else None)
            plan.complete = not self._direct
            if self.progress_cb is not None:
                self._report(plan, start, None, rate=0.0)
                reporter = threading.Thread(
                    target=self._reporter, args=(plan, start, stop_reporter),
                    daemon=True, name='copy-progress')
                reporter.start()
            if self._direct:
                def walk(put):
                    plan_tree(self.src, self.ignore, plan=plan,
                              root_fd=self._src_fd, live=self.live,
                              on_dir=lambda d, fs: self._feed(d, fs, put))
                    self._feed(None, (), put, last=True)

                self._copy_files(checkpoint, walk)
                plan.complete = True
            else:
                if quick:
                    result.removed = self._prune_changed(plan)
                    tally = self._tally()
                    tally.files += plan.trusted_files
                    tally.bytes += plan.trusted_bytes
                else:
                    result.removed = self._prune(plan)
                for entry in plan.dirs:
                    self._make_dir(entry)
                self._copy_files(checkpoint, lambda put: self._feed(
                    None, plan.files, put, last=True))
            if not self.cancelled:
                self._finish_tree(plan)
            state = COMPLETED
        except CopyError as exc:
            state, result.error = ERROR, str(exc)
        except safefs.UnsafePath as exc:
            state = ERROR
            result.error = str(_safe_error(exc, self.src))
        except OSError as exc:
            state = ERROR
            result.error = _os_error_message(exc, self.src)
        finally:
            stop_reporter.set()
            if reporter is not None:
                reporter.join()
            if checkpoint is not None:
                checkpoint.close()
            for tally in self._tallies:
                tally.close()
            for fd in (self._src_fd, self._dst_fd, self._link_fd):
                if fd is not None:
                    os.close(fd)
            self._src_fd = self._dst_fd = self._link_fd = None
        result.bytes_total = plan.bytes_total
        result.files_total = plan.files_total
        done, files, _, tallies = self._totals()
        result.bytes_done, result.files_done = done, files
        for tally in tallies:
            result.bytes_copied += tally.bytes_copied
            result.files_copied += tally.files_copied
            result.bytes_linked += tally.bytes_linked
            result.files_linked += tally.files_linked
            result.mismatches.extend(tally.mismatches)
        result.mismatches.sort()
        if self.cancelled:
            state = CANCELLED
        elif state == COMPLETED and result.mismatches:
            state = ERROR
            result.error = ('checksum mismatch: %s'
                            % ', '.join(result.mismatches[:10]))
        result.state = state
        result.elapsed = time.monotonic() - start
        result.algorithm = self.algorithm if self.verify else ''
        if self.progress_cb is not None:
            self._report(plan, start, None, rate=(
                result.bytes_done / result.elapsed if result.elapsed
                else 0.0))
        self.result = result
        return result

    def _prune(self, plan):
        """Remove what the source lacks (stale temporary files too)."""
        wanted = plan.paths()
        removed = 0
        for rel_dir, fd, entries in safefs.walk(
                self._dst_fd, skip_root=self.ignore):
            keep = []
            for name, st in entries:
                rel = safefs.join(rel_dir, name)
                entry = wanted.get(rel)
                is_dir = stat.S_ISDIR(st.st_mode)
                if (entry is None or (entry.kind == 'dir') != is_dir
                        or (entry.kind == 'link')
                        != stat.S_ISLNK(st.st_mode)):
                    safefs.remove_tree(fd, name)
                    removed += 1
                elif is_dir:
                    keep.append((name, st))
            entries[:] = keep  # descend only into kept directories
        return removed

    def _trusted(self, st):
        """Whether the destination holds this entry as the previous
        pass left it (``trust_unchanged``, see the package docstring)."""
        return (self.trust_unchanged
                and st.st_ctime_ns < self.recheck_after_ns)

    def _prune_changed(self, plan):
        """``_prune`` of the directories changed since the previous
        pass only (``trust_unchanged``; the walk named them, with their
        trusted files): the others hold no entry the source lacks."""
        wanted = plan.paths()
        removed = 0
        for rel_dir, trusted in plan.trusted_names.items():
            try:
                fd = safefs.open_dir(self._dst_fd, rel_dir)
            except FileNotFoundError:
                continue  # made by this pass
            try:
                for name, is_dir, is_link in safefs.scan_kinds(fd):
                    if not rel_dir and name in self.ignore:
                        continue
                    if name in trusted:
                        continue  # as the previous pass left it
                    entry = wanted.get(safefs.join(rel_dir, name))
                    if (entry is None or (entry.kind == 'dir') != is_dir
                            or (entry.kind == 'link') != is_link):
                        safefs.remove_tree(fd, name)
                        removed += 1
            finally:
                os.close(fd)
        return removed

    def _make_dir(self, entry):
        # Owner rwx and no setgid while copying (a read-only source
        # directory must still receive its files, and files must be
        # created ours); exact modes are set at the end.
        mode = 0o700 | (stat.S_IMODE(entry.st.st_mode) & ~stat.S_ISGID)
        # The walking thread's own cached directories: siblings made one
        # after the other share their parent's descriptor.
        fd, name = self._tally().dst_dirs.parent(entry.rel)
        try:
            safefs.mkdir(fd, name, mode)
        except FileExistsError:
            st = safefs.lstat(fd, name)
            if self._direct or not stat.S_ISDIR(st.st_mode):
                raise
            safefs.chmod(fd, name, mode)
            return
        if self._umask is None or self._umask & 0o700:
            safefs.chmod(fd, name, mode)

    def _feed(self, dir_entry, files, put, last=False):
        """Queue ``files`` in batches of a few dozen (fewer hand-offs
        between threads; ``last`` flushes), a large file alone. Their
        directory is created first. Into an empty destination with
        ``link_dest``, the walking thread links unchanged files itself
        (a stat and a link each: handing them to a worker would cost
        more) and queues only the others."""
        if self._stopping():
            raise _Stopped()
        if dir_entry is not None and self._direct:
            self._make_dir(dir_entry)
        linker = (self._tally() if self._direct and self._link_fd
                  is not None else None)
        batch = self._batch
        tally = self._tally() if self.trust_unchanged else None
        for entry in files:
            if linker is not None and self._copy_one(
                    entry, self._checkpoint, linker, link_only=True):
                continue
            size = entry.st.st_size
            if tally is not None and self._trusted(entry.st):
                tally.bytes += size
                tally.files += 1
                continue
            if size >= _BATCH_BYTES:
                put([entry])
                continue
            batch.append(entry)
            self._batch_bytes += size
            if (len(batch) >= _BATCH_FILES
                    or self._batch_bytes >= _BATCH_BYTES):
                put(batch)
                batch = self._batch = []
                self._batch_bytes = 0
        if last and batch:
            put(batch)
            self._batch = []

    def _worker(self, batches, checkpoint, errors):
        tally = self._tally()
        try:
            while True:
                batch = batches.get()
                if batch is None:
                    return
                gated = ((len(batch) > 1 or batch[0].st.st_size
                          < _BATCH_BYTES) and _cached(tally.src_dirs, batch))
                solo = self._gate.enter() if gated else False
                started, cpu = time.monotonic(), time.thread_time()
                try:
                    for entry in batch:
                        if self._stopping():
                            break
                        self._copy_one(entry, checkpoint, tally)
                finally:
                    if gated:
                        self._gate.leave(solo, time.monotonic() - started,
                                         time.thread_time() - cpu)
        except CopyError as exc:
            errors.append(exc)
            self._failed.set()
        except Exception as exc:  # a bug must fail the job, not hide
            errors.append(CopyError('%s: %r' % (tally.current, exc)))
            self._failed.set()
        finally:
            tally.current = ''

    def _copy_files(self, checkpoint, feed):
        """Copy the batches ``feed(put)`` queues on ``workers`` threads."""
        batches = queue.SimpleQueue()
        errors = []
        threads = [threading.Thread(
            target=self._worker, args=(batches, checkpoint, errors),
            name='copy-%d' % i, daemon=True) for i in range(self.workers)]
        for thread in threads:
            thread.start()
        try:
            feed(batches.put)
        except _Stopped:
            pass
        except (CopyError, OSError):
            self._failed.set()
            if not errors:
                raise
        finally:
            for _thread in threads:
                batches.put(None)
            for thread in threads:
                thread.join()
        if errors:
            raise errors[0]

    def _finish_tree(self, plan):
        """Hard links, symlinks, special files, then directories'
        metadata, deepest first (their contents are final by then)."""
        src_dirs = safefs.DirCache(self._src_fd)
        dst_dirs = safefs.DirCache(self._dst_fd)
        try:
            self._finish_entries(plan, src_dirs, dst_dirs)
        finally:
            src_dirs.close()
            dst_dirs.close()

    @contextlib.contextmanager
    def _tolerating(self):
        """With a source in use, an entry removed meanwhile is left to
        the next pass."""
        try:
            yield
        except FileNotFoundError:
            if not self.live:
                raise

    def _finish_entries(self, plan, src_dirs, dst_dirs):
        tally = self._tally()
        for entry in plan.hardlinks:
            with self._tolerating():
                self._link_one(entry, dst_dirs, tally)
        for entry in plan.links:
            with self._tolerating():
                self._copy_symlink(entry, src_dirs, dst_dirs)
            tally.files += 1
        for entry in plan.specials:
            with self._tolerating():
                self._copy_special(entry, dst_dirs)
            tally.files += 1
        # A directory we just made has the mode _make_dir gave it.
        made = (self._direct and self._umask is not None
                and not self._umask & 0o700)
        for entry in sorted(plan.dirs, key=lambda e: -e.rel.count('/')):
            with self._tolerating():
                self._finish_dir(entry, src_dirs, dst_dirs, made)
        st = os.fstat(self._src_fd)
        try:
            os.fchown(self._dst_fd, st.st_uid, st.st_gid)
        except PermissionError:
            pass
        os.fchmod(self._dst_fd, stat.S_IMODE(st.st_mode))
        safefs.set_times(self._dst_fd, st)

    def _link_one(self, entry, dst_dirs, tally):
        fd, name = dst_dirs.parent(entry.rel)
        with safefs.parent_of(self._dst_fd, entry.link_to) as (
                first_fd, first):
            first_st = safefs.lstat(first_fd, first)
            st = safefs.lstat_or_none(fd, name)
            if st is not None:
                if (st.st_dev, st.st_ino) == (first_st.st_dev,
                                              first_st.st_ino):
                    tally.files += 1
                    return
                safefs.remove_tree(fd, name)
            safefs.hardlink(first_fd, first, fd, name)
        tally.files += 1

    def _finish_dir(self, entry, src_dirs, dst_dirs, made):
        xattrs = safefs.xattrs(*src_dirs.parent(entry.rel))
        fd, name = dst_dirs.parent(entry.rel)
        if xattrs or not self._direct:
            safefs.set_xattrs(fd, xattrs, name)
        mode = stat.S_IMODE(entry.st.st_mode)
        self._apply_meta(fd, name, entry.st, mode_now=(
            (0o700 | mode & ~stat.S_ISGID) & ~self._umask if made
            else None))

    def _copy_symlink(self, entry, src_dirs, dst_dirs):
        fd, name = dst_dirs.parent(entry.rel)
        st = safefs.lstat_or_none(fd, name)
        if not (st is not None and stat.S_ISLNK(st.st_mode)
                and safefs.readlink(fd, name) == entry.target):
            if st is not None and stat.S_ISDIR(st.st_mode):
                safefs.remove_tree(fd, name)
            safefs.symlink_replace(entry.target, fd, name)
        safefs.set_xattrs(fd, safefs.xattrs(*src_dirs.parent(entry.rel)),
                          name)
        self._apply_meta(fd, name, entry.st, is_link=True)

    def _copy_special(self, entry, dst_dirs):
        fd, name = dst_dirs.parent(entry.rel)
        safefs.remove_tree(fd, name)
        try:
            safefs.mknod(fd, name, entry.st.st_mode, entry.st.st_rdev)
        except PermissionError:
            raise CopyError('cannot create device node %s (needs root)'
                            % entry.rel) from None
        self._apply_meta(fd, name, entry.st, new=True)
