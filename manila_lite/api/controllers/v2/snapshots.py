"""Share snapshots: create, list, list detail, show, update, delete,
and their metadata (2.73+)."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import snapshots as schemas
from manila_lite.api.views import snapshots as views

_FILTERS = ('share_id', 'name', 'status', 'project_id')


def _list(req, *, detail):
    req.authorize('share_snapshot:get_all_snapshots')
    filters = {k: req.params[k] for k in _FILTERS if k in req.params}
    if 'description' in req.params and req.version >= mv.GATE_LIKE_FILTERS:
        # The exact description filter came with the "~" ones (2.36).
        filters['description'] = req.params['description']
    if common.query_bool(req.params, 'all_tenants', False):
        filters['all_tenants'] = True
    if req.version >= mv.GATE_SNAPSHOT_METADATA:
        metadata = common.query_metadata(req.params)
        if metadata:
            filters['metadata'] = metadata
    limit, offset = common.pagination(req)
    snaps = req.share_api.snapshot_list(req.ctx, filters=filters,
                                        limit=limit, offset=offset)
    return routing.reply(views.index(req, snaps, detail=detail))


def index(req):
    return _list(req, detail=False)


def detail(req):
    return _list(req, detail=True)


def show(req, snapshot_id):
    req.authorize('share_snapshot:get_snapshot')
    return routing.reply(views.show(req, req.share_api.snapshot_get(
        req.ctx, snapshot_id)))


def create(req):
    req.authorize('share:create_snapshot')
    body = validation.validate(common.body_of(req), schemas.CREATE,
                               req.version)['snapshot']
    snap = req.share_api.snapshot_create(
        req.ctx, body['share_id'],
        name=body.get('name', body.get('display_name')),
        description=body.get('description',
                             body.get('display_description')),
        force=validation.to_bool(body.get('force', False)),
        # Upstream ignores metadata below 2.73 (python-manilaclient sends
        # an empty one at every version).
        metadata=(body.get('metadata')
                  if req.version >= mv.GATE_SNAPSHOT_METADATA else None))
    return routing.reply(views.show(req, snap), status=202)


def update(req, snapshot_id):
    req.authorize('share:snapshot_update')
    body = validation.validate(common.body_of(req), schemas.UPDATE,
                               req.version)['snapshot']
    fields = {}
    if 'name' in body or 'display_name' in body:
        fields['name'] = body.get('name', body.get('display_name'))
    if 'description' in body or 'display_description' in body:
        fields['description'] = body.get(
            'description', body.get('display_description'))
    snap = req.share_api.snapshot_update(req.ctx, snapshot_id, **fields)
    return routing.reply(views.show(req, snap))


def delete(req, snapshot_id):
    req.authorize('share:delete_snapshot')
    req.share_api.snapshot_delete(req.ctx, snapshot_id)
    return routing.reply(status=202)
