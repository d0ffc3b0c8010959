"""Quota set, quota class set and limits representations.

Fields join by microversion as upstream's views add them: share groups
at 2.40, replicas at 2.53, ``per_share_gigabytes`` at 2.62, backups at
2.80, ``encryption_keys`` at 2.90. A share type's quota set has no
``share_networks``, share group keys nor ``encryption_keys``. Values
are limits, or (``detail``) ``{limit, in_use, reserved}`` dicts.
"""

from manila_lite.api import microversion as mv

GATE_SHARE_GROUP_QUOTAS = mv.parse('2.40')
GATE_REPLICA_QUOTAS = mv.parse('2.53')
GATE_PER_SHARE_GIGABYTES = mv.parse('2.62')
GATE_BACKUP_QUOTAS = mv.parse('2.80')
GATE_ENCRYPTION_KEYS_QUOTA = mv.parse('2.90')

_BASE = ('shares', 'gigabytes', 'snapshots', 'snapshot_gigabytes')
#: (gate, keys) in upstream's order of appearance.
_VERSIONED = (
    (GATE_SHARE_GROUP_QUOTAS, ('share_groups', 'share_group_snapshots')),
    (GATE_REPLICA_QUOTAS, ('share_replicas', 'replica_gigabytes')),
    (GATE_PER_SHARE_GIGABYTES, ('per_share_gigabytes',)),
    (GATE_BACKUP_QUOTAS, ('backups', 'backup_gigabytes')),
    (GATE_ENCRYPTION_KEYS_QUOTA, ('encryption_keys',)),
)


def visible_keys(version, *, share_type=False):
    keys = list(_BASE)
    if not share_type:
        keys.append('share_networks')
    for gate, more in _VERSIONED:
        if version >= gate:
            keys.extend(k for k in more if not (
                share_type and (k.startswith('share_group')
                                or k == 'encryption_keys')))
    return keys


def quota_set(req, values, project_id=None, *, share_type=False):
    view = {k: values.get(k) for k in visible_keys(req.version,
                                                   share_type=share_type)}
    if project_id:
        view['id'] = project_id
    return {'quota_set': view}


def quota_class_set(req, values, class_name=None):
    view = {k: values.get(k) for k in visible_keys(req.version)}
    if class_name:
        view['id'] = class_name
    return {'quota_class_set': view}


#: limits' absolute names: resource -> (max name, used name).
_LIMIT_NAMES = (
    ('gigabytes', 'maxTotalShareGigabytes', 'totalShareGigabytesUsed'),
    ('shares', 'maxTotalShares', 'totalSharesUsed'),
    ('snapshots', 'maxTotalShareSnapshots', 'totalShareSnapshotsUsed'),
    ('share_networks', 'maxTotalShareNetworks', 'totalShareNetworksUsed'),
    ('snapshot_gigabytes', 'maxTotalSnapshotGigabytes',
     'totalSnapshotGigabytesUsed'),
)
_REPLICA_LIMIT_NAMES = (
    ('share_replicas', 'maxTotalShareReplicas', 'totalShareReplicasUsed'),
    ('replica_gigabytes', 'maxTotalReplicaGigabytes',
     'totalReplicaGigabytesUsed'),
)


def limits(req, detail):
    """``{"limits": {"rate": [], "absolute": {...}}}`` from a project's
    quota detail (manila_lite has no rate limits)."""
    names = _LIMIT_NAMES
    if req.version >= GATE_REPLICA_QUOTAS:
        names += _REPLICA_LIMIT_NAMES
    absolute = {}
    for resource, max_name, used_name in names:
        absolute[max_name] = detail[resource]['limit']
        absolute[used_name] = detail[resource]['in_use']
    return {'limits': {'rate': [], 'absolute': absolute}}
