"""Snapshot export locations (2.32+): /snapshots/{id}/export-locations
and, for administrators, /snapshot-instances/{id}/export-locations.

Only mountable snapshots (a share type with ``mount_snapshot_support``)
have export locations; the lists of others are empty. A location of
another snapshot (or instance) is a 404, as an unknown one.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.views import snapshot_access as views
from manila_lite.common import exceptions
from manila_lite.share import snapshot_access_api

snapshot_els_api = mv.api_version('2.32')


def _api(req):
    return snapshot_access_api.SnapshotAccessAPI(req.share_api)


@snapshot_els_api
def index(req, snapshot_id):
    req.authorize('share_snapshot_export_location:index')
    return routing.reply(views.export_locations(
        req, _api(req).export_locations(req.ctx, snapshot_id)))


@snapshot_els_api
def show(req, snapshot_id, export_location_id):
    req.authorize('share_snapshot_export_location:show')
    location = _api(req).export_location_get(req.ctx, snapshot_id,
                                             export_location_id)
    if location.is_admin_only and not req.ctx.is_admin:
        raise exceptions.ExportLocationNotFound(uuid=export_location_id)
    return routing.reply(views.export_location(req, location))


@snapshot_els_api
def instance_index(req, snapshot_instance_id):
    req.authorize('share_snapshot_instance_export_location:index')
    return routing.reply(views.export_locations(
        req, _api(req).instance_export_locations(req.ctx,
                                                 snapshot_instance_id)))


@snapshot_els_api
def instance_show(req, snapshot_instance_id, export_location_id):
    req.authorize('share_snapshot_instance_export_location:show')
    return routing.reply(views.export_location(
        req, _api(req).instance_export_location_get(
            req.ctx, snapshot_instance_id, export_location_id)))
