"""Request bodies of the share replicas API."""

from manila_lite.api import validation as v

_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_AZ = {'type': ['string', 'null'], 'maxLength': 255}


def _create(**extra):
    properties = {'share_id': _ID, 'availability_zone': _AZ}
    properties.update(extra)
    return {
        'type': 'object',
        'properties': {
            'share_replica': {
                'type': 'object',
                'properties': properties,
                'required': ['share_id'],
                'additionalProperties': False,
            },
        },
        'required': ['share_replica'],
        'additionalProperties': False,
    }


_HINTS = {'type': ['object', 'null'],
          'properties': {'only_host': {'type': 'string', 'minLength': 1,
                                       'maxLength': 255}},
          'additionalProperties': False}

CREATE = v.Schemas(
    ('2.11', _create()),
    ('2.67', _create(scheduler_hints=_HINTS)),
    ('2.72', _create(scheduler_hints=_HINTS, share_network_id=_AZ)),
    ('2.95', _create(scheduler_hints=_HINTS, share_network_id=_AZ,
                     metadata=v.metadata)),
)

_NULL_OR_EMPTY = {'type': ['null', 'object'], 'additionalProperties': False}

PROMOTE = v.Schemas(
    ('2.11', {'type': 'object',
              'properties': {'promote': _NULL_OR_EMPTY}}),
    ('2.75', {'type': 'object', 'properties': {'promote': {
        'type': ['null', 'object'],
        'properties': {'quiesce_wait_time': {
            'type': ['integer', 'string'], 'pattern': r'^[1-9][0-9]*$',
            'minimum': 1}},
        'additionalProperties': False}}}),
)
RESYNC = {'type': 'object', 'properties': {'resync': _NULL_OR_EMPTY}}
FORCE_DELETE = {'type': 'object',
                'properties': {'force_delete': _NULL_OR_EMPTY}}


def _reset(action, key):
    return {'type': 'object', 'properties': {action: {
        'type': 'object',
        'properties': {key: {'type': 'string', 'maxLength': 255}},
        'required': [key], 'additionalProperties': False}}}


RESET_STATUS = _reset('reset_status', 'status')
OS_RESET_STATUS = _reset('os-reset_status', 'status')
RESET_REPLICA_STATE = _reset('reset_replica_state', 'replica_state')
OS_RESET_REPLICA_STATE = _reset('os-reset_replica_state', 'replica_state')
