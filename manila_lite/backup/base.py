"""The contract of a backup store (see ``manila_lite/backup``).

A backup is a complete directory tree the copy engine writes and reads
on the data node; a store says where that tree lives, makes it ready and
removes it. Trees of one share's backups must live on one file system
so that an incremental backup can hard-link unchanged files to the
previous backup's.
"""


class BackupStore:
    def __init__(self, conf, name):
        self.conf = conf
        self.name = name

    def path(self, backup):
        """The directory holding ``backup``'s tree (may not exist)."""
        raise NotImplementedError()

    def prepare(self, backup):
        """Make ``path(backup)``'s parent exist; return the path."""
        raise NotImplementedError()

    def exists(self, backup):
        raise NotImplementedError()

    def delete(self, backup):
        """Remove ``backup``'s tree (idempotent). Files hard-linked from
        other backups stay whole in those."""
        raise NotImplementedError()

    def usage(self, backups):
        """Bytes the listed backups take together (a file linked from
        several counts once)."""
        raise NotImplementedError()
