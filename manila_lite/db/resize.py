"""Queries of share resize (extend and shrink).

Each function is one transaction made of ``share_instance_transition``
calls (one conditional ``UPDATE`` each, its ``WHERE`` naming the allowed
source statuses), so a resize and a racing migration, delete or second
resize cannot both win: the first to commit moves the instances, the
other sees ``InvalidState`` and nothing of its own is written.
"""

import sqlalchemy as sa

from manila_lite import quota
from manila_lite.common import states
from manila_lite.db import api
from manila_lite.db import models


def share_instances_start_resize(context, share_id, new, *, sources):
    """Move every instance of the share (the active one and each
    replica) to ``new`` (``extending`` or ``shrinking``) from one of
    ``sources``, all or none; returns ``{instance id: status before}``.

    The share's row is taken first (``share_lock_unless_busy``), as
    replica create and migration start do, so the instances read here
    include a replica created just before, and none is added meanwhile.

    :raises: InvalidShare (a migration holds the share), InvalidState
        naming the first instance not in ``sources`` (nothing moved).
    """
    Inst = models.ShareInstance
    with api.writer(context) as session:
        api.share_lock_unless_busy(context, share_id)
        before = dict(session.execute(
            sa.select(Inst.id, Inst.status)
            .where(Inst.share_id == share_id)
            .order_by(Inst.id)).all())
        for instance_id in before:
            api.share_instance_transition(context, instance_id, new,
                                          sources=sources)
    return before


def share_instance_finish_resize(context, instance_id, source, *,
                                 share_id=None, new_size=None):
    """The instance's resize succeeded: ``source`` -> ``available``, and,
    for the instance the share shows (its active one), the share's size
    becomes ``new_size`` in the same transaction.

    :raises: InvalidState when the instance left ``source`` meanwhile
        (an admin's reset_status or force_delete); the size is then
        left alone too.
    """
    with api.writer(context) as session:
        api.share_instance_transition(context, instance_id,
                                      states.STATUS_AVAILABLE,
                                      sources={source})
        if share_id is not None:
            share = api.share_get(context, share_id)
            # An extend keeps what it was charged (``pending_size``).
            api.share_update(context, share_id, {'size': int(new_size),
                                                 'pending_size': None})
            if source == states.STATUS_SHRINKING:
                # A shrink gives its gigabytes back with the new size
                # (an extend was charged when it was asked).
                quota.release_resize_of(session, share, share.size,
                                        new_size)
