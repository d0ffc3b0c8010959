"""The same_host / different_host hints: the filters on resolved
pools and pool selection with them (the share API side is in
tests/unit/api/test_scheduler_hints.py)."""

from manila_lite.scheduler import filters
from manila_lite.scheduler import manager
from tests.unit.scheduler.test_filters import _pool
from tests.unit.scheduler.test_manager import _spec


def test_affinity_filters():
    same = filters.FILTERS['AffinityFilter']
    different = filters.FILTERS['AntiAffinityFilter']
    pool = _pool()  # n@b1#p
    assert same(pool, {}) and different(pool, {})
    assert same(pool, {'affinity_hosts': {'same_host': ['n@b1#p']}})
    assert not same(pool, {'affinity_hosts': {'same_host': ['x@b2#p']}})
    assert not different(pool, {'affinity_hosts': {
        'different_host': ['n@b1#p']}})
    assert different(pool, {'affinity_hosts': {
        'different_host': ['x@b2#p']}})


def test_select_pools_honours_the_hints(conf, db, admin_ctx,
                                        two_zones):
    sched = manager.SchedulerManager(conf)
    spec = _spec(size=1)
    spec['affinity_hosts'] = {'same_host': ['n1@b1#small']}
    assert [p.host for p in sched.select_pools(admin_ctx, spec)] == [
        'n1@b1#small']
    spec['affinity_hosts'] = {'different_host': ['n2@b2#p']}
    assert {p.host for p in sched.select_pools(admin_ctx, spec)} == {
        'n1@b1#small', 'n1@b1#big'}
    spec['affinity_hosts'] = {'same_host': ['n2@b2#p'],
                              'different_host': ['n2@b2#p']}
    assert sched.select_pools(admin_ctx, spec) == []
