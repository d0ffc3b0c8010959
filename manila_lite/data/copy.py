"""The copy engine: copy a directory tree fast, faithfully, resumably.

A pure library (no RPC, no database, no global configuration), used by
the data service for host-assisted migration and by the local driver for
snapshots and replica syncs.

Public API::

    plan = plan_tree(src, ignore=())   # optional: one walk, totals
    job = CopyJob(src, dest, workers=8, verify=False, algorithm='auto',
                  incremental=False, checkpoint=None, progress=None,
                  progress_interval=0.5, ignore=(), chunk_size=64 MiB,
                  link_dest=None)
    result = job.run()                 # blocking; job.cancel() from any
                                       # thread
    result.state                       # 'completed'|'cancelled'|'error'

``CopyResult`` carries ``bytes_total``/``bytes_done``,
``files_total``/``files_done`` (exact at the end), ``bytes_copied`` /
``files_copied`` (what was actually written: little on an incremental
pass), ``removed`` (destination entries pruned), ``mismatches``
(relative paths that failed verification), ``error`` (a message naming
the path) and ``elapsed`` seconds. ``progress(Progress)`` receives the
same counters plus ``rate_bps``, ``current_path``, ``elapsed`` and
``planning`` (True while totals still grow, see below). ``file_digest``
hashes one file the way verification does. ``run`` never raises for a
failed copy: the failure is in the result; ``plan_tree`` raises
``CopyError``. ``algorithm`` is any ``hashlib`` name; ``'auto'`` picks
the quicker of sha256 and blake2b on this CPU.

How it works:

* **Plan**: one ``os.scandir`` walk lists directories, files, symlinks,
  hard-link groups and special files and counts bytes. Into an empty
  destination the copy starts while the walk goes on (nothing can need
  pruning), so progress totals grow during the first moments
  (``Progress.planning``); otherwise the walk comes first.
* **Copy**: directories as they are found, regular files in batches (up
  to 48 files or 8 MiB in walk order, a large file alone) taken by
  ``workers`` threads; each file goes through ``os.copy_file_range`` in
  chunks of at most ``chunk_size``, ``os.sendfile`` once the file
  systems turn out to differ, a buffered copy last. Sparse files go
  extent by extent (``SEEK_DATA``/``SEEK_HOLE``) so holes stay holes.
  Xattrs, owner, mode and times (ns) are set through the descriptor,
  mtime last; calls that cannot change anything (our own owner, a mode
  the umask left intact) are skipped. Sources are opened ``O_NOATIME``
  where allowed, so not even their atimes change.
* **Links and metadata**: hard links are re-created as links, symlinks
  as symlinks, FIFOs and device nodes as such; directories get their
  metadata last, deepest first.
* **Progress** goes to ``progress`` once at the start, at most every
  ``progress_interval`` seconds from a reporter thread, and once at the
  end with exact totals; bytes count per chunk.
* **Cancel** sets an event checked between files and between chunks;
  the file in flight is removed.
* **Resume**: over existing content each file is written as an unnamed
  ``O_TMPFILE`` (or under a short random name, ``TMP_PREFIX``, where the
  file system cannot) and linked or renamed when complete, and a file
  whose size and mtime equal the source's counts as complete (the mtime
  is set last). ``checkpoint`` (a path) records completed files as JSON
  lines, fsynced in batches; a restart skips them (and, with ``verify``
  on an incremental pass, does not hash them again); stale temporary
  files go with the prune (the source lacks them). Into an empty
  destination files are written under their own name, saving a link
  each: nobody reads a destination
  before its copy ends, a cancel or failure removes the file in flight,
  and after a kill the restart rewrites what it cannot prove complete.
* **Incremental**: onto an existing destination, only files whose size
  or mtime (or checksum, with ``verify``) differ are copied, owner, mode,
  times and xattrs of the others are fixed, and entries the source lacks
  are removed (names in ``ignore`` are left alone on both sides, at the
  root only).
* **Trusting the previous pass** (``trust_unchanged``, with
  ``recheck_after_ns``): the caller vouches that a complete earlier pass
  made the destination equal to the source as it was at
  ``recheck_after_ns``. A file whose ctime is older is then counted as
  done without looking at the destination (nothing about it changed
  since: data, size, mtime, owner, mode, xattrs, links and renames all
  move the ctime), and the prune lists only the destination
  directories whose source counterpart's ctime is newer (an entry
  created, removed or renamed in a directory moves its ctime), by
  their entry types, without a ``stat`` each. A resumed run (a
  checkpoint) prunes everything, for stale temporary files. The source
  is still walked and ``stat``-ed whole: that walk is the pass's cost.
* **Link-dest**: with ``link_dest`` (a tree an earlier copy of the
  same source made, as rsync's ``--link-dest``), a regular file whose
  size, mtime, mode and owner equal its counterpart's there, and whose
  ctime is older than the counterpart's (so neither its data nor its
  xattrs changed since that copy), becomes a hard link to the
  counterpart instead of a copy (``bytes_linked``/``files_linked``).
  The ``link_dest`` tree is reached through ``safefs`` like the others
  and never written; a counterpart that vanished or cannot take one
  more link is copied.
* **Verify**: every copied file is hashed on both sides through the
  open descriptors (streamed, 1 MiB blocks, holes skipped: see
  ``_digest_fd``); a mismatch is listed, never takes the real name, and
  fails the job.

* **Changing sources**: a file whose size, mtime or ctime after its
  copy differ from before is copied again, up to ``_ATTEMPTS`` times,
  then the job fails naming it: a torn file never counts as done.
* **Path safety**: both trees are reached through directory descriptors
  (``safefs``): a directory swapped for a symlink mid-copy fails the job
  naming the path, or the link is copied as a link; nothing outside the
  two roots is ever read or written. Any name the file system accepts
  is copied (255 bytes, newlines, ``*.mltmp``).

The source is only ever read.
"""

