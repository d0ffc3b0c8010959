"""Path safety for share content: every operation beneath a share root.

The users of a share may write anything into it at any moment,
symlinks included, and may swap a directory for a symlink between two
system calls. So nothing here walks a path string twice: a share root is
opened once (``open_root``), every directory beneath it is opened from
its parent's descriptor with ``O_NOFOLLOW | O_DIRECTORY`` component by
component (``open_dir``), and every other operation names an entry by
``(dir_fd, name)`` without following a final symlink. A symlink where a
directory was expected fails with ``UnsafePath`` naming the relative
path; nothing is ever read, written, changed or removed outside the
root.

The pool's own bookkeeping (sidecars, exports file, migration records,
pool directories) lives on paths only the service writes; the helpers
for those (``read_json``, ``atomic_write``, ...) are in ``poolfs``.

No RPC, no database: the copy engine, the local driver and the
replication flows use this module, and a unit test checks that they
call no path-walking function themselves.
"""

import contextlib
import errno
import os
import secrets
import stat

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NOATIME = getattr(os, 'O_NOATIME', 0)
_TMPFILE = getattr(os, 'O_TMPFILE', 0)
_IGNORED_XATTR_ERRORS = (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM,
                         errno.EACCES)
#: Bounded retries of a remove racing with a writer.
_REMOVE_ATTEMPTS = 20


class UnsafePath(OSError):
    """A component that must be a directory is not (a symlink, a file):
    the operation stops there and names the relative path."""

    def __init__(self, rel, reason='is not a directory (a symlink?)'):
        super().__init__(errno.ELOOP, reason, rel)


def join(rel_dir, name):
    return rel_dir + '/' + name if rel_dir else name


def split(rel):
    """``'a/b/c'`` -> ``('a/b', 'c')``; refuses ``..``, ``.`` and ''."""
    if not rel or not _BAD_PARTS.isdisjoint(rel.split('/')):
        raise UnsafePath(rel, 'is not a relative path beneath the root')
    head, _, name = rel.rpartition('/')
    return head, name


_BAD_PARTS = frozenset(('', '.', '..'))


def _proc(dir_fd, name=None):
    """A path naming an open descriptor (or an entry of a directory
    descriptor) through /proc: the kernel resolves it to that very
    inode, never through the name the user controls."""
    base = '/proc/self/fd/%d' % dir_fd
    return base if name is None else base + '/' + name


