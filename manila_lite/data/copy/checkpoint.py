"""The checkpoint: completed files as JSON lines."""

import json
import os
import threading
import time

from manila_lite.data import poolfs


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
        for line in poolfs.read_lines(path):
            try:
                item = json.loads(line)
                self.done[item['p']] = (item['s'], item['m'])
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line after a crash
        self._file = poolfs.open_append(path)

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
