"""Keep pools with room for the share after the reserved percentage.

Free space ``unknown`` or ``infinite`` passes, as upstream's filter lets
such backends through; a total that is not a number reserves nothing.
"""


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def passes(pool, spec):
    caps = pool.capabilities
    free = caps.get('free_capacity_gb')
    if free is None or str(free).strip().lower() in ('unknown', 'infinite'):
        return True
    free = _number(free)
    if free is None:
        return False
    total = _number(caps.get('total_capacity_gb')) or 0.0
    reserved = float(caps.get('reserved_percentage') or 0) / 100.0
    return free - total * reserved >= float(spec.get('size') or 0)