import contextlib
import dataclasses
import errno
import functools
import hashlib
import json
import os
import queue
import stat
import threading
import time

from manila_lite.data import safefs

#: Temporary files are named this plus 16 hex digits (where O_TMPFILE
#: is not available): never a suffix on a user's name.
TMP_PREFIX = '.mltmp-'
DEFAULT_CHUNK = 64 * 1024 * 1024
_BUF = 1024 * 1024
# A batch handed to one worker: up to this many files or bytes.
_BATCH_FILES = 48
_BATCH_BYTES = 8 * 1024 * 1024
#: Copies of a file that keeps changing before the job gives up on it.
_ATTEMPTS = 3


class CopyError(Exception):
    """A copy failed; the message names the path."""


class _Stopped(Exception):
    """Ends the walk early after a cancel or a failed file."""


class _Changed(Exception):
    """The source file changed while it was copied."""


@dataclasses.dataclass
class Progress:
    bytes_total: int = 0
    bytes_done: int = 0
    files_total: int = 0
    files_done: int = 0
    rate_bps: float = 0.0
    current_path: str = ''
    elapsed: float = 0.0
    #: True while the walk still runs alongside the copy (totals grow).
    planning: bool = False


@dataclasses.dataclass
class CopyResult:
    state: str
    bytes_total: int = 0
    bytes_done: int = 0
    files_total: int = 0
    files_done: int = 0
    bytes_copied: int = 0
    files_copied: int = 0
    bytes_linked: int = 0
    files_linked: int = 0
    removed: int = 0
    mismatches: list = dataclasses.field(default_factory=list)
    error: str = ''
    elapsed: float = 0.0


@dataclasses.dataclass(slots=True)
class _Entry:
    rel: str
    st: os.stat_result
    kind: str                 # dir, file, link, special
    target: str = ''          # symlink target
    link_to: str = ''         # first path of its hard-link group


class Plan:
    """What one walk of the source found (paths relative to it)."""

    def __init__(self):
        self.dirs = []
        self.files = []
        self.links = []
        self.hardlinks = []
        self.specials = []
        self.bytes_total = 0
        #: False while the walk still runs alongside the copy.
        self.complete = True
        #: Regular files the walk found unchanged since the previous
        #: pass (``trust_before_ns``): counted, not listed...
        self.trusted_files = 0
        self.trusted_bytes = 0
        #: ... except by name in the directories that changed since
        #: (``{rel_dir: {name}}``), which the prune lists.
        self.trusted_names = {}

    @property
    def files_total(self):
        return (len(self.files) + len(self.links) + len(self.hardlinks)
                + len(self.specials) + self.trusted_files)

    def paths(self):
        return {e.rel: e for group in (self.dirs, self.files, self.links,
                                       self.hardlinks, self.specials)
                for e in group}


