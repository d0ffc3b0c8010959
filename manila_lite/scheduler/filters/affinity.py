"""AffinityFilter and AntiAffinityFilter: the ``same_host`` and
``different_host`` scheduler hints, resolved by the share API to the
pools of the shares they name (``spec['affinity_hosts']``)."""


def _hosts(spec, hint):
    return (spec.get('affinity_hosts') or {}).get(hint) or ()


def same_host(pool, spec):
    hosts = _hosts(spec, 'same_host')
    return not hosts or pool.host in hosts


def different_host(pool, spec):
    return pool.host not in _hosts(spec, 'different_host')
