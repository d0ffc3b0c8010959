"""Bodies of POST /shares/{id}/action, one per action name.

Upstream allows no other top-level key next to the action; the inner
object allows extra keys (TODO upstream: tighten in a later version).
"""

from manila_lite.api import validation as v


def _action(key, inner):
    return {
        'type': 'object',
        'properties': {key: inner},
        'required': [key],
        'additionalProperties': False,
    }


_RESET_STATUS = {
    'type': 'object',
    'properties': {'status': {'type': 'string'}},
    'required': ['status'],
}
RESET_STATUS_2_0 = _action('os-reset_status', _RESET_STATUS)
RESET_STATUS_2_7 = _action('reset_status', _RESET_STATUS)

FORCE_DELETE_2_0 = _action('os-force_delete', {})
FORCE_DELETE_2_7 = _action('force_delete', {})

_ALLOW = {
    'type': 'object',
    'properties': {
        'access_type': {'type': 'string', 'minLength': 1,
                        'maxLength': 255},
        'access_to': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'access_level': {'type': 'string', 'enum': ['rw', 'ro']},
        'metadata': v.metadata,
    },
    'required': ['access_type', 'access_to'],
}
ALLOW_ACCESS_2_0 = _action('os-allow_access', _ALLOW)
ALLOW_ACCESS_2_7 = _action('allow_access', _ALLOW)

_DENY = {
    'type': 'object',
    'properties': {'access_id': {'type': 'string', 'minLength': 1}},
    'required': ['access_id'],
}
DENY_ACCESS_2_0 = _action('os-deny_access', _DENY)
DENY_ACCESS_2_7 = _action('deny_access', _DENY)

ACCESS_LIST_2_0 = _action('os-access_list', {})
ACCESS_LIST_2_7 = _action('access_list', {})