# --- opening -----------------------------------------------------------------
def open_root(path):
    """Open a share root (a path the service computed) as a directory,
    refusing a symlink in its last component."""
    try:
        return os.open(path, DIR_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafePath(path) from None
        raise


def open_subdir(dir_fd, name, rel=None):
    try:
        return os.open(name, DIR_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafePath(rel or name) from None
        if exc.filename is None:
            exc.filename = rel or name
        raise


def open_dir(root_fd, rel, *, create=False, mode=0o755):
    """A new descriptor of the directory ``rel`` beneath ``root_fd``
    (``''``: a duplicate of the root), opened component by component;
    ``create`` makes missing directories."""
    if not rel:
        return os.dup(root_fd)
    fd = root_fd
    done = ''
    try:
        for part in rel.split('/'):
            if part in ('', '.', '..'):
                raise UnsafePath(rel, 'is not a relative path')
            done = join(done, part)
            if create:
                try:
                    os.mkdir(part, mode, dir_fd=fd)
                except FileExistsError:
                    pass
            nxt = open_subdir(fd, part, done)
            if fd != root_fd:
                os.close(fd)
            fd = nxt
    except BaseException:
        if fd != root_fd:
            os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def parent_of(root_fd, rel, *, create=False):
    """``(dir_fd, name)`` of ``rel``'s parent, closed afterwards."""
    rel_dir, name = split(rel)
    fd = open_dir(root_fd, rel_dir, create=create)
    try:
        yield fd, name
    finally:
        os.close(fd)


class DirCache:
    """Directories one thread opened beneath a root, the most recent
    ones kept open: files come in walk order, so consecutive ones
    mostly share their parent or a grandparent, and a directory not
    cached is opened from its nearest cached ancestor (one ``openat``
    per missing component, each refusing a symlink)."""

    __slots__ = ('root_fd', '_fds')

    #: Directories kept open per thread.
    SIZE = 16

    def __init__(self, root_fd):
        self.root_fd = root_fd
        self._fds = {}   # rel -> fd, in the order of last use

    def get(self, rel_dir):
        fds = self._fds
        fd = fds.pop(rel_dir, None)
        if fd is None:
            base, rest = rel_dir, []
            while base and base not in fds:
                base, _, name = base.rpartition('/')
                rest.append(name)
            start = fds[base] if base else self.root_fd
            fd = open_dir(start, '/'.join(reversed(rest))) if rest \
                else os.dup(start)
            if len(fds) >= self.SIZE:
                os.close(fds.pop(next(iter(fds))))
        fds[rel_dir] = fd
        return fd

    def parent(self, rel):
        rel_dir, name = split(rel)
        return self.get(rel_dir), name

    def close(self):
        fds, self._fds = self._fds, {}
        for fd in fds.values():
            os.close(fd)


def open_read(dir_fd, name):
    """Open an entry for reading, never through a symlink, without
    updating its atime where allowed (the owner or root)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        fd = os.open(name, flags | _NOATIME, dir_fd=dir_fd)
    except PermissionError:
        fd = os.open(name, flags, dir_fd=dir_fd)
    # O_NONBLOCK only kept a FIFO from blocking the open.
    os.set_blocking(fd, True)
    return fd


def open_file(dir_fd, name):
    """Open an entry for reading as ``open_read`` does, for a caller
    that checks with ``fstat`` that it is a regular file (its
    ``O_NONBLOCK`` is then left on: regular files ignore it), two
    ``fcntl`` calls less."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        return os.open(name, flags | _NOATIME, dir_fd=dir_fd)
    except PermissionError:
        return os.open(name, flags, dir_fd=dir_fd)


def open_write(dir_fd, name, mode, *, exclusive=False):
    """Create or truncate a regular file, never through a symlink."""
    flags = (os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
             | (os.O_EXCL if exclusive else os.O_TRUNC))
    return os.open(name, flags, mode, dir_fd=dir_fd)


def _under_fresh_name(create):
    """``create(name)`` with a fresh temporary name, retried while the
    name exists; returns ``(result, name)``."""
    for _ in range(10):
        tmp = tmp_name()
        try:
            return create(tmp), tmp
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, 'no free temporary name')


def open_unnamed(dir_fd, mode):
    """``(fd, None)``: an unnamed file in the directory (``O_TMPFILE``)
    that ``publish`` links under its name; where the file system cannot,
    ``(fd, tmp_name)``: a file under a short random name."""
    if _TMPFILE:
        try:
            return os.open('.', os.O_RDWR | _TMPFILE | os.O_CLOEXEC, mode,
                           dir_fd=dir_fd), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR,
                                 errno.EINVAL, errno.ENOENT):
                raise
    return _under_fresh_name(
        lambda tmp: open_write(dir_fd, tmp, mode, exclusive=True))


def tmp_name():
    """A short name of our own (never longer than NAME_MAX, never a
    suffix on a user's name)."""
    return '.mltmp-%s' % secrets.token_hex(8)


def publish(fd, tmp, dir_fd, name):
    """Give ``open_unnamed``'s file the name ``name`` (replacing what
    is there, a directory excepted) atomically."""
    def link(new_name):
        os.link(_proc(fd), new_name, dst_dir_fd=dir_fd,
                follow_symlinks=True)

    if tmp is None:
        try:
            link(name)
            return
        except FileExistsError:
            _, tmp = _under_fresh_name(link)
    os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)


def symlink_replace(target, dir_fd, name):
    """Make ``name`` a symlink to ``target`` atomically."""
    _, tmp = _under_fresh_name(
        lambda tmp: os.symlink(target, tmp, dir_fd=dir_fd))
    try:
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except OSError:
        os.unlink(tmp, dir_fd=dir_fd)
        raise


# --- entries by (dir_fd, name), never following a final symlink --------------
def lstat(dir_fd, name):
    return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)


def lstat_or_none(dir_fd, name):
    try:
        return lstat(dir_fd, name)
    except FileNotFoundError:
        return None


def stat_rel(root_fd, rel):
    """``lstat`` of ``rel`` beneath the root, None if missing (or its
    parent is missing); UnsafePath if a parent is not a directory."""
    if not rel:
        return os.fstat(root_fd)
    try:
        with parent_of(root_fd, rel) as (fd, name):
            return lstat(fd, name)
    except FileNotFoundError:
        return None


def readlink(dir_fd, name):
    return os.readlink(name, dir_fd=dir_fd)


def unlink(dir_fd, name, missing_ok=True):
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        if not missing_ok:
            raise


def mkdir(dir_fd, name, mode):
    os.mkdir(name, mode, dir_fd=dir_fd)


def mknod(dir_fd, name, mode, device=0):
    if stat.S_ISFIFO(mode):
        os.mkfifo(name, stat.S_IMODE(mode), dir_fd=dir_fd)
    else:
        os.mknod(name, mode, device, dir_fd=dir_fd)


