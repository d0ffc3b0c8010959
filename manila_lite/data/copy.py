"""The copy engine: copy a directory tree fast, faithfully, resumably.

A pure library (no RPC, no database, no global configuration), used by
the data service for host-assisted migration and by the local driver for
replica syncs::

    job = CopyJob(src, dest, workers=8, verify=False, incremental=False,
                  checkpoint=None, progress=callback, ignore=('lost+found',))
    result = job.run()        # blocking; job.cancel() from any thread
    result.state              # 'completed' | 'cancelled' | 'error'

How it works:

* **Plan**: one walk of the source (``os.scandir``) lists directories,
  files, symlinks, hard-link groups and special files and counts bytes.
* **Copy**: directories first, then regular files on a thread pool
  (``workers`` in flight), each with the kernel's fast paths:
  ``os.copy_file_range`` in bounded chunks, ``os.sendfile`` when the
  file systems differ, buffered copy last. Sparse files are copied
  extent by extent (``SEEK_DATA``/``SEEK_HOLE``) so holes stay holes.
  Each file is written under a temporary name and renamed into place
  once complete, with mode, owner, xattrs and times set: the destination
  never holds a partial file under a real name.
* **Links and metadata**: hard links are re-created as links, symlinks
  as symlinks; directories get their metadata last, deepest first, so
  their times are not disturbed by their contents.
* **Progress** goes to ``progress(Progress)`` at most every
  ``progress_interval`` seconds from a reporter thread, plus once at the
  end with exact totals; bytes count per chunk, so a big file moves the
  figure while it copies.
* **Cancel** sets an event checked between chunks (a chunk is at most
  ``chunk_size``), so it takes effect within about a second.
* **Resume**: with ``checkpoint`` (a file path) every completed file is
  appended there; a later run with the same checkpoint skips those
  files (if unchanged) and removes temporary files a crash left.
* **Incremental**: onto an existing destination, only files whose size
  or mtime (or checksum, with ``verify``) differ are copied, and entries
  the source no longer has are removed.
* **Verify**: every copied file is hashed on both sides (streamed);
  mismatches are listed and fail the job.

The source is only ever read.
"""

import collections
from concurrent import futures
import dataclasses
import errno
import hashlib
import json
import os
import stat
import threading
import time

TMP_SUFFIX = '.mltmp'
DEFAULT_CHUNK = 64 * 1024 * 1024
_BUF = 1024 * 1024


class CopyError(Exception):
    """A copy failed; the message names the path."""


@dataclasses.dataclass
class Progress:
    bytes_total: int = 0
    bytes_done: int = 0
    files_total: int = 0
    files_done: int = 0
    rate_bps: float = 0.0
    current_path: str = ''
    elapsed: float = 0.0


@dataclasses.dataclass
class CopyResult:
    state: str
    bytes_total: int = 0
    bytes_done: int = 0
    files_total: int = 0
    files_done: int = 0
    #: Bytes actually written (an incremental pass writes few).
    bytes_copied: int = 0
    files_copied: int = 0
    removed: int = 0
    mismatches: list = dataclasses.field(default_factory=list)
    error: str = ''
    elapsed: float = 0.0


@dataclasses.dataclass
class _Entry:
    rel: str
    st: os.stat_result
    kind: str                 # dir, file, link, special
    target: str = ''          # symlink target
    link_to: str = ''         # first path of its hard-link group


class Plan:
    """What one walk of the source found."""

    def __init__(self):
        self.dirs = []
        self.files = []
        self.links = []
        self.hardlinks = []
        self.specials = []
        self.bytes_total = 0

    @property
    def files_total(self):
        return (len(self.files) + len(self.links) + len(self.hardlinks)
                + len(self.specials))

    def paths(self):
        return {e.rel: e for group in (self.dirs, self.files, self.links,
                                       self.hardlinks, self.specials)
                for e in group}


