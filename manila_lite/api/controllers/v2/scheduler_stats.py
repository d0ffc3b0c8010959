"""/scheduler-stats/pools[/detail] (admin): the storage pools the
scheduler places shares on, with their capabilities in the detail list.

Filters ``host``, ``backend``, ``pool`` (and ``name``) are regular
expressions; ``capabilities`` is a dict of extra specs
(``{'snapshot_support': 'True'}`` or ``k:v,k2:v2``); from 2.23
``share_type`` (name or id) filters by that type's extra specs, as the
scheduler would match them. An unknown share type is a 400, as upstream.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.controllers.v2 import common
from manila_lite.api.views import scheduler_stats as views
from manila_lite.common import exceptions
from manila_lite.common import type_specs
from manila_lite.scheduler import pool_stats


def _pools(req, policy, render):
    req.authorize(policy)
    filters = dict(req.params)
    required = {}
    if 'capabilities' in filters:
        filters.pop('capabilities')
        required.update(common.query_metadata(req.params, 'capabilities'))
    if req.version >= mv.GATE_POOLS_SHARE_TYPE_FILTER:
        name = filters.pop('share_type', None)
        if name:
            try:
                stype = req.share_api.share_type_get(req.ctx, name)
            except exceptions.NotFound:
                raise exceptions.Invalid(
                    'Share type %s not found.' % name) from None
            required.update(type_specs.extra_specs_dict(stype))
    pools = pool_stats.list_pools(req.ctx, req.conf, filters=filters,
                                  capabilities=required)
    return routing.reply(render(pools))


def index(req):
    return _pools(req, 'scheduler_stats:pools:index', views.index)


def detail(req):
    return _pools(req, 'scheduler_stats:pools:detail', views.detail)
