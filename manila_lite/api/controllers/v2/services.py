"""Services (admin): os-services below 2.7, then services.

Upstream never answers 400 to filters: an unknown status or ensuring
value simply matches nothing.
"""

from oslo_utils import strutils

from manila_lite.api import microversion as mv
from manila_lite.api import routing
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
