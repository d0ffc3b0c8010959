"""A share type's ``availability_zones`` extra spec (2.48), as upstream.

The spec is a comma separated list of zone names: stored without the
spaces around names (``"az1,  az 2"`` becomes ``"az1,az 2"``), refused
with an empty name. A share created in a zone the list leaves out is
400; listing types by ``extra_specs={'availability_zones': ...}`` keeps
the types offering every zone asked for and the types without the spec.
"""

from manila_lite.common import exceptions

KEY = 'availability_zones'


def zones(value):
    return [z.strip() for z in str(value).split(',')]


def sanitize(specs):
    """``specs`` with the zone list normalised.

    :raises: Invalid (an empty zone name)
    """
    if KEY not in specs:
        return specs
    names = zones(specs[KEY])
    if not all(names):
        raise exceptions.Invalid(
            'Invalid extra_spec: %s: %s' % (KEY, specs[KEY]))
    return dict(specs, **{KEY: ','.join(names)})


def check_create(stype, specs, availability_zone):
    """:raises: InvalidInput for a zone the type does not offer"""
    offered = specs.get(KEY)
    if availability_zone and offered and availability_zone not in zones(
            offered):
        raise exceptions.InvalidInput(reason=(
            'Share type %s(ID: %s) is not supported within the '
            'availability zone chosen %s.'
            % (stype.name or '', stype.id, availability_zone)))


def matches(stype_specs, wanted):
    """Whether a type passes the ``extra_specs`` list filter."""
    for key, value in wanted.items():
        have = stype_specs.get(key)
        if key == KEY:
            if have is not None and not set(zones(value)) <= set(
                    zones(have)):
                return False
        elif have != str(value):
            return False
    return True
