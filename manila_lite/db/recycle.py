"""Queries of the recycle bin (share soft delete, 2.69).

Each change is one conditional ``UPDATE`` of the share's row whose
``WHERE`` holds every condition, so a soft delete, a restore and the
purge of an expired share never interleave: the first to commit wins,
the others change nothing and say so.
"""

import datetime

from oslo_utils import timeutils
import sqlalchemy as sa

from manila_lite.common import states
from manila_lite.db import api
from manila_lite.db import models

#: Statuses every instance must have for a soft delete (as a delete).
SOFT_DELETABLE = frozenset({
    states.STATUS_AVAILABLE, states.STATUS_ERROR, states.STATUS_INACTIVE,
})
#: Instances in these statuses are on their way out: no restore.
BEING_DELETED = frozenset({states.STATUS_DELETING,
                           states.STATUS_ERROR_DELETING})


def _not_busy(Share):
    return sa.or_(Share.task_state.is_(None),
                  Share.task_state.notin_(sorted(states.BUSY_TASK_STATES)))


def _no_instance(share_id, where):
    Inst = models.ShareInstance
    return ~sa.exists().where(Inst.share_id == share_id, where)


def soft_delete(context, share_id, retention):
    """Put the share in the recycle bin for ``retention`` seconds.

    Returns False, changing nothing, unless the share is not in the bin
    yet, no task (migration) holds it and every instance is
    ``available``, ``error`` or ``inactive``.
    """
    Share, Inst = models.Share, models.ShareInstance
    now = timeutils.utcnow()
    with api.writer(context) as session:
        return api._conditional_update(
            session, Share, share_id,
            {'is_soft_deleted': True,
             'scheduled_to_be_deleted_at':
                 now + datetime.timedelta(seconds=retention),
             'updated_at': now},
            (Share.is_soft_deleted.is_(False), _not_busy(Share),
             _no_instance(share_id, Inst.status.notin_(
                 sorted(SOFT_DELETABLE)))))


def restore(context, share_id):
    """Take the share out of the recycle bin; False (nothing changed)
    when it was not in it or its purge already began."""
    Share, Inst = models.Share, models.ShareInstance
    with api.writer(context) as session:
        return api._conditional_update(
            session, Share, share_id,
            {'is_soft_deleted': False, 'scheduled_to_be_deleted_at': None,
             'updated_at': timeutils.utcnow()},
            (Share.is_soft_deleted.is_(True),
             _no_instance(share_id, Inst.status.in_(sorted(BEING_DELETED)))))


def expired_on_host(context, host, now=None):
    """Ids of the shares in the recycle bin whose time is over and
    which have an instance on ``host`` (``host@backend``), or one never
    scheduled (no host: any share service may remove it)."""
    Share, Inst = models.Share, models.ShareInstance
    now = now or timeutils.utcnow()
    query = (sa.select(Share.id).distinct()
             .join(Inst, Inst.share_id == Share.id)
             .where(Share.is_soft_deleted.is_(True),
                    Share.scheduled_to_be_deleted_at <= now,
                    sa.or_(Inst.host == host, Inst.host.like(host + '#%'),
                           Inst.host == '')))
    with api.reader(context) as session:
        return list(session.scalars(query))


def start_purge(context, share_id, now=None):
    """Begin deleting an expired share of the bin: its row is taken
    (still in the bin and expired, or nothing happens: a restore won)
    and every instance moves to ``deleting`` in the same transaction.

    Upstream retries a purge whose delete failed (``error_deleting``).

    :returns: the instances moved, or None when the share is no longer
        to be purged.
    :raises: InvalidState naming an instance in another status (nothing
        moved).
    """
    Share, Inst = models.Share, models.ShareInstance
    now = now or timeutils.utcnow()
    with api.writer(context) as session:
        if not api._conditional_update(
                session, Share, share_id, {'updated_at': now},
                (Share.is_soft_deleted.is_(True),
                 Share.scheduled_to_be_deleted_at <= now)):
            return None
        instances = list(session.scalars(
            sa.select(Inst).where(Inst.share_id == share_id)
            .order_by(Inst.id)))
        for inst in instances:
            api.share_instance_transition(context, inst.id, event='purge')
        return [(inst.id, inst.host) for inst in instances]
