"""The public base of the share service API's resources.

One instance per API process (``build_app`` makes it): the RPC clients,
``cast`` (a cast that cannot be sent is a 503), ``visible`` and
``own_share`` (project visibility: another project's resource is
``NotFound`` for a non-admin, as upstream hides existence) and
``check_zone``. The resource modules beside this one, and the other
component APIs of ``share/`` (migration, replicas, resize...), use only
these.
"""

import uuid

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import rpc
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.scheduler import rpcapi as scheduler_rpcapi
from manila_lite.share import rpcapi as share_rpcapi

LOG = logging.getLogger(__name__)

_AZ_NAMESPACE = uuid.UUID('6d1f9d0e-7a55-4f55-9a54-2b0d6f3c9a10')


class Base:
    def __init__(self, conf):
        self.conf = conf
        self.scheduler_rpcapi = scheduler_rpcapi.SchedulerAPI(conf)
        self.share_rpcapi = share_rpcapi.ShareAPI(conf)

    @staticmethod
    def cast(what, func, *args, **kwargs):
        """``func(*args, **kwargs)``, a cast; MessagingUnavailable if the
        message cannot be sent (``what`` names it in the log)."""
        try:
            func(*args, **kwargs)
        except rpc.CAST_ERRORS:
            LOG.exception('Could not cast %s', what)
            raise exceptions.MessagingUnavailable() from None

    @staticmethod
    def visible(ctx, resource, *, allow_public=False):
        """Whether ``ctx`` may see ``resource`` (its project's, an
        admin, or with ``allow_public`` a public one)."""
        if ctx.is_admin or resource.project_id == ctx.project_id:
            return True
        return allow_public and bool(getattr(resource, 'is_public', False))

    def own_share(self, ctx, share_id, action=None):
        """The share, if the caller may change it. Another project's
        public share is visible, so changing it is a 403 naming the
        policy ``action`` (as upstream's check with the share as
        target); any other project's share is hidden (404)."""
        share = db.share_get(ctx, share_id)
        if not share.instances or not self.visible(ctx, share,
                                                    allow_public=True):
            raise exceptions.ShareNotFound(share_id=share_id)
        if not self.visible(ctx, share):
            if action is None:
                raise exceptions.NotAuthorized()
            raise exceptions.PolicyNotAuthorized(action=action)
        return share

    def availability_zone_list(self, ctx):
        zones = {}
        for svc in db.service_get_all(ctx, binary=states.BINARY_SHARE):
            name = svc.availability_zone
            if not name:
                continue
            zone = zones.setdefault(name, {
                'id': str(uuid.uuid5(_AZ_NAMESPACE, name)), 'name': name,
                'created_at': svc.created_at, 'updated_at': svc.updated_at})
            zone['created_at'] = min(zone['created_at'], svc.created_at)
            if svc.updated_at and (zone['updated_at'] is None
                                   or svc.updated_at > zone['updated_at']):
                zone['updated_at'] = svc.updated_at
        return sorted(zones.values(), key=lambda z: z['name'])

    def check_zone(self, ctx, zone):
        if zone is None:
            return
        if zone not in {z['name'] for z in self.availability_zone_list(ctx)}:
            raise exceptions.AvailabilityZoneNotFound(id=zone)
