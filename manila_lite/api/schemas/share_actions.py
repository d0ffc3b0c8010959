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
        # null is rw, as upstream.
        'access_level': {'type': ['string', 'null'],
                         'enum': ['rw', 'ro', None]},
        'metadata': v.metadata,
    },
    'required': ['access_type', 'access_to'],
}
ALLOW_ACCESS_2_0 = _action('os-allow_access', _ALLOW)
ALLOW_ACCESS_2_7 = _action('allow_access', _ALLOW)

#: PUT /share-access-rules/{id}/metadata (2.45+).
ACCESS_METADATA = {
    'type': 'object',
    'properties': {'metadata': {**v.metadata, 'type': 'object'}},
    'required': ['metadata'],
    'additionalProperties': False,
}

_DENY = {
    'type': 'object',
    'properties': {'access_id': {'type': 'string', 'minLength': 1}},
    'required': ['access_id'],
}
DENY_ACCESS_2_0 = _action('os-deny_access', _DENY)
DENY_ACCESS_2_7 = _action('deny_access', _DENY)

ACCESS_LIST_2_0 = _action('os-access_list', {})
ACCESS_LIST_2_7 = _action('access_list', {})


# --- resize ------------------------------------------------------------------
# Upstream takes ``int(new_size)``: an integer or a string of one. The
# range (greater, smaller, above zero) is the service's check, with
# upstream's messages.
_NEW_SIZE = {'type': ['integer', 'string'], 'pattern': r'^-?[0-9]+$',
             'minLength': 1, 'maxLength': 20}
_RESIZE = {
    'type': 'object',
    'properties': {'new_size': _NEW_SIZE},
    'required': ['new_size'],
}
EXTEND_2_0 = _action('os-extend', _RESIZE)
EXTEND_2_7 = _action('extend', _RESIZE)
#: ``force`` (admin) from 2.64, checked then by the handler on the
#: action's object; below, upstream drops it unread.
EXTEND_FORCE_2_64 = {
    'type': 'object',
    'properties': {'force': v.boolean},
}
SHRINK_2_0 = _action('os-shrink', _RESIZE)
SHRINK_2_7 = _action('shrink', _RESIZE)


# --- migration (2.22+/2.29+; experimental until 2.95) ------------------------
_MIGRATION_START = {
    'type': 'object',
    'properties': {
        'host': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'writable': v.boolean,
        'preserve_metadata': v.boolean,
        'nondisruptive': v.boolean,
        'preserve_snapshots': v.boolean,
        'force_host_assisted_migration': v.boolean,
        'new_share_network_id': v.uuid_or_null,
        'new_share_type_id': v.uuid_or_null,
    },
    'required': ['host', 'writable', 'preserve_metadata', 'nondisruptive',
                 'preserve_snapshots'],
}
MIGRATION_START_2_29 = _action('migration_start', _MIGRATION_START)
# complete/cancel/get_progress take any value (upstream ignores it).
MIGRATION_COMPLETE_2_22 = _action('migration_complete', {})
MIGRATION_CANCEL_2_22 = _action('migration_cancel', {})
MIGRATION_GET_PROGRESS_2_22 = _action('migration_get_progress', {})

_TASK_STATE = {
    'type': 'object',
    'properties': {
        'task_state': {'type': ['string', 'null'], 'maxLength': 255},
        'os-task_state': {'type': ['string', 'null'], 'maxLength': 255},
    },
    'anyOf': [{'required': ['task_state']},
              {'required': ['os-task_state']}],
}
RESET_TASK_STATE_2_22 = _action('reset_task_state', _TASK_STATE)

#: PUT /share-access-rules/{id} (2.88): change one rule's access level.
UPDATE_ACCESS = {
    'type': 'object',
    'properties': {'update_access': {
        'type': 'object',
        'properties': {'access_level': {'type': 'string',
                                        'enum': ['rw', 'ro']}},
        'required': ['access_level'],
        'additionalProperties': False,
    }},
    'required': ['update_access'],
    'additionalProperties': False,
}

#: The unmanage action (2.7+): null or an empty object.
UNMANAGE = _action('unmanage', {'type': ['object', 'null']})


# --- recycle bin (2.69) and revert to snapshot (2.27) ------------------------
SOFT_DELETE_2_69 = _action('soft_delete', {'type': ['object', 'null']})
RESTORE_2_69 = _action('restore', {'type': ['object', 'null']})
REVERT_2_27 = _action('revert', {
    'type': 'object',
    'properties': {'snapshot_id': {'type': 'string', 'minLength': 1,
                                   'maxLength': 255}},
    'required': ['snapshot_id'],
})
