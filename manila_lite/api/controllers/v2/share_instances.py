"""/share_instances and /shares/{id}/instances (admin, 2.3+): list
(export location filters from 2.35), show, the instance's export
locations (2.9+), and the actions reset_status and force_delete
(``os-`` names before 2.7)."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.controllers.v2 import actions
from manila_lite.api.views import export_locations as el_views
from manila_lite.api.views import share_instances as views

instances_api = mv.api_version('2.3')


def _api(req):
    return req.share_api.instances


@instances_api
def index(req):
    req.authorize('share_instance:index')
    filters = {}
    if req.version >= mv.GATE_INSTANCE_EXPORT_LOCATION_FILTERS:
        # Below 2.35 upstream ignores them.
        for key in ('export_location_id', 'export_location_path'):
            if key in req.params:
                filters[key] = req.params[key]
    return routing.reply(views.index(req, _api(req).get_all(req.ctx,
                                                            **filters)))


@instances_api
def show(req, share_instance_id):
    req.authorize('share_instance:show')
    return routing.reply(views.show(req, _api(req).get(req.ctx,
                                                       share_instance_id)))


@instances_api
def of_share(req, share_id):
    req.authorize('share_instance:index')
    return routing.reply(views.index(
        req, _api(req).get_all_by_share(req.ctx, share_id)))


@mv.api_version('2.9')
def export_locations(req, share_instance_id):
    req.authorize('share_instance_export_location:index')
    instance = _api(req).get(req.ctx, share_instance_id)
    return routing.reply(el_views.index(req, instance.export_locations,
                                        admin=req.ctx.is_admin))


@mv.api_version('2.9')
def export_location(req, share_instance_id, export_location_id):
    req.authorize('share_instance_export_location:show')
    el = _api(req).export_location(req.ctx, share_instance_id,
                                   export_location_id)
    return routing.reply(el_views.show(req, el, admin=req.ctx.is_admin))


# --- actions -----------------------------------------------------------------
def reset_status(req, share_instance_id, body):
    req.authorize('share_instance:reset_status')
    _api(req).reset_status(req.ctx, share_instance_id, body['status'])
    return routing.reply(status=202)


def force_delete(req, share_instance_id, body):
    req.authorize('share_instance:force_delete')
    _api(req).force_delete(req.ctx, share_instance_id)
    return routing.reply(status=202)


ACTIONS = actions.admin_actions(reset_status, force_delete, since='2.3')


@instances_api
def action(req, share_instance_id):
    return actions.dispatch(req, ACTIONS, share_instance_id)