def _safe_error(exc, root):
    if isinstance(exc, safefs.UnsafePath):
        return CopyError('%s in %s: %s' % (exc.filename, root,
                                           exc.strerror))
    return None


def plan_tree(src, ignore=(), *, plan=None, on_dir=None, root_fd=None,
              live=False, trust_before_ns=None):
    """Walk ``src`` once and return a Plan; CopyError names the path.

    ``on_dir(dir_entry, files)``, if given, is called for each directory
    as soon as it is listed (``None`` for ``src`` itself, parents before
    children) so that copying can start while the walk goes on; ``plan``
    is then filled in place. ``ignore``d names are left out at the root
    only. The walk goes through ``root_fd`` (opened from ``src`` if not
    given): every directory is opened from its parent without following
    a symlink. With ``live`` (a source in use) an entry removed during
    the walk is left out instead of failing it. With
    ``trust_before_ns``, a regular file of one link whose ctime is older
    is only counted (``Plan.trusted_*``): the walk of a share that
    changed little costs little more than its ``stat`` calls.
    """
    plan = Plan() if plan is None else plan
    own = root_fd is None
    if own:
        try:
            root_fd = safefs.open_root(src)
        except OSError as exc:
            raise CopyError(_os_error_message(exc, src)) from None
    seen_inodes = {}
    dirs = {}
    trust = trust_before_ns
    is_reg = stat.S_ISREG
    try:
        for rel_dir, fd, entries in safefs.walk(
                root_fd, skip_root=frozenset(ignore)):
            files = []
            names = None
            if trust is not None:
                here = dirs[rel_dir].st if rel_dir else os.fstat(root_fd)
                if here.st_ctime_ns >= trust:
                    names = plan.trusted_names[rel_dir] = set()
            for name, st in entries:
                mode = st.st_mode
                if (trust is not None and is_reg(mode)
                        and st.st_ctime_ns < trust and st.st_nlink == 1):
                    plan.trusted_files += 1
                    plan.trusted_bytes += st.st_size
                    if names is not None:
                        names.add(name)
                    continue
                rel = safefs.join(rel_dir, name)
                if stat.S_ISDIR(mode):
                    item = dirs[rel] = _Entry(rel, st, 'dir')
                    plan.dirs.append(item)
                elif stat.S_ISREG(mode):
                    key = (st.st_dev, st.st_ino)
                    if st.st_nlink > 1 and key in seen_inodes:
                        plan.hardlinks.append(_Entry(
                            rel, st, 'file', link_to=seen_inodes[key]))
                        continue
                    if st.st_nlink > 1:
                        seen_inodes[key] = rel
                    files.append(_Entry(rel, st, 'file'))
                    plan.bytes_total += st.st_size
                elif stat.S_ISLNK(mode):
                    try:
                        target = safefs.readlink(fd, name)
                    except FileNotFoundError:
                        if not live:
                            raise
                        continue
                    plan.links.append(_Entry(rel, st, 'link',
                                             target=target))
                elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or \
                        stat.S_ISBLK(mode):
                    plan.specials.append(_Entry(rel, st, 'special'))
                # Sockets cannot be copied meaningfully: skipped.
            plan.files.extend(files)
            if on_dir is not None:
                on_dir(dirs.pop(rel_dir, None), files)
    except FileNotFoundError as exc:
        raise CopyError('source directory vanished: %s'
                        % (exc.filename or src)) from None
    except PermissionError as exc:
        raise CopyError('permission denied reading %s'
                        % (exc.filename or src)) from None
    except safefs.UnsafePath as exc:
        raise _safe_error(exc, src) from None
    finally:
        if own:
            os.close(root_fd)
    return plan


@functools.cache
def fastest_algorithm():
    """The quicker of sha256 and blake2b here (sha256 wins with SHA
    extensions, blake2b without); a one-off 8 MiB calibration."""
    data = bytes(4 * 1024 * 1024)
    timings = []
    for name in ('sha256', 'blake2b'):
        started = time.perf_counter()
        hashlib.new(name).update(data)
        timings.append((time.perf_counter() - started, name))
    return min(timings)[1]


_ZEROS = bytes(_BUF)


