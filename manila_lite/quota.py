"""Quotas: what a project, a user of it or a share type in it may use.

Limits resolve as upstream: a project's limit is its own row, else the
``default`` quota class's, else the ``[quota]`` option; a user's or a
share type's is its own row, else the project's. Usage moves in the
transaction that creates or deletes what it counts (``db/quotas.py``):
:func:`charge` is called inside the caller's ``with db.writer(ctx)``,
beside the insert it pays for, and raises upstream's 413 when a scope's
limit refuses (the transaction then rolls back, insert included).
"""

from manila_lite.common import config
from manila_lite.common import exceptions
from manila_lite.db import quotas as db

#: Every resource, in upstream's order.
RESOURCES = tuple(opt.name for opt in config.QUOTA_OPTS)
#: What a share type's quotas may constrain.
TYPE_RESOURCES = tuple(r for r in RESOURCES if r not in (
    'share_networks', 'share_groups', 'share_group_snapshots',
    'encryption_keys'))
DEFAULT_CLASS = 'default'


# --- upstream's 413s ---------------------------------------------------------
class ShareSizeExceedsAvailableQuota(exceptions.QuotaError):
    message = ('Requested share exceeds allowed project/user or share type '
               'gigabytes quota.')


class SnapshotSizeExceedsAvailableQuota(exceptions.QuotaError):
    message = ('Requested snapshot exceeds allowed project/user or share '
               'type gigabytes quota.')


class ShareSizeExceedsLimit(exceptions.QuotaError):
    message = ('Requested share size %(size)d is larger than maximum '
               'allowed limit %(limit)d.')


class ShareLimitExceeded(exceptions.QuotaError):
    message = ('Maximum number of shares allowed (%(allowed)d) either per '
               'project/user or share type quota is exceeded.')


class SnapshotLimitExceeded(exceptions.QuotaError):
    message = ('Maximum number of snapshots allowed (%(allowed)d) either '
               'per project/user or share type quota is exceeded.')


class ShareReplicasLimitExceeded(exceptions.QuotaError):
    message = 'Maximum number of allowed share-replicas is exceeded.'


class ShareReplicaSizeExceedsAvailableQuota(exceptions.QuotaError):
    message = ('Requested share replica exceeds allowed project/user or '
               'share type gigabytes quota.')


class BackupLimitExceeded(exceptions.QuotaError):
    message = 'Maximum number of backups allowed (%(allowed)d) exceeded.'


class ShareBackupSizeExceedsAvailableQuota(exceptions.QuotaError):
    message = ('Requested backup exceeds allowed Backup gigabytes quota. '
               'Requested %(requested)sG, quota is %(quota)sG and '
               '%(consumed)sG has been consumed.')


class ExtendExceedsQuota(exceptions.ManilaLiteException):
    """Upstream's extend answers a gigabytes quota refusal with 403 (its
    controller turns ShareSizeExceedsAvailableQuota into Forbidden)."""

    message = ShareSizeExceedsAvailableQuota.message
    code = 403
    safe = True


# --- limits ------------------------------------------------------------------
def _conf_defaults(conf):
    return {r: getattr(conf.quota, r) for r in RESOURCES}


def class_limits(conf, ctx, class_name):
    """A quota class's limits (the defaults for what it does not set)."""
    limits = _conf_defaults(conf)
    limits.update(db.quota_class_get(ctx, DEFAULT_CLASS))
    if class_name != DEFAULT_CLASS:
        limits.update(db.quota_class_get(ctx, class_name))
    return {r: limits[r] for r in RESOURCES}


def defaults(conf, ctx):
    return class_limits(conf, ctx, DEFAULT_CLASS)


def limits(conf, ctx, project_id, *, user_id=None, share_type_id=None):
    """``{resource: limit}`` of the project, a user or a share type."""
    values = defaults(conf, ctx)
    values.update(db.quota_get_all(ctx, project_id))
    if user_id or share_type_id:
        values.update(db.quota_get_all(ctx, project_id, user_id=user_id,
                                       share_type_id=share_type_id))
    if share_type_id:
        return {r: values[r] for r in TYPE_RESOURCES}
    return values


def detail(conf, ctx, project_id, *, user_id=None, share_type_id=None):
    """``{resource: {'limit', 'in_use', 'reserved'}}`` of one scope."""
    hard = limits(conf, ctx, project_id, user_id=user_id,
                  share_type_id=share_type_id)
    used = db.usage_get(ctx, project_id, user_id=user_id,
                        share_type_id=share_type_id)
    return {r: {'limit': hard[r], 'in_use': used.get(r, (0, 0))[0],
                'reserved': used.get(r, (0, 0))[1]} for r in hard}


def settable(conf, ctx, project_id, *, user_id=None, share_type_id=None):
    """``{resource: (minimum, maximum)}`` an admin may set without
    ``force``: not below what the scope uses, and (a user or a share
    type) not above the project's limit."""
    used = detail(conf, ctx, project_id, user_id=user_id,
                  share_type_id=share_type_id)
    top = (limits(conf, ctx, project_id) if user_id or share_type_id
           else None)
    return {r: (v['in_use'] + v['reserved'], top[r] if top else -1)
            for r, v in used.items()}


# --- enforcement -------------------------------------------------------------
def _charge(conf, ctx, session, owner, deltas):
    """Charge ``deltas`` to the owner's scopes; ``{resource: limit}`` of
    each refusal (empty: all charged)."""
    return {resource: hard for resource, (_scope, hard)
            in _refusals(conf, ctx, session, owner, deltas).items()}


