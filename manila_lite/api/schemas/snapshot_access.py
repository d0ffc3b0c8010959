"""Bodies of the mountable snapshot actions (2.32) on
POST /snapshots/{id}/action. As upstream, the inner object may hold
other keys (unread)."""

from manila_lite.api.schemas import share_actions

ALLOW_ACCESS_2_32 = share_actions._action('allow_access', {
    'type': 'object',
    'properties': {
        'access_type': {'type': 'string', 'minLength': 1,
                        'maxLength': 255},
        'access_to': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    },
    'required': ['access_type', 'access_to'],
})

DENY_ACCESS_2_32 = share_actions._action('deny_access', {
    'type': 'object',
    'properties': {'access_id': {'type': 'string', 'minLength': 1,
                                 'maxLength': 36}},
    'required': ['access_id'],
})
