"""Prefer the pool with the most free capacity after the reserved part.

``infinite`` free space wins over any number and ``unknown`` loses to
any number, as upstream's CapacityWeigher ranks them.
"""

import math


def _number(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and value.strip().lower() == 'infinite':
        return math.inf
    return None


def weigh(pool, spec):
    caps = pool.capabilities
    free = _number(caps.get('free_capacity_gb'))
    if free is None:
        return -math.inf
    if math.isinf(free):
        return math.inf
    total = _number(caps.get('total_capacity_gb'))
    reserved = float(caps.get('reserved_percentage') or 0) / 100.0
    if total is not None and not math.isinf(total):
        free -= total * reserved
    return max(free, 0.0)
