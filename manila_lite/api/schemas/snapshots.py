"""Request bodies of the share snapshots API."""

from manila_lite.api import validation as v

CREATE_2_0 = {
    'type': 'object',
    'properties': {
        'snapshot': {
            'type': 'object',
            'properties': {
                'share_id': {'type': 'string', 'minLength': 1,
                             'maxLength': 255},
                'name': v.name,
                'display_name': v.name,
                'description': v.description,
                'display_description': v.description,
                'force': v.boolean,
                'metadata': v.metadata,
            },
            'required': ['share_id'],
            'additionalProperties': False,
        },
    },
    'required': ['snapshot'],
    'additionalProperties': False,
}
CREATE = v.Schemas(('2.0', CREATE_2_0))

UPDATE = v.Schemas(('2.0', {
    'type': 'object',
    'properties': {
        'snapshot': {
            'type': 'object',
            'properties': {
                'name': v.name,
                'display_name': v.name,
                'description': v.description,
                'display_description': v.description,
            },
            'additionalProperties': False,
        },
    },
    'required': ['snapshot'],
    'additionalProperties': False,
}))