def _digest_fd(fd, algorithm, buf, cancel=None):
    """Hex digest of what ``fd`` holds, None if cancelled.

    What is hashed is the size, then per 1 MiB block a tag and the data,
    a block of zeros as its tag alone: equal contents give equal digests
    whatever holes either file has, and holes are neither read nor
    hashed (a sparse file is checked at the speed of its data).
    """
    size = os.fstat(fd).st_size
    h = hashlib.new(algorithm)
    h.update(b'%d;' % size)
    pos = data = data_end = 0
    while pos < size:
        if cancel is not None and cancel.is_set():
            return None
        n = min(_BUF, size - pos)
        if pos >= data_end:     # find the next extent with data
            try:
                data = os.lseek(fd, pos, os.SEEK_DATA)
                data_end = os.lseek(fd, data, os.SEEK_HOLE)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                data = data_end = size
        if pos + n <= data:
            h.update(b'Z')
        else:
            block = buf if n == _BUF else memoryview(buf)[:n]
            if os.preadv(fd, [block], pos) != n:
                raise OSError(errno.ENODATA, 'file shrank while hashed')
            if (buf == _ZEROS if n == _BUF else
                    bytes(block) == _ZEROS[:n]):
                h.update(b'Z')
            else:
                h.update(b'D')
                h.update(block)
        pos += n
    return h.hexdigest()


def file_digest(path, algorithm='sha256', cancel=None):
    """The digest verification compares (see _digest_fd)."""
    parent = safefs.open_root(os.path.dirname(os.path.abspath(path)))
    try:
        fd = safefs.open_read(parent, os.path.basename(path))
    finally:
        os.close(parent)
    try:
        return _digest_fd(fd, algorithm, bytearray(_BUF), cancel)
    finally:
        os.close(fd)


def _cached(dirs, batch):
    """Whether the batch's first data is in the page cache (reading it
    would not wait on a disk); True where the kernel cannot tell."""
    entry = next((e for e in batch if e.st.st_size), None)
    if entry is None:
        return True
    try:
        fd = safefs.open_read(*dirs.parent(entry.rel))
    except OSError:
        return True  # the copy itself reports the error
    try:
        os.preadv(fd, [bytearray(1)], 0, os.RWF_NOWAIT)
        return True
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def _same_content(a, b):
    """Whether two stats of one file say it did not change between."""
    return (a.st_size, a.st_mtime_ns, a.st_ctime_ns) == \
        (b.st_size, b.st_mtime_ns, b.st_ctime_ns)


class _Tally:
    """Counters of one thread: written only by it, summed by others;
    also the thread's cached source and destination directories."""

    __slots__ = ('bytes', 'files', 'bytes_copied', 'files_copied',
                 'bytes_linked', 'files_linked', 'link_dirs',
                 'current', 'mismatches', '_buf', 'src_dirs', 'dst_dirs')

    def __init__(self, src_fd, dst_fd, link_fd=None):
        self.bytes = self.files = 0
        self.bytes_copied = self.files_copied = 0
        self.bytes_linked = self.files_linked = 0
        self.link_dirs = (safefs.DirCache(link_fd) if link_fd is not None
                          else None)
        self.current = ''
        self.mismatches = []
        self._buf = None
        self.src_dirs = safefs.DirCache(src_fd)
        self.dst_dirs = safefs.DirCache(dst_fd)

    @property
    def buf(self):
        if self._buf is None:
            self._buf = bytearray(_BUF)
        return self._buf

    def close(self):
        self.src_dirs.close()
        self.dst_dirs.close()
        if self.link_dirs is not None:
            self.link_dirs.close()


class _Gate:
    """How many workers copy small files at once.

    With warm caches a small file costs CPU only, and in CPython more
    threads then mostly hand the GIL to each other (measured here: 8
    threads took 1.3 times as long as one); when files wait on a cold
    disk or a remote file system, many in flight is what helps (8
    threads: twice as fast as one). A batch that ran alone tells which
    case holds: if two in a row spent most of their time off the CPU,
    every worker may go; if not, one at a time. Each second one batch
    runs alone again to re-decide. Large files, and batches whose source
    is not in the page cache (``RWF_NOWAIT`` says so), bypass the gate.
    """

    def __init__(self, workers):
        self._cond = threading.Condition()
        self._workers = workers
        self._limit = 1
        self._active = 0
        self._waits = 0
        self._probe_at = 0.0

    def enter(self):
        """Wait for a slot; True if this batch runs alone (measured)."""
        with self._cond:
            while self._active >= self._limit:
                self._cond.wait()
            self._active += 1
            solo = self._limit == 1
            if not solo and time.monotonic() >= self._probe_at:
                self._limit = 1  # drain, then one batch alone
            return solo

    def leave(self, solo, wall, cpu):
        with self._cond:
            self._active -= 1
            if solo:
                # Two waiting batches in a row: one may just have been
                # descheduled.
                waited = wall - cpu > 0.6 * wall
                self._waits = self._waits + 1 if waited else 0
                self._limit = self._workers if self._waits >= 2 else 1
                self._probe_at = time.monotonic() + 1.0
            self._cond.notify(max(1, self._limit - self._active))


