"""Request bodies of the services API (ensure shares).

Upstream's server (23.0.1) wants ``{"ensure_shares": {"host": ...}}``
while python-manilaclient sends the flat ``{"host": ...}`` (its api-ref
sample too); both shapes are accepted and nothing else. Two separate
schemas rather than one ``oneOf`` so a 400 names the offending field.
"""

from manila_lite.api import validation as v

_HOST = {
    'type': 'string',
    'minLength': 1,
    'maxLength': 255,
    # A host name never holds whitespace; a blank one is a typo.
    'pattern': r'^\S+$',
}

ENSURE_SHARES_FLAT_2_86 = {
    'type': 'object',
    'properties': {'host': _HOST},
    'required': ['host'],
    'additionalProperties': False,
}
ENSURE_SHARES_WRAPPED_2_86 = {
    'type': 'object',
    'properties': {'ensure_shares': ENSURE_SHARES_FLAT_2_86},
    'required': ['ensure_shares'],
    'additionalProperties': False,
}
ENSURE_SHARES_FLAT = v.Schemas(('2.86', ENSURE_SHARES_FLAT_2_86))
ENSURE_SHARES_WRAPPED = v.Schemas(('2.86', ENSURE_SHARES_WRAPPED_2_86))


def ensure_shares_schema(body):
    """The schema set the body's shape asks for (wrapped or flat)."""
    if isinstance(body, dict) and 'ensure_shares' in body:
        return ENSURE_SHARES_WRAPPED
    return ENSURE_SHARES_FLAT


def ensure_shares_host(body):
    """The host of a body already validated by either schema."""
    if 'ensure_shares' in body:
        return body['ensure_shares']['host']
    return body['host']


# PUT /services/enable and /services/disable: which service. A reason
# for disabling comes with 2.83; enabling takes none.
_SERVICE = {
    'type': 'object',
    'properties': {'host': _HOST, 'binary': _HOST},
    'required': ['host', 'binary'],
    'additionalProperties': False,
}
_DISABLE_2_83 = {
    'type': 'object',
    'properties': {
        'host': _HOST, 'binary': _HOST,
        'disabled_reason': {'type': 'string', 'minLength': 1,
                            'maxLength': 255},
    },
    'required': ['host', 'binary'],
    'additionalProperties': False,
}
ENABLE = v.Schemas(('2.0', _SERVICE))
DISABLE = v.Schemas(('2.0', _SERVICE), ('2.83', _DISABLE_2_83))
