"""Queries of share resize (extend and shrink).

Each function is one transaction made of ``share_instance_transition``
calls (one conditional ``UPDATE`` each, its ``WHERE`` naming the allowed
source statuses), so a resize and a racing migration, delete or second
resize cannot both win: the first to commit moves the instances, the
other sees ``InvalidState`` and nothing of its own is written.
"""

from manila_lite.common import states
from manila_lite.db import api


def share_instances_start_resize(context, instance_ids, new, *, sources):
    """Move every listed instance to ``new`` (``extending`` or
    ``shrinking``) from one of ``sources``, all or none.

    :raises: InvalidState naming the first instance that was not in
        ``sources`` (the others are left as they were).
    """
    with api.writer(context):
        for instance_id in instance_ids:
            api.share_instance_transition(context, instance_id, new,
                                          sources=sources)


def share_instance_finish_resize(context, instance_id, source, *,
                                 share_id=None, new_size=None):
    """The instance's resize succeeded: ``source`` -> ``available``, and,
    for the instance the share shows (its active one), the share's size
    becomes ``new_size`` in the same transaction.

    :raises: InvalidState when the instance left ``source`` meanwhile
        (an admin's reset_status or force_delete); the size is then
        left alone too.
    """
    with api.writer(context):
        api.share_instance_transition(context, instance_id,
                                      states.STATUS_AVAILABLE,
                                      sources={source})
        if share_id is not None:
            api.share_update(context, share_id, {'size': int(new_size)})