def plan_tree(src, ignore=()):
    """Walk ``src`` once and return a Plan (relative paths)."""
    ignore = set(ignore)
    plan = Plan()
    seen_inodes = {}
    stack = ['']
    while stack:
        rel_dir = stack.pop()
        try:
            entries = sorted(os.scandir(os.path.join(src, rel_dir)),
                             key=lambda e: e.name)
        except FileNotFoundError:
            raise CopyError('source directory vanished: %s'
                            % os.path.join(src, rel_dir)) from None
        except PermissionError:
            raise CopyError('permission denied reading %s'
                            % os.path.join(src, rel_dir)) from None
        for entry in entries:
            if entry.name in ignore or entry.name.endswith(TMP_SUFFIX):
                continue
            rel = os.path.join(rel_dir, entry.name)
            st = entry.stat(follow_symlinks=False)
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                plan.dirs.append(_Entry(rel, st, 'dir'))
                stack.append(rel)
            elif stat.S_ISLNK(mode):
                plan.links.append(_Entry(rel, st, 'link',
                                         target=os.readlink(entry.path)))
            elif stat.S_ISREG(mode):
                key = (st.st_dev, st.st_ino)
                if st.st_nlink > 1 and key in seen_inodes:
                    plan.hardlinks.append(_Entry(
                        rel, st, 'file', link_to=seen_inodes[key]))
                    continue
                if st.st_nlink > 1:
                    seen_inodes[key] = rel
                plan.files.append(_Entry(rel, st, 'file'))
                plan.bytes_total += st.st_size
            elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or \
                    stat.S_ISBLK(mode):
                plan.specials.append(_Entry(rel, st, 'special'))
            # Sockets cannot be copied meaningfully: skipped.
    plan.dirs.sort(key=lambda e: e.rel)
    return plan


def file_digest(path, algorithm='blake2b', cancel=None):
    h = hashlib.new(algorithm)
    with open(path, 'rb') as f:
        while True:
            if cancel is not None and cancel.is_set():
                return None
            block = f.read(_BUF)
            if not block:
                return h.hexdigest()
            h.update(block)


def _copy_xattrs(src, dst, follow=True):
    """Copy extended attributes (paths or open descriptors)."""
    if isinstance(src, int):
        follow = True  # descriptors take no follow_symlinks argument
    try:
        names = os.listxattr(src, follow_symlinks=follow)
    except OSError:
        return
    for name in names:
        try:
            os.setxattr(dst, name, os.getxattr(src, name,
                                               follow_symlinks=follow),
                        follow_symlinks=follow)
        except OSError as exc:
            if exc.errno not in (errno.ENOTSUP, errno.EPERM,
                                 errno.EOPNOTSUPP, errno.EACCES):
                raise


def _apply_meta(path, st, *, is_link=False):
    follow = not is_link
    try:
        os.chown(path, st.st_uid, st.st_gid, follow_symlinks=follow)
    except PermissionError:
        pass
    except NotImplementedError:
        pass
    if not is_link:
        os.chmod(path, stat.S_IMODE(st.st_mode))
    try:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns),
                 follow_symlinks=follow)
    except NotImplementedError:
        pass


class _Checkpoint:
    """Completed files, appended as JSON lines and flushed in batches."""

    def __init__(self, path):
        self.path = path
        self.done = {}
        self._lock = threading.Lock()
        self._pending = []
        self._last_flush = time.monotonic()
        self._file = None
        if path is None:
            return
        try:
            with open(path) as f:
                for line in f:
                    try:
                        item = json.loads(line)
                        self.done[item['p']] = (item['s'], item['m'])
                    except (ValueError, KeyError):
                        continue  # a torn last line after a crash
        except FileNotFoundError:
            pass
        self._file = open(path, 'a')

    def is_done(self, entry):
        return self.done.get(entry.rel) == (entry.st.st_size,
                                            entry.st.st_mtime_ns)

    def add(self, entry):
        if self._file is None:
            return
        with self._lock:
            self._pending.append(json.dumps(
                {'p': entry.rel, 's': entry.st.st_size,
                 'm': entry.st.st_mtime_ns}))
            if (len(self._pending) >= 256
                    or time.monotonic() - self._last_flush > 0.5):
                self._flush_locked()

    def _flush_locked(self):
        if self._pending:
            self._file.write('\n'.join(self._pending) + '\n')
            self._file.flush()
            os.fsync(self._file.fileno())
            self._pending = []
        self._last_flush = time.monotonic()

    def close(self):
        if self._file is not None:
            with self._lock:
                self._flush_locked()
            self._file.close()
            self._file = None


