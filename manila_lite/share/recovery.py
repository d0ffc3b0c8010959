"""Finishing what a share service was asked to do but never did.

A row in a transitional state on this backend means work was promised:
the API answered 202 and wrote the row, then the message that carried
the work was lost (a broker restart between publish and consume, a cast
that failed after the row was written), or its handler died with the
process or lost the database half-way. The database is the record of
what is owed, so the owner re-drives the work from it:

* at start-up every such row, whatever its age (a dead predecessor can
  not be handling it any more);
* periodically only the rows unchanged for ``transition_redrive_after``
  seconds, so a message merely queued behind others is not overtaken.
  A redriven handler already running in this process is not run twice
  (``ShareManager`` runs one handler per row at a time), and each
  handler re-reads the status first, so a late original message finds
  the work done and does nothing.

Share instances: ``creating`` is retried (drivers create idempotently),
``deleting`` finished, a replica's ``replication_change`` promoted
again, ``ensuring`` (start-up only: a running ensure holds it) back to
``available``, ``reverting`` reverted again (``share/revert.py``).
Snapshot instances: the same for ``creating`` and ``deleting``. Access
rules queued, applying or denying are applied again.
"""

import datetime

from oslo_log import log as logging
from oslo_utils import timeutils

from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import transitional

LOG = logging.getLogger(__name__)

PENDING_ACCESS = frozenset({states.ACCESS_STATE_QUEUED_TO_APPLY,
                            states.ACCESS_STATE_APPLYING,
                            states.ACCESS_STATE_QUEUED_TO_DENY,
                            states.ACCESS_STATE_DENYING})


def _changed(row):
    return row.updated_at or row.created_at


def redrive(manager, ctx, *, stale_after=None):
    """Re-drive the transitional rows of ``manager``'s backend.

    :param stale_after: seconds a row must have been unchanged; ``None``
        (start-up) takes every row.
    :returns: how many pieces of work were re-driven.
    """
    if stale_after is None:
        def stale(when):
            return True
    else:
        cutoff = timeutils.utcnow() - datetime.timedelta(
            seconds=stale_after)

        def stale(when):
            return when is None or when < cutoff

    statuses = {states.STATUS_CREATING, states.STATUS_DELETING,
                states.STATUS_REPLICATION_CHANGE, states.STATUS_REVERTING}
    if stale_after is None:
        statuses.add(states.STATUS_ENSURING)
    count = 0
    for inst in db.share_instance_get_all_by_host(ctx, manager.host,
                                                  statuses=statuses):
        if not stale(_changed(inst)):
            continue
        count += 1
        # A replica other than the active one has its own flows.
        replica = inst.replica_state not in (
            None, states.REPLICA_STATE_ACTIVE)
        if inst.status == states.STATUS_DELETING:
            LOG.info('Finishing interrupted delete of %s', inst.id)
            if replica:
                manager.delete_replica(ctx, inst.id)
            else:
                manager.delete_share_instance(ctx, inst.id)
        elif inst.status == states.STATUS_REPLICATION_CHANGE:
            # A promote of this replica never ran or was cut off; the
            # old active replica is still the truth, so promoting again
            # syncs from it first, as the first attempt would have.
            LOG.info('Promoting replica %s again: its promote was '
                     'interrupted', inst.id)
            manager.promote_replica(ctx, inst.id)
        elif inst.status == states.STATUS_REVERTING:
            manager.reverts.redrive(ctx, inst)
        elif inst.status == states.STATUS_CREATING:
            LOG.info('Retrying interrupted create of %s', inst.id)
            if replica:
                manager.create_replica(ctx, inst.id)
            else:
                manager.create_share_instance(ctx, inst.id)
        else:
            db.share_instance_transition(
                ctx, inst.id, states.STATUS_AVAILABLE,
                sources={states.STATUS_ENSURING})

    for snap in transitional.snapshot_instances_on_host(
            ctx, manager.host,
            {states.STATUS_CREATING, states.STATUS_DELETING}):
        if not stale(_changed(snap)):
            continue
        count += 1
        if snap.status == states.STATUS_CREATING:
            LOG.info('Retrying interrupted snapshot %s', snap.id)
            manager.create_snapshot(ctx, snap.id)
        else:
            LOG.info('Finishing interrupted snapshot delete %s', snap.id)
            manager.delete_snapshot(ctx, snap.id)

    for inst, changed in transitional.instances_with_pending_access(
            ctx, manager.host, {states.STATUS_AVAILABLE}, PENDING_ACCESS):
        if not stale(changed):
            continue
        count += 1
        LOG.info('Applying interrupted access changes of %s', inst.id)
        manager.update_access(ctx, inst.id)
    return count
