"""HostAffinityWeigher, as upstream: for a share created from a
snapshot, prefer the snapshot's pool (100), then its backend (75), then
its availability zone (50), then anywhere else (25); 0 for every pool
when the request is not from a snapshot.

The snapshot's zone is ``spec['snapshot_availability_zone']``, which
the scheduler looks up with its replication domain.
"""

from manila_lite.common import hosts


def weigh(pool, spec):
    snapshot_host = spec.get('snapshot_host')
    if not spec.get('snapshot_id') or not snapshot_host:
        return 0.0
    if pool.host == snapshot_host:
        return 100.0
    if pool.backend_host == hosts.backend_of(snapshot_host):
        return 75.0
    zone = spec.get('snapshot_availability_zone')
    if zone and pool.availability_zone == zone:
        return 50.0
    return 25.0