def rename(dir_fd, name, new_dir_fd, new_name):
    os.rename(name, new_name, src_dir_fd=dir_fd, dst_dir_fd=new_dir_fd)


def hardlink(dir_fd, name, new_dir_fd, new_name):
    os.link(name, new_name, src_dir_fd=dir_fd, dst_dir_fd=new_dir_fd,
            follow_symlinks=False)


def chmod(dir_fd, name, mode):
    """Mode of a file or directory; a symlink (swapped in meanwhile) is
    left alone: links have no mode of their own."""
    try:
        os.chmod(name, mode, dir_fd=dir_fd, follow_symlinks=False)
        return
    except (NotImplementedError, ValueError):
        pass  # a symlink, or a C library that cannot say
    except OSError as exc:
        if exc.errno not in (errno.EOPNOTSUPP, errno.ENOTSUP):
            raise
    # Through an O_PATH descriptor of the entry itself: if it is a
    # symlink, nothing to do; if not, /proc names that very inode.
    fd = os.open(name, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC,
                 dir_fd=dir_fd)
    try:
        if not stat.S_ISLNK(os.fstat(fd).st_mode):
            os.chmod(_proc(fd), mode)
    finally:
        os.close(fd)


def chown(dir_fd, name, uid, gid):
    """Owner where we may (not root: the entry stays ours)."""
    try:
        os.chown(name, uid, gid, dir_fd=dir_fd, follow_symlinks=False)
    except PermissionError:
        pass


def set_times(target, st, name=None):
    """Atime and mtime (ns) of ``st`` on a descriptor, or on
    ``(target, name)`` without following a symlink."""
    times = (st.st_atime_ns, st.st_mtime_ns)
    if name is None:
        os.utime(target, ns=times)
    else:
        os.utime(name, ns=times, dir_fd=target, follow_symlinks=False)


def xattrs(target, name=None):
    """Extended attributes of a descriptor or of ``(target, name)``
    itself (a symlink's own); {} where unsupported."""
    path = target if name is None else _proc(target, name)
    kw = {} if name is None else {'follow_symlinks': False}
    try:
        names = os.listxattr(path, **kw)
        return {n: os.getxattr(path, n, **kw) for n in names}
    except OSError as exc:
        if exc.errno in _IGNORED_XATTR_ERRORS:
            return {}
        raise


def set_xattrs(target, wanted, name=None):
    """Make the xattrs of a descriptor or of ``(target, name)`` equal
    ``wanted`` (ignoring unsupported ones)."""
    path = target if name is None else _proc(target, name)
    kw = {} if name is None else {'follow_symlinks': False}
    try:
        for key in os.listxattr(path, **kw):
            if key not in wanted:
                os.removexattr(path, key, **kw)
        for key, value in wanted.items():
            os.setxattr(path, key, value, **kw)
    except OSError as exc:
        if exc.errno not in _IGNORED_XATTR_ERRORS:
            raise


# --- walking -----------------------------------------------------------------
def scan(dir_fd):
    """``[(name, lstat)]`` of a directory descriptor (an entry removed
    meanwhile is left out)."""
    out = []
    with os.scandir(dir_fd) as it:
        for entry in it:
            try:
                out.append((entry.name, entry.stat(follow_symlinks=False)))
            except FileNotFoundError:
                continue
    return out


def scan_kinds(dir_fd):
    """``[(name, is_dir, is_symlink)]`` of a directory descriptor from
    the directory's own entry types (no ``stat`` per entry where the
    file system records them); never follows a symlink."""
    with os.scandir(dir_fd) as it:
        return [(entry.name, entry.is_dir(follow_symlinks=False),
                 entry.is_symlink()) for entry in it]


