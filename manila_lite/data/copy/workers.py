"""Per-thread tallies and the gate on small-file concurrency."""

import threading
import time

from manila_lite.data import safefs
from manila_lite.data.copy.base import _BUF


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
