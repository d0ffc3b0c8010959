"""Keep pools in the requested zone and in the type's allowed zones."""


def passes(pool, spec):
    wanted = spec.get('availability_zone')
    if wanted and pool.availability_zone != wanted:
        return False
    allowed = (spec.get('extra_specs') or {}).get('availability_zones')
    if allowed:
        zones = {z.strip() for z in allowed.split(',') if z.strip()}
        if pool.availability_zone not in zones:
            return False
    return True
