"""Scheduler filters and pool selection on capability data."""

from manila_lite.scheduler import filters
from manila_lite.scheduler import host_manager
from manila_lite.scheduler.filters import capabilities


def _pool(zone='az1', free=100.0, total=200.0, reserved=0, **caps):
    base = {'free_capacity_gb': free, 'total_capacity_gb': total,
            'reserved_percentage': reserved,
            'driver_handles_share_servers': False,
            'snapshot_support': True, 'replication_type': 'readable',
            'share_backend_name': 'b1'}
    base.update(caps)
    return host_manager.PoolState(host='n@b1#p', backend_host='n@b1',
                                  pool_name='p', availability_zone=zone,
                                  capabilities=base)


def test_availability_zone():
    check = filters.FILTERS['AvailabilityZoneFilter']
    assert check(_pool('az1'), {'availability_zone': 'az1'})
    assert not check(_pool('az1'), {'availability_zone': 'az2'})
    assert check(_pool('az1'), {})
    assert not check(_pool('az1'), {
        'extra_specs': {'availability_zones': 'az2, az3'}})


def test_capacity_with_reserved():
    check = filters.FILTERS['CapacityFilter']
    assert check(_pool(free=10), {'size': 10})
    assert not check(_pool(free=10), {'size': 11})
    assert not check(_pool(free=10, total=100, reserved=10), {'size': 1})


def test_capabilities():
    check = filters.FILTERS['CapabilitiesFilter']
    spec = {'extra_specs': {'driver_handles_share_servers': 'False',
                            'snapshot_support': '<is> True',
                            'capabilities:replication_type': 'readable',
                            'provisioning:max_share_size': '5'}}
    assert check(_pool(), spec)
    assert not check(_pool(snapshot_support=False), spec)
    assert not check(_pool(), {'extra_specs': {'replication_type': 'dr'}})
    assert not check(_pool(), {'extra_specs': {'thin_provisioning': 'x'}})
    assert capabilities.matches('b1', '<or> b0 <or> b1')
    assert capabilities.matches('readable dr', 'dr')


def test_capacity_with_unknown_values():
    check = filters.FILTERS['CapacityFilter']
    assert check(_pool(free='unknown'), {'size': 10 ** 6})
    assert check(_pool(free='infinite', total='infinite', reserved=5),
                 {'size': 10 ** 6})
    # A total that is not a number reserves nothing instead of crashing.
    assert check(_pool(free=10.0, total='unknown', reserved=50),
                 {'size': 10})
    assert not check(_pool(free='lots'), {'size': 1})
