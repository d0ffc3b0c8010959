"""The ``local`` backup store: a directory tree on the data node.

Backups live under ``backup_local_path`` as ``<share_id>/<backup_id>``;
the directories are the data service's own (mode 0700), so users never
reach them. Removal goes through ``safefs`` and never follows a link.
"""

import os
import stat

from manila_lite.backup import base
from manila_lite.common import exceptions
from manila_lite.data import poolfs
from manila_lite.data import safefs


def _component(value):
    # Ids come from our own database; refuse anything path-like anyway.
    if not value or '/' in value or value in ('.', '..'):
        raise exceptions.BackupStoreError(reason='bad name %r' % value)
    return value


class LocalStore(base.BackupStore):

    @property
    def root(self):
        return self.conf.backup_local_path

    def path(self, backup):
        return os.path.join(self.root, _component(backup.share_id),
                            _component(backup.id))

    def prepare(self, backup):
        parent = os.path.dirname(self.path(backup))
        poolfs.makedirs(parent, mode=0o700)
        return self.path(backup)

    def exists(self, backup):
        return poolfs.is_dir(self.path(backup))

    def delete(self, backup):
        parent = os.path.dirname(self.path(backup))
        if not poolfs.is_dir(parent):
            return
        fd = safefs.open_root(parent)
        try:
            safefs.remove_tree(fd, _component(backup.id))
        finally:
            os.close(fd)

    def usage(self, backups):
        seen = set()
        total = 0
        for backup in backups:
            if not self.exists(backup):
                continue
            fd = safefs.open_root(self.path(backup))
            try:
                for _rel, _dfd, entries in safefs.walk(fd):
                    for _name, st in entries:
                        key = (st.st_dev, st.st_ino)
                        if stat.S_ISDIR(st.st_mode) or key in seen:
                            continue
                        seen.add(key)
                        total += st.st_blocks * 512
            finally:
                os.close(fd)
        return total
