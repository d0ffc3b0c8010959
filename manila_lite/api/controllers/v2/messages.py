"""/messages (2.37+): list, show, delete the user messages that say why
an asynchronous request failed.

A user sees the messages of their project; an admin sees every
project's. Filters are exact matches (an unknown value matches
nothing); ``created_since``/``created_before`` (2.52+) must be
ISO 8601 times, else upstream's 400.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.controllers.v2 import common
from manila_lite.api.views import messages as views
from manila_lite.db import messages as db

messages_api = mv.api_version('2.37')


def _scope(req):
    """The project whose messages the caller sees (None: all)."""
    return None if req.ctx.is_admin else req.ctx.project_id


@messages_api
def index(req):
    req.authorize('message:get_all')
    filters = {k: req.params[k] for k in db.FILTER_KEYS if k in req.params}
    if req.version >= mv.GATE_MESSAGES_TIME_FILTERS:
        for key in ('created_since', 'created_before'):
            filters[key] = common.query_time(req.params, key)
    limit, offset = common.pagination(req)
    msgs = db.message_get_all(
        req.ctx, project_id=_scope(req), filters=filters, limit=limit,
        offset=offset, sort_key=req.params.get('sort_key', 'created_at'),
        sort_dir=req.params.get('sort_dir', 'desc'))
    link = common.next_link(req, 'messages', len(msgs), limit, offset)
    return routing.reply(views.index(req, msgs, next_link=link))


@messages_api
def show(req, message_id):
    req.authorize('message:get')
    msg = db.message_get(req.ctx, message_id, project_id=_scope(req))
    return routing.reply(views.show(req, msg))


@messages_api
def delete(req, message_id):
    req.authorize('message:delete')
    db.message_destroy(req.ctx, message_id, project_id=_scope(req))
    return routing.reply(status=204)
