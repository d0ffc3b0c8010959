"""How the data service reaches a share instance's files.

A helper turns a share instance into a local directory for the time of a
copy and releases it afterwards. The ``local`` driver publishes every
instance's directory as an admin-only export location holding an
absolute path, so ``LocalPathAccess`` just checks that path exists on
this host. A mount-based helper (NFS/CIFS: allow this node's address,
mount the preferred export under a temporary directory, unmount at the
end) fits the same two methods.
"""

import os

from manila_lite.common import exceptions


class LocalPathAccess:
    """Reach an instance through its admin-only local-path export."""

    def attach(self, instance):
        """Return the directory holding ``instance``'s files."""
        for location in instance.export_locations:
            path = location.path
            if (location.is_admin_only and os.path.isabs(path)
                    and os.path.isdir(path)):
                return path
        raise exceptions.InvalidShareInstance(
            reason='share instance %s has no local path reachable from '
                   'this data host' % instance.id)

    def detach(self, instance, path):
        """Nothing to undo for a local path."""


def get_access_helper():
    return LocalPathAccess()