def walk(root_fd, *, skip_root=()):
    """Top-down ``(rel_dir, dir_fd, [(name, lstat)])`` beneath the root,
    like ``os.fwalk`` but never following a symlink: each directory is
    opened from its parent's descriptor, held until its last
    subdirectory is open (a directory swapped for a symlink raises
    UnsafePath naming it; one removed meanwhile is skipped). Names in
    ``skip_root`` are left out at the root only. ``dir_fd`` is valid
    until the next item; as with ``os.walk``, the caller may shrink the
    list to prune the descent."""
    # Stack items: (rel_dir, parent) with parent [fd, children left].
    stack = [('', None)]
    try:
        while stack:
            rel_dir, parent = stack.pop()
            try:
                if parent is None:
                    fd = os.dup(root_fd)
                else:
                    fd = open_subdir(parent[0], rel_dir.rpartition('/')[2],
                                     rel_dir)
            except FileNotFoundError:
                continue
            finally:
                if parent is not None:
                    parent[1] -= 1
                    if not parent[1]:
                        os.close(parent[0])
                        parent[0] = -1
            try:
                entries = scan(fd)
                if not rel_dir and skip_root:
                    entries = [e for e in entries if e[0] not in skip_root]
                yield rel_dir, fd, entries
            except BaseException:
                os.close(fd)
                raise
            subdirs = [join(rel_dir, name) for name, st in reversed(entries)
                       if stat.S_ISDIR(st.st_mode)]
            if not subdirs:
                os.close(fd)
                continue
            held = [fd, len(subdirs)]
            stack.extend((rel, held) for rel in subdirs)
    finally:
        # Left early: close the descriptors still held.
        for _rel, held in stack:
            if held is not None and held[0] >= 0:
                os.close(held[0])
                held[0] = -1


def tree_sizes(root_fd):
    """Bytes of the regular files beneath the root, hard links once."""
    seen = set()
    total = 0
    for _rel, _fd, entries in walk(root_fd):
        for _name, st in entries:
            if stat.S_ISREG(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key not in seen:
                    seen.add(key)
                    total += st.st_size
    return total


def set_writable(root_fd, writable):
    """Add (owner) or drop (everyone's) write permission on a tree;
    symlinks are left alone."""
    def fixed(mode):
        if writable:
            return stat.S_IMODE(mode | stat.S_IWUSR)
        return stat.S_IMODE(mode & ~(stat.S_IWUSR | stat.S_IWGRP
                                     | stat.S_IWOTH))

    st = os.fstat(root_fd)
    if fixed(st.st_mode) != stat.S_IMODE(st.st_mode):
        os.fchmod(root_fd, fixed(st.st_mode))
    for _rel, fd, entries in walk(root_fd):
        for name, st in entries:
            if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
                if fixed(st.st_mode) != stat.S_IMODE(st.st_mode):
                    chmod(fd, name, fixed(st.st_mode))


def remove_tree(dir_fd, name):
    """Remove the entry ``name`` of ``dir_fd`` and, if it is a
    directory, everything in it, never following a symlink (a link is
    removed, not its target). Iterative (any depth, one descriptor open
    at a time below the top); a writer adding entries meanwhile is
    outlasted by a bounded number of passes. Missing: nothing to do."""
    for attempt in range(_REMOVE_ATTEMPTS):
        st = lstat_or_none(dir_fd, name)
        if st is None:
            return
        if not stat.S_ISDIR(st.st_mode):
            unlink(dir_fd, name)
            return
        try:
            top = open_subdir(dir_fd, name)
        except UnsafePath:
            continue  # swapped for a link meanwhile: look again
        except FileNotFoundError:
            return
        try:
            _empty(top)
        finally:
            os.close(top)
        try:
            os.rmdir(name, dir_fd=dir_fd)
            return
        except FileNotFoundError:
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or \
                    attempt == _REMOVE_ATTEMPTS - 1:
                raise


def _empty(top):
    """Remove everything beneath the directory ``top``, deepest first:
    a directory stays on the stack until a scan finds no subdirectory
    left in it, then goes; one that turned into a link meanwhile is
    left to its parent's next scan, which unlinks it."""
    stack = ['']
    scans = {}
    while stack:
        rel = stack[-1]
        # Twice per directory unless a writer keeps filling it.
        scans[rel] = scans.get(rel, 0) + 1
        if scans[rel] > _REMOVE_ATTEMPTS:
            raise OSError(errno.ENOTEMPTY, 'a writer outpaces the removal',
                          rel)
        try:
            fd = open_dir(top, rel)
        except (UnsafePath, FileNotFoundError):
            stack.pop()
            continue
        try:
            st = os.fstat(fd)
            if st.st_mode & stat.S_IRWXU != stat.S_IRWXU:
                os.fchmod(fd, stat.S_IMODE(st.st_mode) | stat.S_IRWXU)
            subdirs = []
            for entry, est in scan(fd):
                if stat.S_ISDIR(est.st_mode):
                    subdirs.append(join(rel, entry))
                else:
                    unlink(fd, entry)
        finally:
            os.close(fd)
        if subdirs:
            stack.extend(subdirs)
            continue
        stack.pop()
        if rel:
            try:
                with parent_of(top, rel) as (pfd, last):
                    os.rmdir(last, dir_fd=pfd)
            except (UnsafePath, FileNotFoundError):
                pass
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST,
                                     errno.ENOTDIR):
                    raise
                # Filled again meanwhile: the parent's rescan sees it.
