"""Queries of revert to snapshot.

A revert moves two rows together: the share instance the share shows
(``available`` -> ``reverting``) and the snapshot's instance on it
(``available`` -> ``restoring``), as upstream does. Each move below is
one transaction of conditional updates, so a revert and a racing
delete, extend, migration or second revert cannot both win: the first
to commit moves the rows, the other sees ``InvalidState`` (or
``InvalidShare`` for a busy share) and nothing of its own is written.
"""

import sqlalchemy as sa

from manila_lite.common import states
from manila_lite.db import api
from manila_lite.db import models


def latest_snapshot(context, share_id):
    """The share's most recent snapshot (any status), or None."""
    Snap = models.ShareSnapshot
    query = (sa.select(Snap).where(Snap.share_id == share_id)
             .order_by(Snap.created_at.desc()).limit(1))
    with api.reader(context) as session:
        return session.scalars(query).first()


def start(context, share_id, instance_id, snapshot_instance_id):
    """``reverting`` / ``restoring``, both or neither.

    The share's row is taken first (``share_lock_unless_busy``) as
    resize, replica create and migration start do.

    :raises: InvalidShare (a migration holds the share), InvalidState
        (the instance or the snapshot was not ``available``).
    """
    with api.writer(context):
        api.share_lock_unless_busy(context, share_id)
        api.share_instance_transition(context, instance_id, event='revert')
        api.snapshot_instance_transition(context, snapshot_instance_id,
                                         event='restore')


def _settle(context, instance_id, snapshot_instance_id, event):
    """Instance ``reverting`` moved by ``event`` (``revert_done`` or
    ``revert_failed``), snapshot ``restoring`` -> ``available``; call
    inside ``writer(context)``."""
    api.share_instance_transition(context, instance_id, event=event)
    api.snapshot_instance_transition(context, snapshot_instance_id,
                                     event='restore_done')


def undo_start(context, instance_id, snapshot_instance_id):
    """The cast never left: both rows back to ``available``."""
    with api.writer(context):
        _settle(context, instance_id, snapshot_instance_id,
                'revert_done')


def finish(context, share_id, instance_id, snapshot_instance_id, size):
    """The revert succeeded: both rows ``available`` and the share's
    size the snapshot's (as upstream), in one transaction.

    :raises: InvalidState when the instance left ``reverting``
        meanwhile (an admin's reset_status or force_delete).
    """
    with api.writer(context):
        _settle(context, instance_id, snapshot_instance_id,
                'revert_done')
        api.share_update(context, share_id, {'size': int(size)})


def fail(context, instance_id, snapshot_instance_id):
    """The revert failed: the instance ``reverting_error`` (its content
    is unknown), the snapshot ``available`` again (as upstream)."""
    with api.writer(context):
        _settle(context, instance_id, snapshot_instance_id,
                'revert_failed')


def restoring_snapshot_instance(context, instance_id):
    """The snapshot instance a ``reverting`` instance is being reverted
    to (the one in ``restoring`` on it), or None."""
    SI = models.ShareSnapshotInstance
    query = (sa.select(SI).where(SI.share_instance_id == instance_id,
                                 SI.status == states.STATUS_RESTORING)
             .limit(1))
    with api.reader(context) as session:
        return session.scalars(query).first()