class CopyJob:
    def __init__(self, src, dest, *, workers=8, verify=False,
                 algorithm='blake2b', incremental=False, checkpoint=None,
                 progress=None, progress_interval=0.5, ignore=(),
                 chunk_size=DEFAULT_CHUNK):
        self.src = os.path.abspath(src)
        self.dest = os.path.abspath(dest)
        self.workers = max(1, int(workers))
        self.verify = verify
        self.algorithm = algorithm
        self.incremental = incremental
        self.checkpoint_path = checkpoint
        self.progress_cb = progress
        self.progress_interval = progress_interval
        self.ignore = tuple(ignore)
        self.chunk_size = chunk_size
        self._cancel = threading.Event()
        self._failed = threading.Event()
        self._lock = threading.Lock()
        self._bytes_done = 0
        self._files_done = 0
        self._current = ''
        self._fresh = False
        self.result = None
        hashlib.new(algorithm)  # unknown algorithm: fail early

    def cancel(self):
        self._cancel.set()

    @property
    def cancelled(self):
        return self._cancel.is_set()

    # --- bookkeeping ---------------------------------------------------------
    def _add(self, nbytes=0, nfiles=0, current=None):
        with self._lock:
            self._bytes_done += nbytes
            self._files_done += nfiles
            if current is not None:
                self._current = current

    def _snapshot(self, plan, start, last):
        with self._lock:
            done, files, current = (self._bytes_done, self._files_done,
                                    self._current)
        now = time.monotonic()
        rate = 0.0
        if last is not None and now > last[0]:
            rate = (done - last[1]) / (now - last[0])
        return Progress(bytes_total=plan.bytes_total, bytes_done=done,
                        files_total=plan.files_total, files_done=files,
                        rate_bps=max(rate, 0.0),
                        current_path=current, elapsed=now - start), (now,
                                                                     done)

    def _reporter(self, plan, start, stop):
        last = (start, 0)
        while not stop.wait(self.progress_interval):
            snap, last = self._snapshot(plan, start, last)
            self.progress_cb(snap)

    # --- the run -----------------------------------------------------------
    def _validate(self):
        if not os.path.isdir(self.src):
            raise CopyError('source %s is not a directory' % self.src)
        real_src = os.path.realpath(self.src)
        real_dest = os.path.realpath(self.dest)
        if real_dest == real_src or real_dest.startswith(real_src + os.sep):
            raise CopyError('destination %s is inside the source %s'
                            % (self.dest, self.src))
        os.makedirs(self.dest, exist_ok=True)

    def run(self):
        start = time.monotonic()
        plan = Plan()
        result = CopyResult(state='error')
        stop_reporter = threading.Event()
        reporter = None
        checkpoint = None
        try:
            self._validate()
            plan = plan_tree(self.src, self.ignore)
            result.bytes_total = plan.bytes_total
            result.files_total = plan.files_total
            checkpoint = _Checkpoint(self.checkpoint_path)
            if self.progress_cb is not None:
                self.progress_cb(self._snapshot(plan, start, None)[0])
                reporter = threading.Thread(
                    target=self._reporter, args=(plan, start, stop_reporter),
                    daemon=True, name='copy-progress')
                reporter.start()
            self._fresh = not (self.incremental or checkpoint.done
                               or os.listdir(self.dest))
            if not self._fresh:
                result.removed = self._prune(plan)
            self._copy_all(plan, checkpoint, result)
            result.state = ('cancelled' if self.cancelled else
                            'error' if result.mismatches else 'completed')
            if result.mismatches:
                result.error = ('checksum mismatch: %s'
                                % ', '.join(result.mismatches[:10]))
        except CopyError as exc:
            result.state = 'cancelled' if self.cancelled else 'error'
            result.error = str(exc)
        except OSError as exc:
            result.state = 'cancelled' if self.cancelled else 'error'
            result.error = '%s: %s' % (exc.filename or self.src,
                                       exc.strerror or exc)
        finally:
            stop_reporter.set()
            if reporter is not None:
                reporter.join()
            if checkpoint is not None:
                checkpoint.close()
        with self._lock:
            result.bytes_done = self._bytes_done
            result.files_done = self._files_done
        result.elapsed = time.monotonic() - start
        if self.progress_cb is not None:
            final, _ = self._snapshot(plan, start, None)
            final.rate_bps = (result.bytes_done / result.elapsed
                              if result.elapsed else 0.0)
            self.progress_cb(final)
        self.result = result
        return result

    def _prune(self, plan):
        """Remove what the source lacks (and stale temporary files)."""
        wanted = plan.paths()
        removed = 0
        for dirpath, dirnames, filenames in os.walk(self.dest,
                                                    topdown=False):
            rel_dir = os.path.relpath(dirpath, self.dest)
            rel_dir = '' if rel_dir == '.' else rel_dir
            for name in filenames + dirnames:
                rel = os.path.join(rel_dir, name)
                path = os.path.join(dirpath, name)
                entry = wanted.get(rel)
                st = os.lstat(path)
                is_dir = stat.S_ISDIR(st.st_mode)
                stale = (name.endswith(TMP_SUFFIX) or entry is None
                         or (entry.kind == 'dir') != is_dir
                         or (entry.kind == 'link')
                         != stat.S_ISLNK(st.st_mode))
                if not stale:
                    continue
                if is_dir:
                    _rmtree(path)
                else:
                    os.unlink(path)
                removed += 1
        return removed

    def _copy_all(self, plan, checkpoint, result):
        for entry in plan.dirs:
            path = os.path.join(self.dest, entry.rel)
            os.makedirs(path, exist_ok=True)
            os.chmod(path, 0o700 | stat.S_IMODE(entry.st.st_mode))
        copied = collections.Counter()
        with futures.ThreadPoolExecutor(self.workers) as pool:
            pending = [pool.submit(self._copy_one, e, checkpoint, copied)
                       for e in plan.files]
            for fut in futures.as_completed(pending):
                try:
                    mismatch = fut.result()
                except CopyError:
                    self._failed.set()
                    for other in pending:
                        other.cancel()
                    raise
                if mismatch:
                    result.mismatches.append(mismatch)
        result.bytes_copied = copied['bytes']
        result.files_copied = copied['files']
        if self.cancelled:
            return
        for entry in plan.hardlinks:
            dst = os.path.join(self.dest, entry.rel)
            first = os.path.join(self.dest, entry.link_to)
            if os.path.lexists(dst):
                if os.path.samefile(dst, first):
                    self._add(nfiles=1)
                    continue
                os.unlink(dst)
            os.link(first, dst)
            self._add(nfiles=1)
        for entry in plan.links:
            self._copy_symlink(entry)
        for entry in plan.specials:
            self._copy_special(entry)
        for entry in sorted(plan.dirs, key=lambda e: -e.rel.count(os.sep)):
            path = os.path.join(self.dest, entry.rel)
            _copy_xattrs(os.path.join(self.src, entry.rel), path)
            _apply_meta(path, entry.st)
        _apply_meta(self.dest, os.stat(self.src))

    def _copy_symlink(self, entry):
        dst = os.path.join(self.dest, entry.rel)
        if os.path.islink(dst) and os.readlink(dst) == entry.target:
            _apply_meta(dst, entry.st, is_link=True)
            self._add(nfiles=1)
            return
        tmp = dst + TMP_SUFFIX
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(entry.target, tmp)
        _apply_meta(tmp, entry.st, is_link=True)
        os.replace(tmp, dst)
        self._add(nfiles=1)

    def _copy_special(self, entry):
        dst = os.path.join(self.dest, entry.rel)
        if os.path.lexists(dst):
            os.unlink(dst)
        mode = entry.st.st_mode
        try:
            if stat.S_ISFIFO(mode):
                os.mkfifo(dst, stat.S_IMODE(mode))
            else:
                os.mknod(dst, mode, entry.st.st_rdev)
        except PermissionError:
            raise CopyError('cannot create device node %s (needs root)'
                            % dst) from None
        _apply_meta(dst, entry.st)
        self._add(nfiles=1)

    def _unchanged(self, entry, dst, trust_mtime=False):
        try:
            st = os.lstat(dst)
        except FileNotFoundError:
            return False
        if not stat.S_ISREG(st.st_mode) or st.st_size != entry.st.st_size:
            return False
        if self.verify and self.incremental and not trust_mtime:
            src = os.path.join(self.src, entry.rel)
            return (file_digest(src, self.algorithm)
                    == file_digest(dst, self.algorithm))
        return st.st_mtime_ns == entry.st.st_mtime_ns

    def _copy_one(self, entry, checkpoint, copied):
        if self.cancelled or self._failed.is_set():
            return None
        src = os.path.join(self.src, entry.rel)
        dst = os.path.join(self.dest, entry.rel)
        # Over existing content a file whose size and mtime match is done
        # (the mtime is set last, so a torn file never matches); the
        # checkpoint only spares the checksum when verifying.
        if not self._fresh and self._unchanged(
                entry, dst, trust_mtime=checkpoint.is_done(entry)):
            self._add(entry.st.st_size, 1)
            return None
        # Into a destination that was empty, a file is written under its
        # own name (a crash leaves it unrecorded, so a resume rewrites
        # it); over existing content it goes to a temporary name first,
        # so readers never see a half-written file.
        target = dst if self._fresh else dst + TMP_SUFFIX
        self._add(current=entry.rel)
        complete = False
        try:
            self._copy_file(src, target, entry)
            if self.cancelled or self._failed.is_set():
                return None
            mismatch = None
            if self.verify:
                a = file_digest(src, self.algorithm, self._cancel)
                b = file_digest(target, self.algorithm, self._cancel)
                if a is None or b is None:
                    return None
                if a != b:
                    mismatch = entry.rel
            if target != dst:
                os.replace(target, dst)
            complete = True
        except FileNotFoundError as exc:
            raise CopyError('%s vanished during the copy'
                            % (exc.filename or src)) from None
        except PermissionError as exc:
            raise CopyError('permission denied: %s'
                            % (exc.filename or src)) from None
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise CopyError('no space left on device writing %s'
                                % dst) from None
            raise CopyError('%s: %s' % (exc.filename or src,
                                        exc.strerror)) from None
        finally:
            if not complete:
                try:
                    os.unlink(target)
                except FileNotFoundError:
                    pass
        with self._lock:
            copied['bytes'] += entry.st.st_size
            copied['files'] += 1
        checkpoint.add(entry)
        self._add(nfiles=1)
        return mismatch

    def _copy_file(self, src, target, entry):
        """Data, xattrs, owner, mode and times, all through descriptors."""
        st = entry.st
        size = st.st_size
        fin = os.open(src, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            fout = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                           0o600)
            try:
                if size and st.st_blocks * 512 < size:
                    self._copy_sparse(fin, fout, size)
                    os.ftruncate(fout, size)  # a trailing hole
                elif size:
                    self._copy_range(fin, fout, 0, size)
                _copy_xattrs(fin, fout)
                try:
                    os.fchown(fout, st.st_uid, st.st_gid)
                except PermissionError:
                    pass
                os.fchmod(fout, stat.S_IMODE(st.st_mode))
                os.utime(fout, ns=(st.st_atime_ns, st.st_mtime_ns))
            finally:
                os.close(fout)
        finally:
            os.close(fin)

    def _copy_sparse(self, fin, fout, size):
        offset = 0
        while offset < size:
            try:
                data = os.lseek(fin, offset, os.SEEK_DATA)
            except OSError as exc:
                if exc.errno == errno.ENXIO:      # only a hole remains
                    self._add(size - offset)
                    return
                raise
            hole = os.lseek(fin, data, os.SEEK_HOLE)
            self._add(data - offset)              # holes count as done
            self._copy_range(fin, fout, data, hole - data)
            offset = hole

    def _copy_range(self, fin, fout, offset, length):
        """Copy ``length`` bytes at ``offset``, chunk by chunk, checking
        for cancel between chunks."""
        method = 'copy_file_range'
        end = offset + length
        pos = offset
        while pos < end:
            if self.cancelled or self._failed.is_set():
                return
            want = min(self.chunk_size, end - pos)
            try:
                if method == 'copy_file_range':
                    n = os.copy_file_range(fin, fout, want, pos, pos)
                elif method == 'sendfile':
                    os.lseek(fout, pos, os.SEEK_SET)
                    n = os.sendfile(fout, fin, pos, want)
                else:
                    n = self._buffered(fin, fout, pos, want)
            except OSError as exc:
                if exc.errno in (errno.EXDEV, errno.EINVAL, errno.ENOSYS,
                                 errno.EOPNOTSUPP, errno.EBADF):
                    method = ('sendfile' if method == 'copy_file_range'
                              else 'buffered')
                    if method == 'buffered' and exc.errno == errno.EBADF:
                        raise
                    continue
                raise
            if n == 0:
                raise FileNotFoundError(errno.ENOENT,
                                        'file shrank while copying')
            pos += n
            self._add(n)

    @staticmethod
    def _buffered(fin, fout, pos, want):
        data = os.pread(fin, min(want, _BUF * 8), pos)
        if not data:
            return 0
        return os.pwrite(fout, data, pos)


def _rmtree(path):
    for dirpath, dirnames, filenames in os.walk(path, topdown=False):
        for name in filenames:
            os.unlink(os.path.join(dirpath, name))
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                os.unlink(full)
            else:
                os.rmdir(full)
    os.rmdir(path)
