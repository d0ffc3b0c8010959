"""Services (admin): os-services below 2.7, then services (list,
enable, disable); ensure shares (2.86+).

Upstream never answers 400 to filters: an unknown status or ensuring
value simply matches nothing.
"""

from oslo_utils import strutils

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import services as schemas
from manila_lite.api.views import services as views

_FILTERS = ('host', 'binary', 'zone', 'state', 'status')


def index(req):
    req.authorize('service:index')
    filters = {k: req.params[k] for k in _FILTERS if k in req.params}
    if req.version >= mv.GATE_SERVICES_ENSURING_FILTER and (
            'ensuring' in req.params):
        value = strutils.bool_from_string(req.params['ensuring'],
                                          default=None)
        if value is None:
            return routing.reply(views.index(req, []))
        filters['ensuring'] = value
    services = req.share_api.service_list(req.ctx, filters=filters)
    return routing.reply(views.index(req, services))


def _set_disabled(req, schema, disabled):
    req.authorize('service:update')
    body = validation.validate(common.body_of(req), schema, req.version)
    svc = req.share_api.service_set_disabled(
        req.ctx, body['host'], body['binary'], disabled,
        body.get('disabled_reason'))
    return routing.reply(views.update(req, svc))


def enable(req):
    """Let the scheduler place shares on the service again."""
    return _set_disabled(req, schemas.ENABLE, False)


def disable(req):
    """Stop the scheduler placing shares on the service (it keeps
    serving those it has); 2.83 adds ``disabled_reason``."""
    return _set_disabled(req, schemas.DISABLE, True)


@mv.api_version('2.86')
def ensure_shares(req):
    """Ask share service ``host@backend`` to ensure all its shares.

    Asynchronous: 202 once the cast is sent; the service's ``ensuring``
    flag tells when the run ends. 404 for no such share service, 409
    when it is down or already ensuring.
    """
    req.authorize('service:ensure_shares')
    body = common.body_of(req)
    validation.validate(body, schemas.ensure_shares_schema(body),
                        req.version)
    req.share_api.ensure_shares(req.ctx, schemas.ensure_shares_host(body))
    return routing.reply(status=202)
