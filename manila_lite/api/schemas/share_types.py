"""Request bodies of the share types API."""

import copy
from typing import Any

from manila_lite.api import validation as v

_EXTRA_SPECS = {
    'type': 'object',
    'patternProperties': {
        '^[\\w\\.\\-:]{1,255}$': {
            'type': ['string', 'boolean', 'integer', 'number'],
        },
    },
    'additionalProperties': False,
}

_TYPE_2_0: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'extra_specs': _EXTRA_SPECS,
        'os-share-type-access:is_public': v.boolean,
        'share_type_access:is_public': v.boolean,
    },
    'required': ['name', 'extra_specs'],
    'additionalProperties': False,
}
_TYPE_2_41 = copy.deepcopy(_TYPE_2_0)
_TYPE_2_41['properties']['description'] = v.description


def _wrap(inner):
    # Upstream accepts the body under "share_type" or legacy
    # "volume_type".
    return {
        'type': 'object',
        'properties': {'share_type': inner, 'volume_type': inner},
        'minProperties': 1,
        'maxProperties': 1,
        'additionalProperties': False,
    }


CREATE = v.Schemas(('2.0', _wrap(_TYPE_2_0)), ('2.41', _wrap(_TYPE_2_41)))

UPDATE = v.Schemas(('2.50', {
    'type': 'object',
    'properties': {
        'share_type': {
            'type': 'object',
            'properties': {
                'name': {'type': ['string', 'null'], 'minLength': 1,
                         'maxLength': 255},
                'description': v.description,
                'share_type_access:is_public': v.boolean,
            },
            'minProperties': 1,
            'additionalProperties': False,
        },
    },
    'required': ['share_type'],
    'additionalProperties': False,
}))

EXTRA_SPECS_SET = {
    'type': 'object',
    'properties': {'extra_specs': {**_EXTRA_SPECS, 'minProperties': 1}},
    'required': ['extra_specs'],
    'additionalProperties': False,
}

# PUT /types/{id}/extra_specs/{key}: the one spec, named as in the URL.
EXTRA_SPEC_UPDATE = {**_EXTRA_SPECS, 'minProperties': 1, 'maxProperties': 1}
