"""Access rules API (2.45+): GET /share-access-rules?share_id= and
GET /share-access-rules/{id}. Allow/deny are share actions."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.views import access as views
from manila_lite.common import exceptions


@mv.api_version('2.45')
def index(req):
    req.authorize('share_access_rule:index')
    share_id = req.params.get('share_id')
    if not share_id:
        raise exceptions.InvalidInput(
            reason='The share_id parameter is required')
    rules = req.share_api.access_list(req.ctx, share_id)
    return routing.reply(views.index(req, rules))


@mv.api_version('2.45')
def show(req, access_id):
    req.authorize('share_access_rule:get')
    return routing.reply(views.show(req, req.share_api.access_get(
        req.ctx, access_id)))
