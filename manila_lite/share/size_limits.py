"""A share type's size limits: the ``provisioning:`` extra specs.

As upstream's ``provision_filter_on_size``: ``min_share_size`` bounds
creating and shrinking, ``max_share_size`` creating and extending,
``max_share_extend_size`` what an administrator may extend to; a size
out of bounds is ``InvalidInput`` (400) naming the limit and the type.
"""

from manila_lite.common import exceptions

MIN_SIZE = 'provisioning:min_share_size'
MAX_SIZE = 'provisioning:max_share_size'
MAX_EXTEND_SIZE = 'provisioning:max_share_extend_size'
#: The specs that must be whole numbers of GiB (0 or more).
SIZE_SPECS = (MIN_SIZE, MAX_SIZE, MAX_EXTEND_SIZE)

#: operation -> the limits that bound it: (spec, too far(size, limit),
#: how the message names the limit).
_LESS = (MIN_SIZE, int.__lt__, 'less than the minimum required size')
_MORE = (MAX_SIZE, int.__gt__, 'greater than the maximum allowable size')
_MORE_EXTEND = (MAX_EXTEND_SIZE, int.__gt__,
                'greater than the maximum allowable extend size')
_CHECKS = {
    'create': (_LESS, _MORE),
    'shrink': (_LESS,),
    'extend': (_MORE,),
    'admin-extend': (_MORE_EXTEND,),
}


def _limit(specs, key):
    value = specs.get(key)
    if value in (None, ''):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        # Refused when set (see invalid_spec); a row written otherwise
        # does not turn every create into a 500.
        return None


def invalid_spec(key, value):
    """True when ``key`` is a size spec and ``value`` no size."""
    if key not in SIZE_SPECS:
        return False
    try:
        return int(str(value)) < 0
    except ValueError:
        return True


def check(type_name, specs, size, operation='create'):
    """:raises: InvalidInput when ``size`` is outside the type's limits
    for ``operation`` ('create', 'shrink', 'extend', 'admin-extend')."""
    size = int(size)
    for key, too_far, words in _CHECKS[operation]:
        limit = _limit(specs, key)
        if limit and too_far(size, limit):
            raise exceptions.InvalidInput(reason=(
                "Specified share size of '%d' is %s of '%s' for share "
                "type '%s'." % (size, words, specs[key], type_name)))
