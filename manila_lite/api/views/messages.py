"""User message representations (upstream's fields, unchanged since
2.37)."""

from manila_lite.api import views
from manila_lite.common import messages


def item(req, msg):
    return {
        'id': msg.id,
        'project_id': msg.project_id,
        'action_id': msg.action_id,
        'detail_id': msg.detail_id,
        'message_level': msg.message_level,
        'created_at': views.isotime(msg.created_at),
        'expires_at': views.isotime(msg.expires_at),
        'request_id': msg.request_id,
        'links': req.link('messages', msg.id),
        'resource_type': msg.resource_type,
        'resource_id': msg.resource_id,
        'user_message': messages.user_message(msg),
    }


def show(req, msg):
    return {'message': item(req, msg)}


def index(req, msgs, *, next_link=None):
    body = {'messages': [item(req, m) for m in msgs]}
    if next_link:
        body['messages_links'] = [{'rel': 'next', 'href': next_link}]
    return body
