"""The plan: one walk of the source tree."""

import dataclasses
import os
import stat

from manila_lite.data import safefs
from manila_lite.data.copy.base import CopyError
from manila_lite.data.copy.base import _os_error_message
from manila_lite.data.copy.base import _safe_error


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