def _refusals(conf, ctx, session, owner, deltas):
    """As :func:`_charge`, each refusal ``{resource: (scope, limit)}``
    naming the first scope that refused."""
    project_id, user_id, share_type_id = owner
    charges = []
    for scope in db.scopes(project_id, user_id, share_type_id):
        hard = limits(conf, ctx, scope[0], user_id=scope[1] or None,
                      share_type_id=scope[2] or None)
        for resource, delta in deltas.items():
            if resource in hard:
                charges.append((scope, resource, delta, hard[resource]))
    refused = db.charge(session, charges)
    out = {}
    for scope, resource in refused:
        hard = limits(conf, ctx, scope[0], user_id=scope[1] or None,
                      share_type_id=scope[2] or None)
        out.setdefault(resource, (scope, hard[resource]))
    return out


def check_per_share(conf, ctx, project_id, share_type_id, size):
    per_share = limits(conf, ctx, project_id,
                       share_type_id=share_type_id)['per_share_gigabytes']
    if per_share >= 0 and size > per_share:
        raise ShareSizeExceedsLimit(size=size, limit=per_share)


def charge_share(conf, ctx, session, owner, size, *, replicated):
    """A new share of ``size`` GiB (a replicated one counts its first
    replica too)."""
    check_per_share(conf, ctx, owner[0], owner[2], size)
    refused = _charge(conf, ctx, session, owner,
                      db.share_deltas(size, replicated))
    if 'gigabytes' in refused:
        raise ShareSizeExceedsAvailableQuota()
    if 'shares' in refused:
        raise ShareLimitExceeded(allowed=refused['shares'])
    _raise_replica(refused)


def charge_snapshot(conf, ctx, session, owner, size):
    refused = _charge(conf, ctx, session, owner,
                      {'snapshots': 1, 'snapshot_gigabytes': size})
    if 'snapshot_gigabytes' in refused:
        raise SnapshotSizeExceedsAvailableQuota()
    if 'snapshots' in refused:
        raise SnapshotLimitExceeded(allowed=refused['snapshots'])


def charge_backup(conf, ctx, session, owner, size):
    """A new backup of a ``size`` GiB share: upstream counts backups in
    the project and its user, never in a share type (``owner`` is
    ``(project_id, user_id)``)."""
    refused = _refusals(conf, ctx, session, (owner[0], owner[1], None),
                        {'backups': 1, 'backup_gigabytes': size})
    if 'backup_gigabytes' in refused:
        scope, hard = refused['backup_gigabytes']
        raise ShareBackupSizeExceedsAvailableQuota(
            requested=size, quota=hard,
            consumed=db.in_use(session, scope, 'backup_gigabytes'))
    if 'backups' in refused:
        raise BackupLimitExceeded(allowed=refused['backups'][1])


def release_backup(session, backup):
    """Give back what a backup row held (it goes in this transaction)."""
    db.release(session, backup.project_id, backup.user_id, None,
               {'backups': 1, 'backup_gigabytes': backup.size})


def charge_replica(conf, ctx, session, owner, size):
    _raise_replica(_charge(conf, ctx, session, owner,
                           {'share_replicas': 1, 'replica_gigabytes': size}))


def _raise_replica(refused):
    if 'replica_gigabytes' in refused:
        raise ShareReplicaSizeExceedsAvailableQuota()
    if 'share_replicas' in refused:
        raise ShareReplicasLimitExceeded()


def resize_deltas(increase, replicas):
    """What growing a share (with ``replicas`` replica instances, its
    active one included) by ``increase`` GiB consumes."""
    deltas = {'gigabytes': increase}
    if replicas:
        deltas['replica_gigabytes'] = increase * replicas
    return deltas


def charge_extend(conf, ctx, session, owner, new_size, increase, replicas):
    check_per_share(conf, ctx, owner[0], owner[2], new_size)
    refused = _charge(conf, ctx, session, owner,
                      resize_deltas(increase, replicas))
    if 'replica_gigabytes' in refused:
        raise ShareReplicaSizeExceedsAvailableQuota()
    if 'gigabytes' in refused:
        raise ExtendExceedsQuota()


def release_resize(session, owner, decrease, replicas):
    """Give back what a shrink, or an extend that did not happen, held."""
    db.release(session, *owner, resize_deltas(decrease, replicas))


def _owner_and_replicas(share):
    replicas = sum(1 for i in share.instances if i.replica_state)
    return (share.project_id, share.user_id, share.share_type_id), replicas


def charge_extend_of(conf, ctx, session, share, new_size):
    """Charge growing ``share`` to ``new_size`` (its replicas too), and
    record the charge on the share (``pending_size``) for whoever ends
    the extend: :func:`release_extend` gives it back, finishing keeps
    it. A charge an admin's reset left behind is given back first."""
    release_extend(session, share)
    owner, replicas = _owner_and_replicas(share)
    charge_extend(conf, ctx, session, owner, new_size,
                  int(new_size) - share.size, replicas)
    db.pending_size_set(session, share.id, int(new_size))


def release_extend(session, share):
    """Give back what the extend in flight of ``share`` was charged, in
    the caller's transaction (with the state change that abandons it).
    Only the caller that clears ``pending_size`` releases: two racing
    (a failure and a recovery) release once; none after it finished."""
    owner, replicas = _owner_and_replicas(share)
    held = db.pending_size_clear(session, share.id)
    if held is not None:
        release_resize(session, owner, held, replicas)


def release_resize_of(session, share, old_size, new_size):
    """Release ``old_size - new_size`` GiB of ``share`` (its replicas
    too): a shrink done, or an extend charged that did not happen
    (``old_size`` the size asked, ``new_size`` the size kept)."""
    owner, replicas = _owner_and_replicas(share)
    if int(old_size) > int(new_size):
        release_resize(session, owner, int(old_size) - int(new_size),
                       replicas)
