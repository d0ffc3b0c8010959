"""Replica placement, as upstream's ShareReplicationFilter.

A pool may take a replica of a share when it offers the share's
replication style (``replication_type`` capability: one style or
several, space separated) and reports the same non-empty
``replication_domain`` as the backend of the active replica.
"""


def styles(capability):
    """The replication styles a ``replication_type`` capability offers."""
    if not capability:
        return set()
    if isinstance(capability, (list, tuple)):
        return {str(c).strip().lower() for c in capability}
    return set(str(capability).lower().split())


def passes(pool, spec, active_domain):
    wanted = spec.get('replication_type')
    caps = pool.capabilities
    if not wanted or wanted not in styles(caps.get('replication_type')):
        return False
    domain = caps.get('replication_domain')
    return bool(domain) and domain == active_domain
