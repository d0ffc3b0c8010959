"""An in-memory driver for unit tests only (stevedore name ``fake``).

It keeps its shares in a dict and can be told to fail: set
``FakeShareDriver.fail_on`` to a set of method names. Never use it in a
deployment: nothing it "stores" survives the process.
"""

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.share import driver


class FakeShareDriver(driver.ShareDriver):
    #: Method names that raise ShareBackendException (set by tests).
    fail_on = set()

    def __init__(self, conf, backend_name):
        super().__init__(conf, backend_name)
        self.shares = {}
        self.snapshots = {}
        self.rules = {}

    def _maybe_fail(self, name):
        if name in self.fail_on:
            raise exceptions.ShareBackendException(
                msg='fake failure in %s' % name)

    def _exports(self, instance):
        return [{'path': 'fake:/%s' % instance.id, 'is_admin_only': False,
                 'preferred': True}]

    def get_share_stats(self, refresh=False):
        return {
            'share_backend_name': self.backend_name,
            'driver_handles_share_servers': False,
            'snapshot_support': True,
            'create_share_from_snapshot_support': True,
            'replication_type': None,
            'pools': [{'pool_name': 'fake', 'total_capacity_gb': 1000.0,
                       'free_capacity_gb': 900.0,
                       'allocated_capacity_gb': 0,
                       'reserved_percentage': 0}],
        }

    def create_share(self, context, instance, pool):
        self._maybe_fail('create_share')
        self.shares[instance.id] = {'size': instance.share.size,
                                    'pool': pool}
        return self._exports(instance)

    def create_share_from_snapshot(self, context, instance, pool,
                                   snapshot_instance, snapshot_share_instance):
        self._maybe_fail('create_share_from_snapshot')
        self.shares[instance.id] = {'size': instance.share.size,
                                    'pool': pool,
                                    'from': snapshot_instance.id}
        return self._exports(instance)

    def delete_share(self, context, instance):
        self._maybe_fail('delete_share')
        self.shares.pop(instance.id, None)

    def ensure_shares(self, context, instances):
        self._maybe_fail('ensure_shares')
        return {i.id: {'export_locations': self._exports(i),
                       'status': (states.STATUS_AVAILABLE
                                  if i.id in self.shares
                                  else states.STATUS_ERROR)}
                for i in instances}

    def update_access(self, context, instance, access_rules, add_rules=None,
                      delete_rules=None):
        self._maybe_fail('update_access')
        self.rules[instance.id] = [(r.access_type, r.access_to)
                                   for r in access_rules]

    def create_snapshot(self, context, snapshot_instance, instance):
        self._maybe_fail('create_snapshot')
        self.snapshots[snapshot_instance.id] = instance.id
        return {'provider_location': 'fake-snap-%s' % snapshot_instance.id}

    def delete_snapshot(self, context, snapshot_instance, instance):
        self._maybe_fail('delete_snapshot')
        self.snapshots.pop(snapshot_instance.id, None)
