"""/snapshot-instances (admin, 2.19+): list and detail list (filter
``snapshot_id``), show, and the reset_status action; plus the snapshot
admin actions on /snapshots/{id}/action: reset_status and force_delete
(``os-`` names before 2.7)."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.controllers.v2 import actions
from manila_lite.api.controllers.v2 import snapshot_access
from manila_lite.api.controllers.v2.actions import Action
from manila_lite.api.schemas import share_actions as schemas
from manila_lite.api.views import share_instances as views

snapshot_instances_api = mv.api_version('2.19')


def _api(req):
    return req.share_api.instances


def _list(req, policy, *, detail):
    req.authorize(policy)
    instances = _api(req).snapshot_instance_get_all(
        req.ctx, snapshot_id=req.params.get('snapshot_id'))
    return routing.reply(views.snapshot_instances(instances, detail=detail))


@snapshot_instances_api
def index(req):
    return _list(req, 'share_snapshot_instance:index', detail=False)


@snapshot_instances_api
def detail(req):
    return _list(req, 'share_snapshot_instance:detail', detail=True)


@snapshot_instances_api
def show(req, snapshot_instance_id):
    req.authorize('share_snapshot_instance:show')
    return routing.reply(views.snapshot_instance(
        _api(req).snapshot_instance_get(req.ctx, snapshot_instance_id)))


def instance_reset_status(req, snapshot_instance_id, body):
    req.authorize('share_snapshot_instance:reset_status')
    _api(req).snapshot_instance_reset_status(req.ctx, snapshot_instance_id,
                                             body['status'])
    return routing.reply(status=202)


INSTANCE_ACTIONS = {
    'reset_status': Action(instance_reset_status, schemas.RESET_STATUS_2_7),
}


@snapshot_instances_api
def action(req, snapshot_instance_id):
    return actions.dispatch(req, INSTANCE_ACTIONS, snapshot_instance_id)


# --- /snapshots/{id}/action: admin actions here, access (2.32) in
# snapshot_access.py ----------------------------------------------------------
def reset_status(req, snapshot_id, body):
    req.authorize('share_snapshot:reset_status')
    _api(req).snapshot_reset_status(req.ctx, snapshot_id, body['status'])
    return routing.reply(status=202)


def force_delete(req, snapshot_id, body):
    req.authorize('share_snapshot:force_delete')
    _api(req).snapshot_force_delete(req.ctx, snapshot_id)
    return routing.reply(status=202)


SNAPSHOT_ACTIONS = {**actions.admin_actions(reset_status, force_delete),
                    **snapshot_access.ACTIONS}


def snapshot_action(req, snapshot_id):
    return actions.dispatch(req, SNAPSHOT_ACTIONS, snapshot_id)