class _Checkpoint:
    """Completed files, appended as JSON lines and fsynced in batches."""

    def __init__(self, path):
        self.done = {}
        self._lock = threading.Lock()
        self._pending = []
        self._last_flush = time.monotonic()
        self._file = None
        if path is None:
            return
        for line in safefs.read_lines(path):
            try:
                item = json.loads(line)
                self.done[item['p']] = (item['s'], item['m'])
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line after a crash
        self._file = safefs.open_append(path)

    def is_done(self, entry):
        return self.done.get(entry.rel) == (entry.st.st_size,
                                            entry.st.st_mtime_ns)

    def add(self, entry):
        if self._file is None:
            return
        line = json.dumps({'p': entry.rel, 's': entry.st.st_size,
                           'm': entry.st.st_mtime_ns})
        with self._lock:
            self._pending.append(line)
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


def _os_error_message(exc, path):
    where = exc.filename or path
    if isinstance(exc, FileNotFoundError):
        return '%s vanished during the copy' % where
    if isinstance(exc, PermissionError):
        return 'permission denied: %s' % where
    if exc.errno == errno.ENOSPC:
        return 'no space left on device writing %s' % where
    return '%s: %s' % (where, exc.strerror or exc)


class CopyJob:
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
        if algorithm in (None, 'auto'):
            algorithm = fastest_algorithm()
        hashlib.new(algorithm)  # an unknown algorithm fails here
        self.algorithm = algorithm
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
        if not safefs.is_dir(self.src):
            raise CopyError('source %s is not a directory' % self.src)
        if safefs.is_within(self.dest, self.src):
            raise CopyError('destination %s is inside the source %s'
                            % (self.dest, self.src))
        safefs.makedirs(self.dest)
        self._src_fd = safefs.open_root(self.src)
        self._dst_fd = safefs.open_root(self.dest)
        if self.link_dest is not None and safefs.is_dir(self.link_dest):
            self._link_fd = safefs.open_root(self.link_dest)

    def _choose_shortcuts(self):
        """Skip chown/chmod calls that cannot change anything: a file we
        create is ours (unless a setgid directory gives it another
        group: directories only get their setgid bit at the end), with
        its creation mode minus the umask."""
        self._umask = safefs.read_umask()
        dest_setgid = os.fstat(self._dst_fd).st_mode & stat.S_ISGID
        self._own = None if dest_setgid else (os.geteuid(), os.getegid())

    def run(self):
        """Copy; return a CopyResult (never raises for copy failures)."""
        start = time.monotonic()
        plan = Plan()
        result = CopyResult(state='error')
        stop_reporter = threading.Event()
        reporter = None
        checkpoint = None
        try:
            self._prepare()
            checkpoint = _Checkpoint(self.checkpoint_path)
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
            state = 'completed'
        except CopyError as exc:
            state, result.error = 'error', str(exc)
        except safefs.UnsafePath as exc:
            state = 'error'
            result.error = str(_safe_error(exc, self.src))
        except OSError as exc:
            state = 'error'
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
            state = 'cancelled'
        elif state == 'completed' and result.mismatches:
            state = 'error'
            result.error = ('checksum mismatch: %s'
                            % ', '.join(result.mismatches[:10]))
        result.state = state
        result.elapsed = time.monotonic() - start
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
        pass left it (``trust_unchanged``, see the module docstring)."""
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
        with safefs.parent_of(self._dst_fd, entry.rel) as (fd, name):
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
        directory is created first."""
        if self._stopping():
            raise _Stopped()
        if dir_entry is not None and self._direct:
            self._make_dir(dir_entry)
        batch = self._batch
        tally = self._tally() if self.trust_unchanged else None
        for entry in files:
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

    def _apply_meta(self, fd, name, st, *, is_link=False, new=None,
                    mode_now=None):
        """Owner, mode and times of ``(fd, name)``, never following a
        link (``new``: we created it; ``mode_now``: its mode if
        known)."""
        new = self._direct if new is None else new
        mode = stat.S_IMODE(st.st_mode)
        if not new or self._own != (st.st_uid, st.st_gid):
            mode_now = None  # chown may clear set-id bits
            safefs.chown(fd, name, st.st_uid, st.st_gid)
        if not is_link and mode_now != mode:
            safefs.chmod(fd, name, mode)
        safefs.set_times(fd, st, name)

    # --- one regular file ----------------------------------------------------
    def _copy_one(self, entry, checkpoint, tally):
        size = entry.st.st_size
        tally.current = entry.rel
        try:
            src_fd, name = tally.src_dirs.parent(entry.rel)
            dst_fd, _ = tally.dst_dirs.parent(entry.rel)
            if not self._direct and self._unchanged(
                    entry, src_fd, dst_fd, name,
                    checkpoint.is_done(entry)):
                tally.bytes += size
                tally.files += 1
                return
            if tally.link_dirs is not None and self._link_unchanged(
                    entry, dst_fd, name, tally):
                tally.bytes += size
                tally.files += 1
                tally.bytes_linked += size
                tally.files_linked += 1
                checkpoint.add(entry)
                return
            good = self._copy_file(entry, src_fd, dst_fd, name, tally)
        except safefs.UnsafePath as exc:
            raise _safe_error(exc, self.src) from None
        except _Changed:
            if self.live:
                # Still being written: the next pass takes it.
                tally.files += 1
                return
            raise CopyError('%s kept changing during the copy (%d '
                            'attempts)' % (entry.rel, _ATTEMPTS)) from None
        except OSError as exc:
            if self.live and isinstance(exc, FileNotFoundError):
                # Removed or renamed meanwhile: the next pass takes
                # what is there then.
                tally.files += 1
                return
            where = self.dest if exc.errno == errno.ENOSPC else self.src
            exc.filename = None
            raise CopyError(_os_error_message(
                exc, where + '/' + entry.rel)) from None
        if self._stopping():
            return
        if not good:
            # A bad copy never takes the real name: a later size/mtime
            # pass would otherwise trust it.
            tally.mismatches.append(entry.rel)
            return
        tally.bytes_copied += size
        tally.files_copied += 1
        tally.files += 1
        checkpoint.add(entry)

    def _link_unchanged(self, entry, dst_fd, name, tally):
        """Hard-link the file from ``link_dest`` if it is unchanged
        since that copy (see the module docstring); False to copy."""
        st = entry.st
        try:
            link_fd, _ = tally.link_dirs.parent(entry.rel)
            old = safefs.lstat_or_none(link_fd, name)
        except (OSError, safefs.UnsafePath):
            return False  # its directory is new, or not one there
        if (old is None or not stat.S_ISREG(old.st_mode)
                or old.st_size != st.st_size
                or old.st_mtime_ns != st.st_mtime_ns
                or old.st_mode != st.st_mode
                or (old.st_uid, old.st_gid) != (st.st_uid, st.st_gid)
                or st.st_ctime_ns >= old.st_ctime_ns):
            return False
        if not self._direct:
            safefs.unlink(dst_fd, name)  # a resumed run's partial file
        try:
            safefs.hardlink(link_fd, name, dst_fd, name)
        except (FileNotFoundError, FileExistsError):
            return False
        except OSError as exc:
            if exc.errno in (errno.EMLINK, errno.EXDEV, errno.EPERM):
                return False
            raise
        return True

    def _unchanged(self, entry, src_fd, dst_fd, name, recorded):
        """Whether the destination already holds the file (metadata
        fixed on an incremental pass). Size and mtime decide, as the
        mtime is set last; with ``verify`` on an incremental pass,
        contents decide unless the checkpoint recorded the file."""
        st = entry.st
        if (self.recheck_after_ns is not None
                and st.st_ctime_ns >= self.recheck_after_ns):
            # Changed since (or just before) the previous pass: a change
            # within the clock's granularity after that pass read it may
            # have kept size and mtime, an xattr set after it read them
            # is older than the copy's ctime, and a writer may put an
            # mtime back. Copied again.
            return False
        dst_st = safefs.lstat_or_none(dst_fd, name)
        if dst_st is None:
            return False
        if not stat.S_ISREG(dst_st.st_mode) or dst_st.st_size != st.st_size:
            return False
        if (self.verify and self.verify_unchanged and self.incremental
                and not recorded):
            digests = []
            for fd in (src_fd, dst_fd):
                f = safefs.open_read(fd, name)
                try:
                    digests.append(_digest_fd(f, self.algorithm,
                                              bytearray(_BUF)))
                finally:
                    os.close(f)
            if digests[0] != digests[1]:
                return False
        elif dst_st.st_mtime_ns != st.st_mtime_ns:
            return False
        if self.incremental:
            # The source's xattrs cannot have changed since we last set
            # the copy's metadata if its ctime is older: skip listing.
            if st.st_ctime_ns >= dst_st.st_ctime_ns:
                wanted = safefs.xattrs(src_fd, name)
                if wanted != safefs.xattrs(dst_fd, name):
                    safefs.set_xattrs(dst_fd, wanted, name)
            if (dst_st.st_uid, dst_st.st_gid) != (st.st_uid, st.st_gid):
                safefs.chown(dst_fd, name, st.st_uid, st.st_gid)
            if (stat.S_IMODE(dst_st.st_mode) != stat.S_IMODE(st.st_mode)
                    or dst_st.st_uid != st.st_uid):
                safefs.chmod(dst_fd, name, stat.S_IMODE(st.st_mode))
            if dst_st.st_mtime_ns != st.st_mtime_ns:
                safefs.set_times(dst_fd, st, name)
        return True

    def _copy_file(self, entry, src_fd, dst_fd, name, tally):
        """Data, xattrs, owner, mode and times, through descriptors;
        False if ``verify`` found the copy differs. A source that
        changes meanwhile is copied again (``_Changed`` after
        ``_ATTEMPTS``); the copy only takes its name when complete."""
        fin = safefs.open_read(src_fd, name)
        try:
            st = os.fstat(fin)
            if not stat.S_ISREG(st.st_mode):
                # Replaced by something else since the walk.
                raise _Changed()
            entry.st = st
            mode = stat.S_IMODE(st.st_mode)
            # Created with its final mode when the umask keeps it intact
            # (the descriptor stays writable): one fchmod less per file.
            exact = (self._umask is not None and not mode & 0o7000
                     and not mode & self._umask)
            if self._direct:
                fout, tmp = safefs.open_write(
                    dst_fd, name, mode if exact else 0o600), name
            else:
                fout, tmp = safefs.open_unnamed(dst_fd,
                                                mode if exact else 0o600)
            complete = False
            try:
                for attempt in range(_ATTEMPTS):
                    if attempt:
                        tally.bytes -= entry.st.st_size
                        os.ftruncate(fout, 0)
                        st = entry.st = os.fstat(fin)
                    try:
                        self._copy_data(fin, fout, st, tally)
                    except OSError as exc:
                        if exc.errno != errno.ENODATA:  # it shrank
                            raise
                        continue
                    if _same_content(os.fstat(fin), st):
                        break
                else:
                    raise _Changed()
                if self._stopping():
                    return True
                if self.verify:
                    # Before the times are set: reading moves the atime.
                    a = _digest_fd(fin, self.algorithm, tally.buf,
                                   self._cancel)
                    b = _digest_fd(fout, self.algorithm, tally.buf,
                                   self._cancel)
                    if self._stopping():
                        return True
                    if a != b or not _same_content(os.fstat(fin), st):
                        return False
                self._finish_file(fin, fout, st, exact)
                if not self._direct:
                    safefs.publish(fout, tmp, dst_fd, name)
                complete = True
            finally:
                os.close(fout)
                if not complete and tmp is not None:
                    safefs.unlink(dst_fd, tmp)
        finally:
            os.close(fin)
        return True

    def _copy_data(self, fin, fout, st, tally):
        size = st.st_size
        if size and st.st_blocks * 512 < size:
            self._copy_sparse(fin, fout, size, tally)
            os.ftruncate(fout, size)  # a trailing hole
        elif size:
            self._copy_range(fin, fout, 0, size)

    def _finish_file(self, fin, fout, st, exact):
        xattrs = safefs.xattrs(fin)
        if xattrs:
            safefs.set_xattrs(fout, xattrs)
        if self._own != (st.st_uid, st.st_gid):
            exact = False  # fchown may drop mode bits
            try:
                os.fchown(fout, st.st_uid, st.st_gid)
            except PermissionError:
                pass
        if not exact:
            os.fchmod(fout, stat.S_IMODE(st.st_mode))
        safefs.set_times(fout, st)

    def _copy_sparse(self, fin, fout, size, tally):
        offset = 0
        while offset < size and not self._stopping():
            try:
                data = os.lseek(fin, offset, os.SEEK_DATA)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                data = size                       # only a hole remains
            data = min(data, size)
            tally.bytes += data - offset          # holes count as done
            if data >= size:
                return
            hole = min(os.lseek(fin, data, os.SEEK_HOLE), size)
            self._copy_range(fin, fout, data, hole - data)
            offset = hole

    def _copy_range(self, fin, fout, offset, length):
        """Copy ``length`` bytes at ``offset`` in chunks, checking for a
        cancel between chunks; the fastest method that works sticks."""
        tally = self._tally()
        pos, end = offset, offset + length
        while pos < end:
            if self._stopping():
                return
            want = min(self.chunk_size, end - pos)
            method = self._method
            try:
                if method == 'copy_file_range':
                    n = os.copy_file_range(fin, fout, want, pos, pos)
                elif method == 'sendfile':
                    os.lseek(fout, pos, os.SEEK_SET)
                    n = os.sendfile(fout, fin, pos, want)
                else:
                    data = os.pread(fin, min(want, 8 * _BUF), pos)
                    n = os.pwrite(fout, data, pos) if data else 0
            except OSError as exc:
                if method == 'buffered' or exc.errno not in (
                        errno.EXDEV, errno.EINVAL, errno.ENOSYS,
                        errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM):
                    raise
                self._method = ('sendfile' if method == 'copy_file_range'
                                else 'buffered')
                continue
            if n == 0:
                raise OSError(errno.ENODATA, 'file shrank during the copy')
            pos += n
            tally.bytes += n


