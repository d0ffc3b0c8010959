"""/share-replicas: list, detail, show, create, delete, actions, export
locations, metadata. Experimental from 2.11 to 2.55 (the experimental
header is required), GA from 2.56, as upstream; metadata from 2.95."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import share_replicas as schemas
from manila_lite.api.views import isotime
from manila_lite.api.views import share_replicas as views
from manila_lite.common import exceptions

#: Every handler's versions: experimental until 2.55, GA from 2.56.
replicas_api = mv.api_version('2.11', '2.55', experimental=True,
                              ga_from='2.56')


def _api(req):
    return req.share_api.replicas


def _list(req, render):
    req.authorize('share_replica:get_all')
    metadata = None
    if req.version >= mv.GATE_REPLICA_METADATA:
        metadata = common.query_metadata(req.params)
    replicas = _api(req).get_all(req.ctx,
                                 share_id=req.params.get('share_id'),
                                 metadata=metadata)
    return routing.reply(render(req, common.limited(req, replicas)))


@replicas_api
def index(req):
    return _list(req, views.index)


@replicas_api
def detail(req):
    return _list(req, views.detail_list)


@replicas_api
def show(req, share_replica_id):
    req.authorize('share_replica:show')
    return routing.reply(views.show(req, _api(req).get(req.ctx,
                                                       share_replica_id)))


@replicas_api
def create(req):
    body = req.json()
    if not isinstance(body, dict) or not isinstance(
            body.get('share_replica'), dict):
        raise exceptions.UnprocessableEntity(
            reason='the body must hold a share_replica object')
    req.authorize('share_replica:create')
    validation.validate(body, schemas.CREATE, req.version)
    item = body['share_replica']
    replica = _api(req).create(
        req.ctx, item['share_id'],
        availability_zone=item.get('availability_zone'),
        scheduler_hints=item.get('scheduler_hints'),
        share_network_id=item.get('share_network_id'),
        metadata=item.get('metadata'))
    return routing.reply(views.show(req, replica), status=202)


@replicas_api
def delete(req, share_replica_id):
    req.authorize('share_replica:delete')
    _api(req).delete(req.ctx, share_replica_id)
    return routing.reply(status=202)


# --- actions -------------------------------------------------------------
def promote(req, share_replica_id, body):
    req.authorize('share_replica:promote')
    replica = _api(req).promote(req.ctx, share_replica_id,
                                is_admin=req.ctx.is_admin)
    if replica is None:
        return routing.reply(status=200)
    return routing.reply(views.show(req, replica), status=202)


def resync(req, share_replica_id, body):
    req.authorize('share_replica:resync')
    started = _api(req).resync(req.ctx, share_replica_id)
    return routing.reply(status=202 if started else 200)


def reset_status(req, share_replica_id, body):
    req.authorize('share_replica:reset_status')
    _api(req).reset_status(req.ctx, share_replica_id, body['status'])
    return routing.reply(status=202)


def reset_replica_state(req, share_replica_id, body):
    req.authorize('share_replica:reset_replica_state')
    req.authorize('share_replica:reset_status')
    _api(req).reset_replica_state(req.ctx, share_replica_id,
                                  body['replica_state'])
    return routing.reply(status=202)


def force_delete(req, share_replica_id, body):
    req.authorize('share_replica:force_delete')
    _api(req).delete(req.ctx, share_replica_id, force=True)
    return routing.reply(status=202)


ACTIONS = {
    'promote': (promote, schemas.PROMOTE),
    'resync': (resync, schemas.RESYNC),
    'reset_status': (reset_status, schemas.RESET_STATUS),
    'os-reset_status': (reset_status, schemas.OS_RESET_STATUS),
    'reset_replica_state': (reset_replica_state,
                            schemas.RESET_REPLICA_STATE),
    'os-reset_replica_state': (reset_replica_state,
                               schemas.OS_RESET_REPLICA_STATE),
    'force_delete': (force_delete, schemas.FORCE_DELETE),
}


@replicas_api
def action(req, share_replica_id):
    name, body = common.action_of(req, ACTIONS)
    handler, schema = ACTIONS[name]
    validation.validate(body, schema, req.version)
    return handler(req, share_replica_id, body[name] or {})


# --- export locations (2.47+) ------------------------------------------------
@mv.api_version('2.47', '2.55', experimental=True, ga_from='2.56')
def export_locations(req, share_replica_id):
    req.authorize('share_replica_export_location:index')
    replica = _api(req).get(req.ctx, share_replica_id)
    items = views.export_locations(req, replica, replica.export_locations)
    return routing.reply({'export_locations': [
        item for el, item in items
        if req.ctx.is_admin or not el.is_admin_only]})


@mv.api_version('2.47', '2.55', experimental=True, ga_from='2.56')
def export_location(req, share_replica_id, export_location_id):
    req.authorize('share_replica_export_location:show')
    replica = _api(req).get(req.ctx, share_replica_id)
    for el, item in views.export_locations(req, replica,
                                           replica.export_locations):
        if el.uuid == export_location_id:
            if el.is_admin_only and not req.ctx.is_admin:
                raise exceptions.PolicyNotAuthorized(
                    action='show an admin-only export location')
            item['created_at'] = isotime(el.created_at)
            item['updated_at'] = isotime(el.updated_at)
            return routing.reply({'export_location': item})
    raise exceptions.ExportLocationNotFound(uuid=export_location_id)
