"""Share replication between local backends of one replication domain."""

import os

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.data import copy as copy_engine
from manila_lite.data import poolfs
from manila_lite.share.drivers import local_tree
from manila_lite.share.drivers.local import layout
from manila_lite.share.drivers.local_tree import copy_tree
from manila_lite.share.drivers.local_tree import remove_tree
from manila_lite.share.drivers.local_tree import tree_signature

LOG = logging.getLogger(__name__)


class ReplicationMixin:
    """The replica driver calls (over ``LayoutMixin``)."""

    # Every replica is a tree of its own in its own pool. ``readable`` and
    # ``dr`` replicas follow the active one through incremental copy
    # passes (deletions included); a ``readable`` replica is exported
    # with its rules cast to read-only, a ``dr`` one not at all until it
    # is promoted. ``writable`` replicas are all active and exported
    # read-write; each sync merges a replica with the oldest active one
    # (the anchor) both ways, per path: the newer mtime wins, a path
    # missing on one side is deleted on the other when both had it at
    # the previous sync, copied over otherwise. So after a sync with no
    # writes during it, both trees are equal; a path written on both
    # sides between two syncs keeps the later write (last writer wins),
    # and writes are never merged inside a file.
    def _mirror(self, src, dst):
        result = copy_engine.CopyJob(src, dst, workers=4,
                                     incremental=True).run()
        if result.state != 'completed':
            raise exceptions.ShareBackendException(
                msg='syncing %s to %s failed: %s' % (src, dst, result.error))

    def create_replica(self, context, active, replica, pool,
                       replication_type):
        src = self.source_path(active)
        path = self.share_path(replica)
        poolfs.makedirs(path, 0o775)
        self._mirror(src, path)
        if replication_type == states.REPLICATION_TYPE_WRITABLE:
            self._write_sidecar(replica, size=replica.share.size,
                                synced=sorted(tree_signature(path)))
            state = states.REPLICA_STATE_ACTIVE
        else:
            self._write_sidecar(replica, size=replica.share.size)
            state = states.REPLICA_STATE_IN_SYNC
        exports = (self.export_locations(path)
                   if replication_type != states.REPLICATION_TYPE_DR
                   else [])
        return {'export_locations': exports, 'replica_state': state}

    def delete_replica(self, context, replica):
        self.delete_share(context, replica)

    def update_replica_state(self, context, active, replica,
                             replication_type):
        src = self.source_path(active)
        dst = self.share_path(replica)
        if replication_type == states.REPLICATION_TYPE_WRITABLE:
            self._merge(replica, src, dst)
            return states.REPLICA_STATE_ACTIVE
        if replica.replica_state == states.REPLICA_STATE_IN_SYNC:
            # Report the change first; the next pass (or a resync)
            # copies it, so operators see that a replica fell behind.
            if tree_signature(src) != tree_signature(dst):
                return states.REPLICA_STATE_OUT_OF_SYNC
            return states.REPLICA_STATE_IN_SYNC
        self._mirror(src, dst)
        return states.REPLICA_STATE_IN_SYNC

    def promote_replica(self, context, old_actives, replica,
                        replication_type):
        path = self.share_path(replica)
        if replication_type != states.REPLICATION_TYPE_WRITABLE:
            # A planned switch-over takes the old active's last writes;
            # a failover from a lost active promotes what is here.
            for old in old_actives:
                try:
                    self._mirror(self.source_path(old), path)
                except Exception:
                    LOG.warning('Promoting %s without a final sync from '
                                '%s', replica.id, old.id, exc_info=True)
        exports = {replica.id: self.export_locations(path)}
        if replication_type == states.REPLICATION_TYPE_DR:
            exports.update((old.id, []) for old in old_actives)
        return exports

    def create_replicated_snapshot(self, context, active, replica,
                                   active_snapshot, snapshot):
        src = active_snapshot.provider_location or ''
        if (not os.path.isabs(src) or os.path.normpath(src) != src
                or os.path.basename(src) != layout.check_id(active_snapshot.id)
                or os.path.basename(os.path.dirname(src)) != 'snapshots'
                or not poolfs.is_dir(src)):
            raise exceptions.ShareBackendException(
                msg='snapshot %s has no usable location' % active_snapshot.id)
        dst = self._snapshot_path(snapshot, replica)
        remove_tree(dst)
        poolfs.makedirs(os.path.dirname(dst))
        copy_tree(src, dst)
        local_tree.set_writable(dst, False)
        return {'provider_location': dst}

    def _merge(self, replica, a, b):
        """Two-way merge of writable replicas (see above), by
        descriptors: a symlink in either tree is merged as a link."""
        sidecar = self._read_sidecar(self._sidecar(replica)) or {}
        after = local_tree.merge(a, b, set(sidecar.get('synced') or ()))
        self._write_sidecar(replica, synced=sorted(after))
