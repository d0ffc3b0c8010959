"""A share created from a snapshot: its source, type, zone and pool.

As upstream's share API: the new share takes the source share's type
(another type is 400) and zone; by default
(``use_scheduler_creating_share_from_snapshot = False``) it goes to the
snapshot's pool, and another zone is 400. With the option the scheduler
places it, on a pool that can read the snapshot (its backend or its
replication domain: ``CreateFromSnapshotFilter``), the snapshot's pool
preferred (``HostAffinityWeigher``).
"""

import dataclasses

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db

AZ_MISMATCH = ('The specified availability zone must be the same as the '
               'parent share when creating from snapshot.')
TYPE_MISMATCH = (
    'Invalid share type specified: the requested share type must match '
    'the type of the source share. If a share type is not specified when '
    'requesting a new share from a snapshot, the share type of the source '
    'share will be applied to the new share.')


@dataclasses.dataclass(frozen=True)
class Source:
    snapshot_id: str
    host: str                 # the snapshot's pool, host@backend#pool
    availability_zone: str
    share_type_id: str


def source_of(share_api, ctx, snapshot_id, *, size, availability_zone,
              use_scheduler):
    """The snapshot's placement, once the request is checked against it.

    :raises: SnapshotNotFound, InvalidShareSnapshot (not available),
        InvalidInput (smaller than the snapshot; another zone without
        ``use_scheduler``)
    """
    snapshot = share_api.snapshot_get(ctx, snapshot_id)
    if snapshot.status != states.STATUS_AVAILABLE:
        raise exceptions.InvalidShareSnapshot(
            reason='snapshot status must be available')
    if size < snapshot.size:
        raise exceptions.InvalidInput(
            reason='share size must be at least the snapshot size '
                   '(%s GiB)' % snapshot.size)
    instance = db.share_instance_get(ctx, snapshot.instance.share_instance_id)
    if (availability_zone is not None
            and availability_zone != instance.availability_zone
            and not use_scheduler):
        raise exceptions.InvalidInput(reason=AZ_MISMATCH)
    return Source(snapshot_id=snapshot_id, host=instance.host,
                  availability_zone=instance.availability_zone,
                  share_type_id=instance.share_type_id)


def check_type(source, share_type):
    """:raises: InvalidInput when ``share_type`` is not the source's"""
    if source.share_type_id and share_type.id != source.share_type_id:
        raise exceptions.InvalidInput(reason=TYPE_MISMATCH)
