"""The pools the scheduler sees, as ``/scheduler-stats/pools`` lists them.

The source is the one the scheduler itself places shares from
(``host_manager.get_pools``): the capabilities each share service writes
into its ``services`` row with every heartbeat, for services that are
enabled and up. Reading the database, not asking a scheduler over RPC,
keeps the list available while every scheduler is down and gives the
same answer whichever API worker serves the request; no driver is
involved.

Filters are upstream's: ``name``, ``host``, ``backend`` and ``pool`` are
regular expressions matched (``re.match``) against the start of that
field; ``capabilities`` is a dict of extra specs the pool must satisfy,
compared as the scheduler's CapabilitiesFilter compares them. A filter
key that names no field of a pool matches nothing, as upstream.
"""

import re

from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.scheduler import host_manager
from manila_lite.scheduler.filters import capabilities as caps_filter

#: Fields a regular-expression filter may name.
REGEX_FIELDS = ('name', 'host', 'backend', 'pool')


def describe(pool):
    """``{name, host, backend, pool, capabilities}`` of a PoolState."""
    return {
        'name': pool.host,
        'host': hosts.node_of(pool.backend_host),
        'backend': hosts.backend_name_of(pool.backend_host) or None,
        'pool': pool.pool_name,
        'capabilities': pool.capabilities,
    }


def _compile(filters):
    compiled = {}
    for key, value in filters.items():
        if key not in REGEX_FIELDS:
            continue
        try:
            compiled[key] = re.compile(str(value))
        except re.error as exc:
            raise exceptions.InvalidInput(
                reason='%s is not a valid regular expression: %s'
                       % (key, exc)) from None
    return compiled


def _passes(entry, pool, regexes, required):
    for key, regex in regexes.items():
        if not regex.match(entry[key] or ''):
            return False
    return caps_filter.passes(pool, {'extra_specs': required})


def list_pools(ctx, conf, *, filters=None, capabilities=None):
    """The pools passing ``filters`` (field -> regex) whose capabilities
    satisfy every ``capabilities`` (extra spec -> value) given.

    :raises: InvalidInput for a filter that is not a regular expression
    """
    filters = dict(filters or {})
    if any(key not in REGEX_FIELDS for key in filters):
        return []
    regexes = _compile(filters)
    pools = []
    for pool in host_manager.get_pools(ctx, conf):
        entry = describe(pool)
        if _passes(entry, pool, regexes, capabilities or {}):
            pools.append(entry)
    return sorted(pools, key=lambda p: p['name'])
