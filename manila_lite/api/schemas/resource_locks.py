"""Bodies of POST and PUT /resource-locks (2.81+).

Upstream's own checks (and messages) come first in the controller:
the type, action, id and reason rules below only bound what reaches
the database after them.
"""

_STRING = {'type': ['string', 'null'], 'maxLength': 1023}

_LOCK = {
    'type': 'object',
    'properties': {
        'resource_id': {'type': 'string', 'maxLength': 36},
        'resource_type': {'type': ['string', 'null'], 'maxLength': 255},
        'resource_action': {'type': ['string', 'null'], 'maxLength': 255},
        'lock_reason': _STRING,
    },
}

CREATE = {
    'type': 'object',
    'properties': {'resource_lock': {**_LOCK, 'required': ['resource_id']}},
    'required': ['resource_lock'],
}

UPDATE = {
    'type': 'object',
    'properties': {'resource_lock': {**_LOCK,
                                     'additionalProperties': False}},
    'required': ['resource_lock'],
}
