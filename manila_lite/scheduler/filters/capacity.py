"""Keep pools with room for the share after the reserved percentage."""


def passes(pool, spec):
    caps = pool.capabilities
    free = caps.get('free_capacity_gb')
    total = caps.get('total_capacity_gb')
    if free in (None, 'unknown', 'infinite'):
        return True
    reserved = float(caps.get('reserved_percentage') or 0) / 100.0
    room = float(free) - float(total or 0) * reserved
    return room >= float(spec.get('size') or 0)
