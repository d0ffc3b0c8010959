"""CreateFromSnapshotFilter, as upstream: a share created from a
snapshot goes to a pool that can read the snapshot, on the snapshot's
backend or on a backend of its replication domain
(``spec['snapshot_replication_domain']``, which the scheduler looks up).
Requests not from a snapshot pass everywhere."""

from manila_lite.common import hosts


def passes(pool, spec):
    snapshot_host = spec.get('snapshot_host')
    if not spec.get('snapshot_id') or not snapshot_host:
        return True
    if pool.backend_host == hosts.backend_of(snapshot_host):
        return True
    domain = spec.get('snapshot_replication_domain')
    return bool(domain) and pool.capabilities.get(
        'replication_domain') == domain
