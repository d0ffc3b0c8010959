"""Pool ordering: most free capacity after the reserved part first."""

import math

from manila_lite.scheduler import host_manager
from manila_lite.scheduler import weighers
from manila_lite.scheduler.weighers import capacity


def _pool(name, free, total=100.0, reserved=0):
    return host_manager.PoolState(
        host='n@b#%s' % name, backend_host='n@b', pool_name=name,
        availability_zone='az1',
        capabilities={'free_capacity_gb': free, 'total_capacity_gb': total,
                      'reserved_percentage': reserved})


def test_most_free_after_reserved_wins():
    # p1 has more raw free space, but half of its 1000 GiB is reserved.
    pools = [_pool('p1', 600.0, total=1000.0, reserved=50),
             _pool('p2', 200.0), _pool('p3', 50.0)]
    ordered = weighers.order(pools, {'size': 1})
    assert [p.pool_name for p in ordered] == ['p2', 'p1', 'p3']


def test_infinite_and_unknown_rank_at_the_ends():
    pools = [_pool('a', 'unknown'), _pool('b', 10.0),
             _pool('c', 'infinite')]
    assert [p.pool_name for p in weighers.order(pools, {})] == [
        'c', 'b', 'a']
    assert capacity.weigh(_pool('c', 'infinite'), {}) == math.inf


def test_ties_are_stable_and_multiplier_reverses():
    pools = [_pool('b', 10.0), _pool('a', 10.0), _pool('z', 1.0)]
    assert [p.pool_name for p in weighers.order(pools, {})] == [
        'a', 'b', 'z']
    spread = weighers.order(pools, {},
                            multipliers={'CapacityWeigher': -1.0})
    assert spread[0].pool_name == 'z'
