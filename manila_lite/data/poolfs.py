"""The service's own files: pool bookkeeping, never share content.

Sidecars, the exports file, migration records and pool directories live
on paths only the service writes, so these helpers take path strings.
Anything beneath a share root goes through ``safefs`` instead.
"""

import json
import os
import stat
import tempfile

from manila_lite.data import safefs


def remove_path(path):
    """Remove a file or a whole tree at a path the service owns (its
    last component may be a symlink: only the link goes)."""
    parent = safefs.open_root(os.path.dirname(path) or '.')
    try:
        safefs.remove_tree(parent, os.path.basename(path))
    finally:
        os.close(parent)


def is_within(path, root):
    """Whether ``path`` is ``root`` or beneath it, links resolved (both
    are the service's own paths)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def real_path(path):
    """A service path with its links resolved (pool identity)."""
    return os.path.realpath(path)


def is_writable(path):
    return os.access(path, os.W_OK)


def read_umask():
    """The process umask without changing it (other threads may be
    creating files), or None where /proc does not say."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('Umask:'):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return None


def read_lines(path):
    """Lines of a service file; [] if it does not exist."""
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def open_append(path):
    return open(path, 'a')


def is_dir(path):
    """Whether ``path`` is a directory itself (not a symlink to one)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def exists(path):
    return os.path.lexists(path)


def device_of(path):
    return os.stat(path).st_dev


def makedirs(path, mode=0o777):
    os.makedirs(path, mode, exist_ok=True)


def listdir(path):
    """Names in a service directory; [] if it does not exist."""
    try:
        return os.listdir(path)
    except FileNotFoundError:
        return []


def unlink_path(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def replace_path(src, dst):
    os.replace(src, dst)


def read_json(path):
    """The JSON in a service file; None if missing, ValueError if not
    JSON."""
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def atomic_write(path, text, durable=True):
    """Replace ``path`` atomically; ``durable`` also fsyncs it."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path),
                               prefix='.tmp-', text=True)
    with os.fdopen(fd, 'w') as f:
        f.write(text)
        if durable:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)
