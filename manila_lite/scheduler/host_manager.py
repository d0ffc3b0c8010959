"""What the scheduler knows about backends: pools and their capabilities.

Share services store their capabilities (the driver's stats plus their
availability zone) in their ``services`` row with every heartbeat, so
any scheduler process sees every backend without a fan-out RPC. Only
enabled services that are up offer pools; a pool entry without a name
is skipped with a warning rather than failing every request.
"""

import dataclasses

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.common import states
from manila_lite.common import utils
from manila_lite.db import api as db

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class PoolState:
    host: str                 # host@backend#pool
    backend_host: str         # host@backend
    pool_name: str
    availability_zone: str
    capabilities: dict        # backend-wide keys overlaid with the pool's

    @property
    def free_capacity_gb(self):
        return self.capabilities.get('free_capacity_gb')


def _capabilities(svc):
    try:
        return db.service_capabilities(svc)
    except ValueError:
        LOG.warning('Ignoring unreadable capabilities of %s', svc.host)
        return {}


def get_pools(ctx, conf):
    """Pools of every share service that is enabled and up."""
    pools = []
    for svc in db.service_get_all(ctx, binary=states.BINARY_SHARE):
        if svc.disabled or not utils.service_is_up(
                svc, conf.service_down_time):
            continue
        caps = _capabilities(svc)
        backend = {k: v for k, v in caps.items() if k != 'pools'}
        for pool in caps.get('pools') or []:
            name = pool.get('pool_name') if isinstance(pool, dict) else None
            if not name:
                LOG.warning('Ignoring a pool without a name on %s',
                            svc.host)
                continue
            merged = dict(backend)
            merged.update(pool)
            pools.append(PoolState(
                host=hosts.pool_host(svc.host, name), backend_host=svc.host,
                pool_name=name,
                availability_zone=(svc.availability_zone
                                   or backend.get('availability_zone')),
                capabilities=merged))
    return pools


def _backend_service(ctx, host):
    """The share service serving ``host`` (``host@backend#pool``),
    whether it is up or not; None when unknown."""
    if not host:
        return None
    try:
        return db.service_get_by_host_and_binary(
            ctx, hosts.backend_of(host), states.BINARY_SHARE)
    except exceptions.ServiceNotFound:
        return None


def replication_domain(ctx, conf, host):
    """The ``replication_domain`` capability of the backend serving
    ``host``; None when unknown."""
    svc = _backend_service(ctx, host)
    return _capabilities(svc).get('replication_domain') if svc else None


def snapshot_source(ctx, host):
    """What CreateFromSnapshotFilter and HostAffinityWeigher need of the
    snapshot's pool ``host``: its backend's replication domain and
    availability zone (None when unknown)."""
    svc = _backend_service(ctx, host)
    if svc is None:
        return {'snapshot_replication_domain': None,
                'snapshot_availability_zone': None}
    caps = _capabilities(svc)
    return {'snapshot_replication_domain': caps.get('replication_domain'),
            'snapshot_availability_zone': (svc.availability_zone
                                           or caps.get('availability_zone'))}
