"""Share export locations (2.9+): list and show. Below 2.47 those of
every replica of a replicated share, from 2.47 the active replica's
(replicas have their own export location API), as upstream."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.views import export_locations as views


def _secondary(req):
    return req.version < mv.GATE_REPLICA_EXPORT_LOCATIONS


@mv.api_version('2.9')
def index(req, share_id):
    req.authorize('share_export_location:index')
    locations = req.share_api.share_export_location_list(
        req.ctx, share_id, secondary_replicas=_secondary(req))
    return routing.reply(views.index(req, locations,
                                     admin=req.ctx.is_admin))


@mv.api_version('2.9')
def show(req, share_id, export_location_id):
    req.authorize('share_export_location:show')
    el = req.share_api.share_export_location_get(
        req.ctx, share_id, export_location_id,
        secondary_replicas=_secondary(req))
    return routing.reply(views.show(req, el, admin=req.ctx.is_admin))
