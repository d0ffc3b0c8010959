"""Client side of the share service's RPC API.

Every call is a cast to the share service owning the instance
(``host@backend``; the pool is stripped) and carries ids only: the
manager reloads state from the database.

History:
    1.0 - create_share_instance, delete_share_instance, create_snapshot,
          delete_snapshot, update_access
    1.1 - ensure_shares
"""

from manila_lite.common import rpc


class ShareAPI:
    RPC_API_VERSION = '1.1'

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
