"""Placing a share group: one backend that serves every share type of
the group, in the zone asked for (or any zone the types allow).

Each share type is run through the filters as a share of that type
would be (size 0: a group holds no data itself); the backends with a
pool passing for every type remain, and the one whose pool ranks best
for the first type wins. The group records that backend
(``host@backend``) and its zone, in one conditional update from
``creating`` (the scheduler is the only step: no backend holds anything
for a group). No backend fits: the group is ``error`` with a user
message, as a share would be.
"""

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import messages
from manila_lite.db import api as db
from manila_lite.db import share_groups as group_db

LOG = logging.getLogger(__name__)


def _type_spec(request_spec, stype):
    return dict(size=0, share_type_id=stype['share_type_id'],
                extra_specs=stype.get('extra_specs') or {},
                availability_zone=request_spec.get('availability_zone'),
                project_id=request_spec.get('project_id'))


def select_backend(manager, ctx, request_spec, *, trace=None):
    """The best pool of a backend passing for every share type (its
    ``backend_host`` and zone are the group's); None when none fits."""
    candidates = None
    first = []
    for stype in request_spec.get('share_types') or []:
        pools = manager.select_pools(ctx, _type_spec(request_spec, stype),
                                     trace=trace)
        if not first:
            first = pools
        backends = {p.backend_host for p in pools}
        candidates = backends if candidates is None else (
            candidates & backends)
    for pool in first:
        if pool.backend_host in (candidates or ()):
            return pool
    return None


def create_share_group(manager, ctx, share_group_id, request_spec):
    trace = []
    try:
        pool = select_backend(manager, ctx, request_spec, trace=trace)
    except Exception:
        LOG.exception('Scheduling share group %s failed', share_group_id)
        pool = None
    try:
        if pool is None:
            LOG.warning(exceptions.NoValidHost(
                reason='no backend fits share group %s' % share_group_id
            ).msg)
            with db.writer(ctx):
                group_db.share_group_transition(
                    ctx, share_group_id, event='create_failed')
                manager._no_valid_host(ctx, messages.Resource.SHARE_GROUP,
                                       share_group_id, request_spec, trace)
            return
        group_db.share_group_transition(
            ctx, share_group_id, event='create_done',
            values={'host': pool.backend_host,
                    'availability_zone': pool.availability_zone})
        LOG.info('Placed share group %s on %s', share_group_id,
                 pool.backend_host)
    except exceptions.ManilaLiteException as exc:
        # Deleted (or reset) while it was being placed.
        LOG.info('Not placing share group %s: %s', share_group_id, exc)
