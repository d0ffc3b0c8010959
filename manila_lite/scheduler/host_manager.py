"""What the scheduler knows about backends: pools and their capabilities.

Share services store their capabilities (the driver's stats) in their
``services`` row with every heartbeat, so any scheduler process sees
every backend without a fan-out RPC. Only enabled services that are up
offer pools.
"""

import dataclasses

from manila_lite.common import states
from manila_lite.common import utils
from manila_lite.db import api as db


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


def get_pools(ctx, conf):
    pools = []
    for svc in db.service_get_all(ctx, binary=states.BINARY_SHARE):
        if svc.disabled or not utils.service_is_up(
                svc, conf.service_down_time):
            continue
        caps = db.service_capabilities(svc)
        backend = {k: v for k, v in caps.items() if k != 'pools'}
        for pool in caps.get('pools') or []:
            merged = dict(backend)
            merged.update(pool)
            pools.append(PoolState(
                host='%s#%s' % (svc.host, pool['pool_name']),
                backend_host=svc.host, pool_name=pool['pool_name'],
                availability_zone=svc.availability_zone,
                capabilities=merged))
    return pools
