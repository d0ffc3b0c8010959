"""Client side of the scheduler's RPC API.

History:
    1.0 - create_share_instance
    1.1 - migrate_share_to_host
    1.2 - create_replica
    1.3 - create_share_group
"""

from manila_lite.common import rpc


class SchedulerAPI:
    RPC_API_VERSION = '1.3'

    def __init__(self, conf):
        self.client = rpc.get_client(conf, conf.scheduler_topic,
                                     self.RPC_API_VERSION)

    def create_share_instance(self, context, share_instance_id,
                              request_spec):
        """Pick a pool for the instance and hand it to its share host.

        ``request_spec``: plain dict with size, share_proto,
        availability_zone, share_type_id and the type's extra_specs.
        """
        cctxt = self.client.prepare(version='1.0')
        cctxt.cast(context, 'create_share_instance',
                   share_instance_id=share_instance_id,
                   request_spec=request_spec)

    def migrate_share_to_host(self, context, share_id, host, request_spec,
                              flags):
        """Check pool ``host`` passes the filters for ``request_spec``,
        then hand the migration to the source share host."""
        cctxt = self.client.prepare(version='1.1')
        cctxt.cast(context, 'migrate_share_to_host', share_id=share_id,
                   host=host, request_spec=request_spec, flags=flags)

    def create_replica(self, context, share_replica_id, request_spec):
        """Pick a pool for a new replica and hand it to its share host.

        ``request_spec`` adds to a share's: ``share_id``,
        ``active_replica_host`` and ``replication_type``.
        """
        cctxt = self.client.prepare(version='1.2')
        cctxt.cast(context, 'create_replica',
                   share_replica_id=share_replica_id,
                   request_spec=request_spec)

    def create_share_group(self, context, share_group_id, request_spec):
        """Place a new share group on one backend serving all its share
        types.

        ``request_spec``: ``share_group_id``, ``availability_zone``,
        ``project_id`` and ``share_types`` (each ``share_type_id`` and
        ``extra_specs``).
        """
        cctxt = self.client.prepare(version='1.3')
        cctxt.cast(context, 'create_share_group',
                   share_group_id=share_group_id, request_spec=request_spec)
