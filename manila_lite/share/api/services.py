"""Services and ensure shares, API side (availability zones are in
``base``)."""

from manila_lite.common import exceptions
from manila_lite.common import rpc
from manila_lite.common import states
from manila_lite.common import utils
from manila_lite.db import api as db
from manila_lite.share.api import base


class ServicesAPI(base.Base):
    def _service_item(self, svc):
        return dict(
            id=svc.id, binary=svc.binary, host=svc.host,
            zone=svc.availability_zone,
            status=(states.SERVICE_STATUS_DISABLED if svc.disabled
                    else states.SERVICE_STATUS_ENABLED),
            state=(states.SERVICE_STATE_UP if utils.service_is_up(
                svc, self.conf.service_down_time)
                else states.SERVICE_STATE_DOWN),
            updated_at=svc.updated_at, ensuring=svc.ensuring,
            disabled_reason=svc.disabled_reason)

    def service_set_disabled(self, ctx, host, binary, disabled,
                             reason=None):
        """Enable or disable scheduling to the service ``binary`` on
        ``host``; returns it as ``service_list`` shows it.

        A disabled share service keeps serving its shares; the scheduler
        only stops placing new ones (and migrations) on it.

        :raises: ServiceNotFound
        """
        svc = db.service_get_by_host_and_binary(ctx, host, binary)
        db.service_update(ctx, svc.id, {
            'disabled': disabled,
            'disabled_reason': reason if disabled else None})
        return self._service_item(db.service_get(ctx, svc.id))

    def service_list(self, ctx, *, filters):
        filters = filters or {}
        result = []
        for svc in db.service_get_all(ctx):
            item = self._service_item(svc)
            if all(str(item[k]) == str(v) if k != 'ensuring'
                   else item[k] == utils.is_true(v)
                   for k, v in filters.items()
                   if k in item and v is not None):
                result.append(item)
        return result

    def ensure_shares(self, ctx, host):
        """Make the share service ``host`` (``host@backend``) re-read its
        configuration and ensure all its shares.

        :raises: ServiceNotFound (no such share service), Conflict (the
            service is down, or an ensure already runs on it)
        """
        backend = rpc.server_of(host)
        services = db.service_get_all(ctx, host=backend,
                                      binary=states.BINARY_SHARE)
        if not services:
            raise exceptions.ServiceNotFound(service_id=host)
        service = services[0]
        if not utils.service_is_up(service, self.conf.service_down_time):
            raise exceptions.Conflict(
                reason='service %s is not up' % backend)
        if not db.service_set_ensuring(ctx, service.id, True):
            raise exceptions.Conflict(
                reason='shares of %s are already being ensured' % backend)
        try:
            self.cast('ensure_shares', self.share_rpcapi.ensure_shares,
                       ctx, backend)
        except exceptions.MessagingUnavailable:
            db.service_set_ensuring(ctx, service.id, False)
            raise
