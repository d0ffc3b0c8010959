"""Share metadata: /shares/{id}/metadata[/{key}]."""

from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import shares as schemas
from manila_lite.common import exceptions


def index(req, share_id):
    req.authorize('share:get_share_metadata')
    return routing.reply({'metadata': req.share_api.share_metadata_get(
        req.ctx, share_id)})


def _set(req, share_id, *, replace):
    req.authorize('share:update_share_metadata')
    body = validation.validate(common.body_of(req), schemas.METADATA_2_0)
    metadata = req.share_api.share_metadata_set(
        req.ctx, share_id, body['metadata'], replace=replace)
    return routing.reply({'metadata': metadata})


def create(req, share_id):
    """POST: merge the given keys into the metadata."""
    return _set(req, share_id, replace=False)


def update_all(req, share_id):
    """PUT: the given keys become the whole metadata."""
    return _set(req, share_id, replace=True)


def show(req, share_id, key):
    req.authorize('share:get_share_metadata')
    metadata = req.share_api.share_metadata_get(req.ctx, share_id)
    if key not in metadata:
        raise exceptions.MetadataItemNotFound(key=key)
    return routing.reply({'meta': {key: metadata[key]}})


def update(req, share_id, key):
    req.authorize('share:update_share_metadata')
    body = validation.validate(common.body_of(req),
                               schemas.METADATA_ITEM_2_0)
    if key not in body['meta']:
        raise exceptions.InvalidInput(reason='Request body and URI '
                                             'mismatch')
    req.share_api.share_metadata_set(req.ctx, share_id, body['meta'],
                                     replace=False)
    return routing.reply({'meta': body['meta']})


def delete(req, share_id, key):
    req.authorize('share:delete_share_metadata')
    req.share_api.share_metadata_delete(req.ctx, share_id, key)
    return routing.reply(status=200)
