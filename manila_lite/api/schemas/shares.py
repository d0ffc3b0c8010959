"""Request bodies of the shares API."""

import copy
from typing import Any

from manila_lite.api import validation as v

_SHARE_2_0: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'size': v.positive_integer,
        'share_proto': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'name': v.name,
        'display_name': v.name,
        'description': v.description,
        'display_description': v.description,
        'share_type': v.uuid_or_null,
        'volume_type': v.uuid_or_null,
        'snapshot_id': v.uuid_or_null,
        'share_network_id': v.uuid_or_null,
        'availability_zone': {'type': ['string', 'null'], 'maxLength': 255},
        'metadata': v.metadata,
        'is_public': v.boolean,
        'consistency_group_id': v.uuid_or_null,
        'share_group_id': v.uuid_or_null,
    },
    'required': ['size', 'share_proto'],
    # python-manilaclient sends only known keys; anything else is a
    # mistake worth a 400 rather than silence.
    'additionalProperties': False,
}

_SHARE_2_65 = copy.deepcopy(_SHARE_2_0)
_SHARE_2_65['properties']['scheduler_hints'] = {
    'type': ['object', 'null'],
    'additionalProperties': {'type': ['string', 'null']},
}

_SHARE_2_84 = copy.deepcopy(_SHARE_2_65)
_SHARE_2_84['properties']['mount_point_name'] = {
    'type': ['string', 'null'], 'maxLength': 255}

_SHARE_2_90 = copy.deepcopy(_SHARE_2_84)
_SHARE_2_90['properties']['encryption_key_ref'] = v.uuid_or_null


def _wrap(inner):
    return {
        'type': 'object',
        'properties': {'share': inner},
        'required': ['share'],
        'additionalProperties': False,
    }


CREATE = v.Schemas(
    ('2.0', _wrap(_SHARE_2_0)),
    ('2.65', _wrap(_SHARE_2_65)),
    ('2.84', _wrap(_SHARE_2_84)),
    ('2.90', _wrap(_SHARE_2_90)),
)

UPDATE_2_0 = {
    'type': 'object',
    'properties': {
        'share': {
            'type': 'object',
            'properties': {
                'name': v.name,
                'display_name': v.name,
                'description': v.description,
                'display_description': v.description,
                'is_public': v.boolean,
            },
            'additionalProperties': False,
        },
    },
    'required': ['share'],
    'additionalProperties': False,
}
UPDATE = v.Schemas(('2.0', UPDATE_2_0))

METADATA_2_0 = {
    'type': 'object',
    'properties': {'metadata': {**v.metadata, 'type': 'object'}},
    'required': ['metadata'],
    'additionalProperties': False,
}
METADATA_ITEM_2_0 = {
    'type': 'object',
    'properties': {
        'meta': {**v.metadata, 'type': 'object', 'minProperties': 1,
                 'maxProperties': 1},
    },
    'required': ['meta'],
    'additionalProperties': False,
}
