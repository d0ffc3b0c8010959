"""Metadata calls, one implementation for shares, snapshots (2.73+) and
share replicas (2.95+), served as upstream serves share metadata:

* ``GET .../metadata``: ``{"metadata": {...}}``;
* ``POST .../metadata``: merge the given keys; ``PUT``: they become the
  whole metadata; both reply with the resulting metadata;
* ``GET .../metadata/{key}``: ``{"meta": {key: value}}``, 404 for a
  missing key;
* ``PUT .../metadata/{key}``: body ``{"meta": {key: value}}`` naming the
  key of the URL (400 otherwise);
* ``DELETE .../metadata/{key}``: an empty 200.

Each resource names its policies and its three service calls; the
route's own placeholder (``share_id``, ``snapshot_id``, ...) is the
resource id. The routes carry the versions.
"""

from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import shares as schemas
from manila_lite.common import exceptions


class MetadataCalls:
    """The handlers of one resource's metadata routes.

    :param policy: the policy names, by ``get``, ``update`` and
        ``delete``.
    :param service: ``service(req)`` returns the resource's
        ``(get, set, delete)`` service calls, with the signatures of
        ``share.api.API.share_metadata_get/set/delete``.
    """

    def __init__(self, policy, service):
        self.policy = policy
        self.service = service

    @staticmethod
    def _id(ids):
        (resource_id,) = ids.values()
        return resource_id

    def _get(self, req, ids):
        req.authorize(self.policy['get'])
        return self.service(req)[0](req.ctx, self._id(ids))

    def _set(self, req, ids, *, replace):
        req.authorize(self.policy['update'])
        body = validation.validate(common.body_of(req), schemas.METADATA_2_0)
        return routing.reply({'metadata': self.service(req)[1](
            req.ctx, self._id(ids), body['metadata'], replace=replace)})

    def index(self, req, **ids):
        return routing.reply({'metadata': self._get(req, ids)})

    def create(self, req, **ids):
        """POST: merge the given keys into the metadata."""
        return self._set(req, ids, replace=False)

    def update_all(self, req, **ids):
        """PUT: the given keys become the whole metadata."""
        return self._set(req, ids, replace=True)

    def show(self, req, key, **ids):
        metadata = self._get(req, ids)
        if key not in metadata:
            raise exceptions.MetadataItemNotFound(key=key)
        return routing.reply({'meta': {key: metadata[key]}})

    def update(self, req, key, **ids):
        req.authorize(self.policy['update'])
        body = validation.validate(common.body_of(req),
                                   schemas.METADATA_ITEM_2_0)
        if key not in body['meta']:
            raise exceptions.InvalidInput(reason='Request body and URI '
                                                 'mismatch')
        self.service(req)[1](req.ctx, self._id(ids), body['meta'],
                             replace=False)
        return routing.reply({'meta': body['meta']})

    def delete(self, req, key, **ids):
        req.authorize(self.policy['delete'])
        self.service(req)[2](req.ctx, self._id(ids), key)
        return routing.reply(status=200)


def _replicas(req):
    api = req.share_api.replicas
    return api.metadata_get, api.metadata_set, api.metadata_delete


SHARE = MetadataCalls(
    {'get': 'share:get_share_metadata',
     'update': 'share:update_share_metadata',
     'delete': 'share:delete_share_metadata'},
    lambda req: (req.share_api.share_metadata_get,
                 req.share_api.share_metadata_set,
                 req.share_api.share_metadata_delete))

SNAPSHOT = MetadataCalls(
    {'get': 'share_snapshot:get_metadata',
     'update': 'share_snapshot:update_metadata',
     'delete': 'share_snapshot:delete_metadata'},
    lambda req: (req.share_api.snapshot_metadata_get,
                 req.share_api.snapshot_metadata_set,
                 req.share_api.snapshot_metadata_delete))

REPLICA = MetadataCalls(
    {'get': 'share_replica:get_metadata',
     'update': 'share_replica:update_metadata',
     'delete': 'share_replica:delete_metadata'},
    _replicas)
