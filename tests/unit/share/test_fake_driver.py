"""The fake driver keeps its promises: in-memory state, stats that follow
it, and failures only where a test asks for them."""

import types
import uuid

import pytest

from manila_lite.common import config
from manila_lite.common import exceptions
from manila_lite.share.drivers import fake


@pytest.fixture
def driver(conf):
    config.register_backend_opts(conf, 'fb')
    return fake.FakeShareDriver(conf, 'fb')


def _instance(size=2):
    return types.SimpleNamespace(
        id=str(uuid.uuid4()), share_id=str(uuid.uuid4()), host='n@fb#fake',
        cast_rules_to_readonly=False, share=types.SimpleNamespace(size=size))


def test_stats_follow_allocations(driver):
    driver.pools = {'a': 10.0, 'b': 20.0}
    driver.create_share(None, _instance(size=4), 'a')
    stats = driver.get_share_stats(refresh=True)
    assert stats['share_backend_name'] == 'fb'
    assert [(p['pool_name'], p['free_capacity_gb'],
             p['allocated_capacity_gb']) for p in stats['pools']] == [
        ('a', 6.0, 4), ('b', 20.0, 0)]
    assert driver.get_capabilities() == stats['pools']


def test_failures_are_per_driver_and_per_method(driver, conf):
    other = fake.FakeShareDriver(conf, 'fb')
    driver.fail_on.add('create_share')
    inst = _instance()
    with pytest.raises(exceptions.ShareBackendException):
        driver.create_share(None, inst, 'fake')
    assert inst.id not in driver.shares
    other.create_share(None, inst, 'fake')
    assert inst.id in other.shares
    assert driver.calls == [('create_share', inst.id)]


def test_shrink_refuses_data_loss(driver):
    inst = _instance(size=3)
    driver.create_share(None, inst, 'fake')
    driver.shares[inst.id]['used'] = 2 * 1024 ** 3 + 1
    with pytest.raises(exceptions.ShareShrinkingPossibleDataLoss):
        driver.shrink_share(None, inst, 2)
    assert driver.shares[inst.id]['size'] == 3
    driver.extend_share(None, inst, 5)
    assert driver.shares[inst.id]['size'] == 5


def test_ensure_reports_unknown_shares_as_error(driver):
    kept, lost = _instance(), _instance()
    driver.create_share(None, kept, 'fake')
    result = driver.ensure_shares(None, [kept, lost])
    assert result[kept.id]['status'] == 'available'
    assert result[lost.id] == {'export_locations': driver._exports(lost),
                               'status': 'error'}


def test_readonly_instances_get_readonly_rules(driver):
    inst = _instance()
    inst.cast_rules_to_readonly = True
    rule = types.SimpleNamespace(access_type='ip', access_to='10.0.0.1',
                                 access_level='rw')
    driver.update_access(None, inst, [rule])
    assert driver.rules[inst.id] == [('ip', '10.0.0.1', 'ro')]
