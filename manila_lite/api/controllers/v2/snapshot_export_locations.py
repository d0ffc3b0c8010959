"""Snapshot export locations (2.32+): /snapshots/{id}/export-locations
and, for administrators, /snapshot-instances/{id}/export-locations.

Only mountable snapshots have export locations, and no manila_lite
backend reports ``mount_snapshot_support``: every list is empty and
every show a 404, once the snapshot (or instance) is found. The routes
exist because the real CLI asks for them: ``openstack share snapshot
show`` lists the snapshot's export locations and fails on a 404.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.common import exceptions

snapshot_els_api = mv.api_version('2.32')


@snapshot_els_api
def index(req, snapshot_id):
    req.authorize('share_snapshot_export_location:index')
    req.share_api.snapshot_get(req.ctx, snapshot_id)
    return routing.reply({'share_snapshot_export_locations': []})


@snapshot_els_api
def show(req, snapshot_id, export_location_id):
    req.authorize('share_snapshot_export_location:show')
    req.share_api.snapshot_get(req.ctx, snapshot_id)
    raise exceptions.ExportLocationNotFound(uuid=export_location_id)


def _instance(req, snapshot_instance_id):
    req.share_api.instances.snapshot_instance_get(
        req.ctx, snapshot_instance_id)


@snapshot_els_api
def instance_index(req, snapshot_instance_id):
    req.authorize('share_snapshot_instance_export_location:index')
    _instance(req, snapshot_instance_id)
    return routing.reply({'share_snapshot_export_locations': []})


@snapshot_els_api
def instance_show(req, snapshot_instance_id, export_location_id):
    req.authorize('share_snapshot_instance_export_location:show')
    _instance(req, snapshot_instance_id)
    raise exceptions.ExportLocationNotFound(uuid=export_location_id)
