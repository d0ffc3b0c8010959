"""A share type's size limits (``provisioning:*`` extra specs).

Upstream's ``share_types.provision_filter_on_size``, restated: a new
size below ``provisioning:min_share_size`` is refused on create and
shrink, one above ``provisioning:max_share_size`` on create and extend,
and ``provisioning:max_share_extend_size`` bounds what a non-admin may
extend to. The messages are upstream's. No database or RPC here: the
caller hands in the share type (its ``extra_specs`` rows loaded).
"""

from manila_lite.common import exceptions

MIN_SIZE_KEY = 'provisioning:min_share_size'
MAX_SIZE_KEY = 'provisioning:max_share_size'
MAX_EXTEND_SIZE_KEY = 'provisioning:max_share_extend_size'

CREATE = 'create'
EXTEND = 'extend'
SHRINK = 'shrink'
#: A non-admin's extend: ``max_share_extend_size`` applies as well.
USER_EXTEND = 'user-extend'


def _limit(specs, key):
    value = specs.get(key)
    if value in (None, ''):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        # A malformed spec limits nothing rather than failing every call.
        return None


def check(share_type, size, operation):
    """Refuse ``size`` (GiB) for ``operation`` on a share of ``share_type``.

    :raises: InvalidInput (400)
    """
    if share_type is None:
        return
    specs = {s.spec_key: s.spec_value for s in share_type.extra_specs}
    size = int(size)
    params = {'req_size': size, 'sha_type': share_type.name}
    low = _limit(specs, MIN_SIZE_KEY)
    if operation in (CREATE, SHRINK) and low is not None and size < low:
        raise exceptions.InvalidInput(reason=(
            "Specified share size of '%(req_size)d' is less than the "
            "minimum required size of '%(limit)s' for share type "
            "'%(sha_type)s'." % dict(params, limit=low)))
    high = _limit(specs, MAX_SIZE_KEY)
    if operation in (CREATE, EXTEND, USER_EXTEND) and high is not None \
            and size > high:
        raise exceptions.InvalidInput(reason=(
            "Specified share size of '%(req_size)d' is greater than the "
            "maximum allowable size of '%(limit)s' for share type "
            "'%(sha_type)s'." % dict(params, limit=high)))
    extend_high = _limit(specs, MAX_EXTEND_SIZE_KEY)
    if operation == USER_EXTEND and extend_high is not None \
            and size > extend_high:
        raise exceptions.InvalidInput(reason=(
            "Specified share size of '%(req_size)d' is greater than the "
            "maximum allowable extend size of '%(limit)s' for share type "
            "'%(sha_type)s'." % dict(params, limit=extend_high)))
