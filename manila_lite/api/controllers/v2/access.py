"""Access rules API (2.45+): GET /share-access-rules?share_id= and
GET /share-access-rules/{id}, PUT /share-access-rules/{id} with
``update_access`` to change a rule's level (2.88), and the rules' metadata
(PUT /share-access-rules/{id}/metadata, DELETE .../metadata/{key}).
Allow/deny are share actions."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import access_locks
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import share_actions as schemas
from manila_lite.api.views import access as views
from manila_lite.common import exceptions
from manila_lite.share import access_update


@mv.api_version('2.45')
def index(req):
    req.authorize('share_access_rule:index')
    share_id = req.params.get('share_id')
    if not share_id:
        raise exceptions.InvalidInput(
            reason='The share_id parameter is required')
    try:
        rules = req.share_api.access_list(
            req.ctx, share_id, metadata=common.query_metadata(req.params))
    except exceptions.ShareNotFound:
        # Upstream: a share that is gone (or hidden) is a bad filter.
        raise exceptions.Invalid(
            'Share %s does not exist.' % share_id) from None
    return routing.reply(views.index(
        req, rules, restricted=access_locks.restricted(req, rules)))


@mv.api_version('2.45')
def show(req, access_id):
    req.authorize('share_access_rule:get')
    rule = req.share_api.access_get(req.ctx, access_id)
    return routing.reply(views.show(
        req, rule, restricted=bool(access_locks.restricted(req, [rule]))))


@mv.api_version('2.88')
def update(req, access_id):
    """Change the rule's access_level; the rule is applied again."""
    req.authorize('share_access_rule:update')
    body = validation.validate(common.body_of(req), schemas.UPDATE_ACCESS)
    rule = access_update.update_level(
        req.share_api, req.ctx, access_id,
        body['update_access']['access_level'])
    return routing.reply(views.show(req, rule))


@mv.api_version('2.45')
def metadata_update(req, access_id):
    """Add or overwrite the given keys; the reply holds those keys."""
    req.authorize('share_access_metadata:update')
    body = validation.validate(common.body_of(req), schemas.ACCESS_METADATA)
    metadata = req.share_api.access_metadata_update(req.ctx, access_id,
                                                    body['metadata'])
    return routing.reply({'metadata': metadata})


@mv.api_version('2.45')
def metadata_delete(req, access_id, key):
    req.authorize('share_access_metadata:delete')
    req.share_api.access_metadata_delete(req.ctx, access_id, key)
    return routing.reply(status=200)
