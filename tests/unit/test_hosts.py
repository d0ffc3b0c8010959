"""``node@backend#pool`` split and joined in one place
(manila_lite/common/hosts.py)."""

import pytest

from manila_lite.common import hosts


@pytest.mark.parametrize('host, node, backend_name, backend, pool', [
    ('n1@local1#pool1', 'n1', 'local1', 'n1@local1', 'pool1'),
    ('n1@local1', 'n1', 'local1', 'n1@local1', ''),
    ('n1', 'n1', '', 'n1', ''),
    ('n1@b#p#q', 'n1', 'b', 'n1@b', 'p#q'),
])
def test_split(host, node, backend_name, backend, pool):
    assert hosts.node_of(host) == node
    assert hosts.backend_name_of(host) == backend_name
    assert hosts.backend_of(host) == backend
    assert hosts.pool_of(host) == pool
    assert hosts.has_pool(host) is bool(pool)


def test_join_is_the_inverse_of_split():
    host = hosts.pool_host(hosts.backend_host('n1', 'local1'), 'pool1')
    assert host == 'n1@local1#pool1'
    assert hosts.pool_host(hosts.backend_of(host),
                           hosts.pool_of(host)) == host
