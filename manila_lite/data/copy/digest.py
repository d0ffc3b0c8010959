"""Digests verification compares (holes neither read nor hashed).

The default is xxh3-128 (the ``xxhash`` package): about ten times
sha256's speed here, and collisions by accident are as unlikely as
anyone needs for a copy check (it is not meant against an attacker who
writes both trees). ``sha256``, ``blake2b`` or any ``hashlib`` name can
be chosen instead.
"""

import errno
import functools
import hashlib
import os
import time

import xxhash

from manila_lite.data import safefs
from manila_lite.data.copy.base import _BUF

#: The algorithms the service configuration offers (any hashlib name
#: works through the library).
ALGORITHMS = ('xxh3_128', 'sha256', 'blake2b')
DEFAULT_ALGORITHM = 'xxh3_128'


def resolve_algorithm(algorithm):
    """The algorithm name a job records (``'auto'`` or None: xxh3-128);
    an unknown name raises ValueError here, before any copy."""
    if algorithm in (None, 'auto'):
        algorithm = DEFAULT_ALGORITHM
    new_hash(algorithm)
    return algorithm


def new_hash(algorithm):
    """A fresh hash object of ``algorithm``."""
    if algorithm == 'xxh3_128':
        return xxhash.xxh3_128()
    return hashlib.new(algorithm)


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
    st = os.fstat(fd)
    size = st.st_size
    h = new_hash(algorithm)
    h.update(b'%d;' % size)
    pos = data = 0
    # A file with every block allocated has no hole to look for: two
    # lseek calls less (most of a small file's hashing).
    data_end = size if st.st_blocks * 512 >= size else 0
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