def _copy_chunks(fin, fout, size):
    """Copy ``size`` bytes from the start (copy_file_range, else
    buffered); fewer if the source shrank."""
    pos = 0
    fast = True
    while pos < size:
        want = min(DEFAULT_CHUNK, size - pos)
        if fast:
            try:
                n = os.copy_file_range(fin, fout, want, pos, pos)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EINVAL,
                                     errno.ENOSYS, errno.EOPNOTSUPP,
                                     errno.ENOTSUP, errno.EPERM):
                    raise
                fast = False
                continue
        else:
            data = os.pread(fin, min(want, 8 * _BUF), pos)
            n = os.pwrite(fout, data, pos) if data else 0
        if n == 0:
            return
        pos += n


def copy_file_at(src_dir, dst_dir, name):
    """Copy the regular file ``name`` of the directory descriptor
    ``src_dir`` into ``dst_dir`` with its xattrs, owner, mode and times,
    replacing what has the name there only once the copy is complete;
    a source that keeps changing meanwhile raises CopyError."""
    fin = safefs.open_read(src_dir, name)
    try:
        for _attempt in range(_ATTEMPTS):
            st = os.fstat(fin)
            if not stat.S_ISREG(st.st_mode):
                raise CopyError('%s is not a regular file' % name)
            fout, tmp = safefs.open_unnamed(dst_dir, 0o600)
            published = False
            try:
                _copy_chunks(fin, fout, st.st_size)
                if not _same_content(os.fstat(fin), st):
                    continue
                xattrs = safefs.xattrs(fin)
                if xattrs:
                    safefs.set_xattrs(fout, xattrs)
                try:
                    os.fchown(fout, st.st_uid, st.st_gid)
                except PermissionError:
                    pass
                os.fchmod(fout, stat.S_IMODE(st.st_mode))
                safefs.set_times(fout, st)
                safefs.publish(fout, tmp, dst_dir, name)
                published = True
                return
            finally:
                os.close(fout)
                if tmp is not None and not published:
                    safefs.unlink(dst_dir, tmp)
        raise CopyError('%s kept changing during the copy (%d attempts)'
                        % (name, _ATTEMPTS))
    finally:
        os.close(fin)
