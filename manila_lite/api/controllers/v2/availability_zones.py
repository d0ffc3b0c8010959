"""Availability zones: os-availability-zone below 2.7, then
availability-zones (the URLs carry the version range in ROUTES)."""

from manila_lite.api import routing
from manila_lite.api.views import availability_zones as views


def index(req):
    req.authorize('availability_zone:index')
    return routing.reply(views.index(
        req.share_api.availability_zone_list(req.ctx)))
