"""The ``same_host`` and ``different_host`` scheduler hints (2.65).

As upstream: each hint is a comma separated list of share ids, every
one of which must be a share the caller can see (404 otherwise). The
share API resolves them to the hosts (pools) of those shares for the
scheduler's AffinityFilter / AntiAffinityFilter, and records the link
in metadata both ways: the new share's ``__affinity_same_host`` (or
``__affinity_different_host``) holds the ids it named, and each named
share's gets the new share's id appended.
"""

from manila_lite.db import api as db

SAME_HOST = 'same_host'
DIFFERENT_HOST = 'different_host'
METADATA_KEYS = {SAME_HOST: '__affinity_same_host',
                 DIFFERENT_HOST: '__affinity_different_host'}


def _ids(value):
    return [i.strip() for i in (value or '').split(',') if i.strip()]


def resolve(share_api, ctx, hints):
    """``{hint: [pool hosts]}`` of the shares each hint names.

    :raises: ShareNotFound for a share the caller cannot see
    """
    hosts = {}
    for hint in (SAME_HOST, DIFFERENT_HOST):
        for share_id in _ids((hints or {}).get(hint)):
            share = share_api.share_get(ctx, share_id)
            hosts.setdefault(hint, []).extend(
                i.host for i in share.instances if i.host)
    return hosts


def record(ctx, share_id, hints):
    """Write the affinity metadata of the new share and of the shares
    its hints name (as the admin context the caller passes)."""
    for hint, key in METADATA_KEYS.items():
        named = _ids((hints or {}).get(hint))
        if not named:
            continue
        db.share_metadata_set(ctx, share_id, {key: ','.join(named)})
        for other_id in named:
            current = db.share_get(ctx, other_id).metadata_dict.get(key)
            value = ','.join(filter(None, [current, share_id]))
            db.share_metadata_set(ctx, other_id, {key: value})
