"""Share trees of the local driver: copy, remove, compare, merge.

Every operation on a share's files goes through ``data.safefs``
(directory descriptors, never a symlink followed): the users of a share
may put symlinks anywhere in it, or swap a directory for one at any
moment, and nothing outside the share may be read, written, changed or
removed because of it. A race that leaves a path unsafe fails the
operation with ``ShareBackendException`` naming that path.
"""

import contextlib
import ipaddress
import os
import re
import stat

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.data import copy as copy_engine
from manila_lite.data import poolfs
from manila_lite.data import safefs

LOG = logging.getLogger(__name__)

# What the exports writer accepts, per access type: a full match, no
# whitespace, no control characters, nothing that exports syntax reads
# as a separator or an option list.
_SAFE_CHARS = r'[^\s\x00-\x1f\x7f(),#"\\]'
_ACCESS_TO = {
    'user': re.compile(r'[\w.\-@$]{4,255}\Z'),
    'cert': re.compile(_SAFE_CHARS + r'{1,64}\Z'),
    'cephx': re.compile(_SAFE_CHARS + r'{1,255}\Z'),
    'ip': re.compile(r'[0-9A-Fa-f.:/]{2,49}\Z'),
}


def safe_rule(access_type, access_to, access_level):
    """Whether a rule may become an exports line (the API checks rules
    too; this is the last guard: the file never holds text that no
    client created)."""
    pattern = _ACCESS_TO.get(access_type)
    if (pattern is None or not isinstance(access_to, str)
            or access_level not in states.ACCESS_LEVELS
            or not pattern.match(access_to)):
        return False
    if access_type == 'ip':
        try:
            ipaddress.ip_network(access_to, strict=False)
        except ValueError:
            return False
    return True


def _failed(exc, root):
    if isinstance(exc, safefs.UnsafePath):
        return exceptions.ShareBackendException(
            msg='%s in %s: %s; nothing outside the share was touched'
                % (exc.filename, root, exc.strerror))
    return exceptions.ShareBackendException(
        msg='%s: %s' % (getattr(exc, 'filename', None) or root, exc))


@contextlib.contextmanager
def opened(*roots):
    """Descriptors of share roots; errors become
    ShareBackendException naming the path."""
    fds = []
    try:
        for root in roots:
            fds.append(safefs.open_root(root))
        yield fds
    except (safefs.UnsafePath, copy_engine.CopyError) as exc:
        raise _failed(exc, roots[len(fds) - 1] if fds else roots[0]) \
            from None
    finally:
        for fd in fds:
            os.close(fd)


def copy_tree(src, dst, **kwargs):
    """Copy a share or snapshot tree faithfully, or raise.

    The copy engine keeps hard links, symlinks, sparse holes, owners,
    modes, times and xattrs, and uses ``copy_file_range`` (which clones
    blocks on file systems with reflinks, so a snapshot there costs no
    space until the share changes). Never hard links: a link shares the
    inode, so a later write to the share would change the snapshot.
    """
    result = copy_engine.CopyJob(src, dst, workers=4, **kwargs).run()
    if result.state != 'completed':
        raise exceptions.ShareBackendException(
            msg='copying %s to %s failed: %s' % (src, dst, result.error))


def set_writable(root, writable):
    """Add or drop write permission on a whole tree (links untouched)."""
    with opened(root) as (fd,):
        safefs.set_writable(fd, writable)


def remove_tree(path):
    """Remove a share or snapshot directory (or file) and everything in
    it; symlinks inside are removed, never followed."""
    poolfs.remove_path(path)


def tree_size(root):
    """Bytes of the files in a tree (hard links counted once)."""
    with opened(root) as (fd,):
        try:
            return safefs.tree_sizes(fd)
        except safefs.UnsafePath as exc:
            raise _failed(exc, root) from None


def _signature(fd):
    sig = {}
    for rel_dir, dir_fd, entries in safefs.walk(fd):
        for name, st in entries:
            key = safefs.join(rel_dir, name)
            if stat.S_ISDIR(st.st_mode):
                sig[key] = ('d', st.st_mode)
            elif stat.S_ISLNK(st.st_mode):
                sig[key] = ('l', safefs.readlink(dir_fd, name))
            else:
                sig[key] = ('f', st.st_size, st.st_mtime_ns, st.st_mode)
    return sig


def tree_signature(root):
    """``{relative path: what decides equality}`` for a tree: type, and
    size, mtime (ns) and mode for files, target for links, mode for
    directories (whose mtimes a copy cannot keep stable)."""
    with opened(root) as (fd,):
        try:
            return _signature(fd)
        except safefs.UnsafePath as exc:
            raise _failed(exc, root) from None


def merge(a, b, synced_before):
    """Two-way merge of writable replica trees ``a`` and ``b`` (see the
    local driver's replication notes); returns ``b``'s signature
    afterwards (what both held at this sync)."""
    with opened(a, b) as (fa, fb):
        try:
            _merge(fa, fb, synced_before)
            return _signature(fb)
        except (OSError, copy_engine.CopyError) as exc:
            raise _failed(exc, '%s and %s' % (a, b)) from None


def _merge(fa, fb, before):
    sig_a, sig_b = _signature(fa), _signature(fb)
    # Parents first when copying, children first when deleting.
    for rel in sorted(set(sig_a) | set(sig_b)):
        ea, eb = sig_a.get(rel), sig_b.get(rel)
        if ea == eb:
            continue
        if ea is None or eb is None:
            have, lack = (fa, fb) if eb is None else (fb, fa)
            if rel in before:
                with safefs.parent_of(have, rel) as (fd, name):
                    safefs.remove_tree(fd, name)
            else:
                copy_entry(have, lack, rel)
            continue
        sa, sb = safefs.stat_rel(fa, rel), safefs.stat_rel(fb, rel)
        if sa is None or sb is None:
            continue  # removed meanwhile: the next sync sees it
        newer, other = (fa, fb) if sa.st_mtime_ns >= sb.st_mtime_ns \
            else (fb, fa)
        copy_entry(newer, other, rel)


def copy_entry(src_root, dst_root, rel):
    """Copy one entry (a directory's metadata, a symlink as a link, a
    regular file with its metadata) from one tree to the other by
    descriptors; whatever ``rel`` held on the other side is replaced."""
    with safefs.parent_of(src_root, rel) as (sfd, name), \
            safefs.parent_of(dst_root, rel, create=True) as (dfd, _):
        st = safefs.lstat_or_none(sfd, name)
        if st is None:
            return
        there = safefs.lstat_or_none(dfd, name)
        if stat.S_ISDIR(st.st_mode):
            if there is not None and not stat.S_ISDIR(there.st_mode):
                safefs.remove_tree(dfd, name)
                there = None
            if there is None:
                safefs.mkdir(dfd, name, 0o700)
            safefs.chmod(dfd, name, stat.S_IMODE(st.st_mode))
            safefs.set_times(dfd, st, name)
            return
        if there is not None and stat.S_ISDIR(there.st_mode):
            safefs.remove_tree(dfd, name)
        if stat.S_ISLNK(st.st_mode):
            safefs.symlink_replace(safefs.readlink(sfd, name), dfd, name)
            safefs.set_times(dfd, st, name)
        elif stat.S_ISREG(st.st_mode):
            copy_engine.copy_file_at(sfd, dfd, name)
        # FIFOs, devices and sockets are not merged.
