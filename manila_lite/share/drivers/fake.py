"""An in-memory driver for unit tests only (stevedore name ``fake``).

It keeps its shares, snapshots and rules in dicts of the driver object
and can be told to fail: add method names to ``driver.fail_on`` (each
instance has its own set) and those methods raise
ShareBackendException. Pools and their capacity are plain attributes a
test may replace before the stats are read. Never use it in a
deployment: nothing it "stores" survives the process.
"""

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.share import driver

_GIB = 1024 ** 3


class FakeShareDriver(driver.ShareDriver):
    def __init__(self, conf, backend_name):
        super().__init__(conf, backend_name)
        #: method names that raise ShareBackendException
        self.fail_on = set()
        #: pool name -> total capacity in GiB; free = total - allocated
        self.pools = {'fake': 1000.0}
        self.replication_type = None
        #: instance id -> {"size", "pool", "used", "from"}
        self.shares = {}
        #: snapshot instance id -> share instance id
        self.snapshots = {}
        #: instance id -> [(access_type, access_to, access_level)]
        self.rules = {}
        #: every call, in order: (method name, id)
        self.calls = []

    def _called(self, name, obj_id):
        self.calls.append((name, obj_id))
        if name in self.fail_on:
            raise exceptions.ShareBackendException(
                msg='fake failure in %s' % name)

    def _exports(self, instance):
        return [{'path': 'fake:/%s' % instance.id, 'is_admin_only': False,
                 'preferred': True, 'metadata': {}}]

    def get_share_stats(self, refresh=False):
        pools = []
        for name, total in sorted(self.pools.items()):
            allocated = sum(s['size'] for s in self.shares.values()
                            if s['pool'] == name)
            pools.append({
                'pool_name': name, 'total_capacity_gb': float(total),
                'free_capacity_gb': float(total) - allocated,
                'allocated_capacity_gb': allocated,
                'reserved_percentage': (
                    self.configuration.reserved_share_percentage)})
        return {
            'share_backend_name': (self.configuration.share_backend_name
                                   or self.backend_name),
            'vendor_name': 'manila_lite', 'driver_version': '1.0',
            'storage_protocol': 'NFS_CIFS',
            'driver_handles_share_servers': False,
            'snapshot_support': True,
            'create_share_from_snapshot_support': True,
            'replication_type': self.replication_type,
            'replication_domain': self.configuration.replication_domain,
            'pools': pools,
        }

    def create_share(self, context, instance, pool):
        self._called('create_share', instance.id)
        self.shares[instance.id] = {'size': instance.share.size,
                                    'pool': pool, 'used': 0}
        return self._exports(instance)

    def create_share_from_snapshot(self, context, instance, pool,
                                   snapshot_instance, snapshot_share_instance):
        self._called('create_share_from_snapshot', instance.id)
        if snapshot_instance.id not in self.snapshots:
            raise exceptions.ShareBackendException(
                msg='no snapshot %s' % snapshot_instance.id)
        self.shares[instance.id] = {'size': instance.share.size,
                                    'pool': pool, 'used': 0,
                                    'from': snapshot_instance.id}
        return self._exports(instance)

    def delete_share(self, context, instance):
        self._called('delete_share', instance.id)
        self.shares.pop(instance.id, None)
        self.rules.pop(instance.id, None)

    def ensure_shares(self, context, instances):
        self._called('ensure_shares', None)
        return {i.id: {'export_locations': self._exports(i),
                       'status': (states.STATUS_AVAILABLE
                                  if i.id in self.shares
                                  else states.STATUS_ERROR)}
                for i in instances}

    def get_share_size(self, context, instance):
        self._called('get_share_size', instance.id)
        return self.shares[instance.id]['used']

    def extend_share(self, context, instance, new_size):
        self._called('extend_share', instance.id)
        self.shares[instance.id]['size'] = new_size

    def shrink_share(self, context, instance, new_size):
        self._called('shrink_share', instance.id)
        share = self.shares[instance.id]
        if share['used'] > new_size * _GIB:
            raise exceptions.ShareShrinkingPossibleDataLoss(
                share_id=instance.share_id)
        share['size'] = new_size

    def update_access(self, context, instance, access_rules, add_rules=None,
                      delete_rules=None):
        self._called('update_access', instance.id)
        readonly = getattr(instance, 'cast_rules_to_readonly', False)
        self.rules[instance.id] = [
            (r.access_type, r.access_to,
             states.ACCESS_LEVEL_RO if readonly else r.access_level)
            for r in access_rules]

    def create_snapshot(self, context, snapshot_instance, instance):
        self._called('create_snapshot', snapshot_instance.id)
        self.snapshots[snapshot_instance.id] = instance.id
        return {'provider_location': 'fake-snap-%s' % snapshot_instance.id}

    def delete_snapshot(self, context, snapshot_instance, instance):
        self._called('delete_snapshot', snapshot_instance.id)
        self.snapshots.pop(snapshot_instance.id, None)
