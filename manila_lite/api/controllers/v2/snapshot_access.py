"""Mountable snapshot access (2.32): the ``allow_access`` and
``deny_access`` actions of POST /snapshots/{id}/action (both 202) and
GET /snapshots/{id}/access-list. Only snapshots of a share whose type
has ``mount_snapshot_support`` take rules (400 otherwise, as
upstream)."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.controllers.v2.actions import Action
from manila_lite.api.schemas import snapshot_access as schemas
from manila_lite.api.views import snapshot_access as views
from manila_lite.share import snapshot_access_api

#: From this version an ``ip`` rule may name an IPv6 address.
_IPV6_ACCESS = mv.parse('2.38')


def _api(req):
    return snapshot_access_api.SnapshotAccessAPI(req.share_api)


def allow_access(req, snapshot_id, body):
    req.authorize('share_snapshot:allow_access')
    rule = _api(req).allow_access(
        req.ctx, snapshot_id, access_type=body['access_type'],
        access_to=body['access_to'], ipv6=req.version >= _IPV6_ACCESS)
    return routing.reply(views.access(rule), status=202)


def deny_access(req, snapshot_id, body):
    req.authorize('share_snapshot:deny_access')
    _api(req).deny_access(req.ctx, snapshot_id, body['access_id'])
    return routing.reply(status=202)


ACTIONS = {
    'allow_access': Action(allow_access, schemas.ALLOW_ACCESS_2_32,
                           min_version='2.32'),
    'deny_access': Action(deny_access, schemas.DENY_ACCESS_2_32,
                          min_version='2.32'),
}


@mv.api_version('2.32')
def access_list(req, snapshot_id):
    req.authorize('share_snapshot:access_list')
    return routing.reply(views.access_list(
        _api(req).access_list(req.ctx, snapshot_id)))
