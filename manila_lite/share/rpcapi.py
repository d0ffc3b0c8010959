"""Client side of the share service's RPC API.

Every call is a cast to the share service owning the instance
(``host@backend``; the pool is stripped) and carries ids only: the
manager reloads state from the database.

History:
    1.0 - create_share_instance, delete_share_instance, create_snapshot,
          delete_snapshot, update_access
    1.1 - ensure_shares
    1.2 - migration_start, migration_complete, migration_cancel,
          migration_poll
    1.3 - create_replica, delete_replica, promote_replica,
          update_replica_state
    1.4 - extend_share, shrink_share
    1.5 - revert_to_snapshot
    1.6 - snapshot_update_access
"""

from manila_lite.common import rpc


class ShareAPI:
    RPC_API_VERSION = '1.6'

    def __init__(self, conf):
        self.client = rpc.get_client(conf, conf.share_topic,
                                     self.RPC_API_VERSION)

    def _cast(self, context, host, method, version='1.0', **kwargs):
        cctxt = self.client.prepare(server=rpc.server_of(host),
                                    version=version)
        cctxt.cast(context, method, **kwargs)

    def create_share_instance(self, context, host, share_instance_id):
        self._cast(context, host, 'create_share_instance',
                   share_instance_id=share_instance_id)

    def delete_share_instance(self, context, host, share_instance_id,
                              force=False):
        self._cast(context, host, 'delete_share_instance',
                   share_instance_id=share_instance_id, force=force)

    def create_snapshot(self, context, host, snapshot_instance_id):
        self._cast(context, host, 'create_snapshot',
                   snapshot_instance_id=snapshot_instance_id)

    def delete_snapshot(self, context, host, snapshot_instance_id,
                        force=False):
        self._cast(context, host, 'delete_snapshot',
                   snapshot_instance_id=snapshot_instance_id, force=force)

    def update_access(self, context, host, share_instance_id):
        self._cast(context, host, 'update_access',
                   share_instance_id=share_instance_id)

    def ensure_shares(self, context, host):
        """Re-read mutable options and ensure every share of ``host``."""
        self._cast(context, host, 'ensure_shares', version='1.1')

    def migration_start(self, context, host, share_id, dest_host, flags):
        """Phase 1 on the source host; ``flags``: writable,
        preserve_metadata, nondisruptive, preserve_snapshots,
        force_host_assisted_migration, new_share_type_id."""
        self._cast(context, host, 'migration_start', version='1.2',
                   share_id=share_id, dest_host=dest_host, flags=flags)

    def migration_complete(self, context, host, share_id):
        self._cast(context, host, 'migration_complete', version='1.2',
                   share_id=share_id)

    def migration_cancel(self, context, host, share_id):
        self._cast(context, host, 'migration_cancel', version='1.2',
                   share_id=share_id)

    def migration_poll(self, context, host, share_id):
        """Advance a migration now (e.g. its copy job just ended)."""
        self._cast(context, host, 'migration_poll', version='1.2',
                   share_id=share_id)

    def create_replica(self, context, host, share_replica_id):
        self._cast(context, host, 'create_replica', version='1.3',
                   share_replica_id=share_replica_id)

    def delete_replica(self, context, host, share_replica_id, force=False):
        self._cast(context, host, 'delete_replica', version='1.3',
                   share_replica_id=share_replica_id, force=force)

    def promote_replica(self, context, host, share_replica_id):
        self._cast(context, host, 'promote_replica', version='1.3',
                   share_replica_id=share_replica_id)

    def update_replica_state(self, context, host, share_replica_id):
        """Sync the replica now (the ``resync`` action)."""
        self._cast(context, host, 'update_replica_state', version='1.3',
                   share_replica_id=share_replica_id)

    def extend_share(self, context, host, share_instance_id, new_size,
                     force=False):
        """Grow one instance; ``force`` skips the pool capacity check."""
        self._cast(context, host, 'extend_share', version='1.4',
                   share_instance_id=share_instance_id, new_size=new_size,
                   force=force)

    def shrink_share(self, context, host, share_instance_id, new_size):
        self._cast(context, host, 'shrink_share', version='1.4',
                   share_instance_id=share_instance_id, new_size=new_size)

    def revert_to_snapshot(self, context, host, share_instance_id,
                           snapshot_instance_id):
        """Make the instance's content its snapshot's (2.27)."""
        self._cast(context, host, 'revert_to_snapshot', version='1.5',
                   share_instance_id=share_instance_id,
                   snapshot_instance_id=snapshot_instance_id)

    def snapshot_update_access(self, context, host, snapshot_instance_id):
        """Export a mountable snapshot's instance to its rules (2.32)."""
        self._cast(context, host, 'snapshot_update_access', version='1.6',
                   snapshot_instance_id=snapshot_instance_id)
