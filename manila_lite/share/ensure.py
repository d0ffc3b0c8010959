"""Ensure shares: re-apply a backend's configuration to all its shares.

Runs inside the share service, on demand (``POST
/v2/services/ensure-shares``, after the service re-read its mutable
options) and at start-up. For every instance of the backend that is not
busy it asks the driver to recompute export locations and status, and
re-applies the active access rules; shares show ``ensuring`` meanwhile
when ``update_shares_status_on_ensure`` is set. The work is batched: one
driver call for all shares (the local driver then rewrites each pool's
exports file once) and bulk database writes of 500 rows at a time, never
a round trip per share.

Busy shares (a task running, or an instance in a transitional status
other than ``ensuring``) are skipped and left exactly as they were.
"""

import dataclasses

from oslo_log import log as logging

from manila_lite.common import states
from manila_lite.db import api as db

LOG = logging.getLogger(__name__)

@dataclasses.dataclass
class EnsureResult:
    total: int = 0
    ensured: int = 0
    skipped: int = 0
    errors: int = 0
    #: The share instances that ended in ``error`` (their owners get a
    #: user message from the manager).
    failed: list = dataclasses.field(default_factory=list)


def _eligible(instance):
    share = instance.share
    if share is not None and share.task_state in states.BUSY_TASK_STATES:
        return False
    # An interrupted earlier ensure may have left ``ensuring`` behind.
    return instance.status in (states.STATUS_AVAILABLE,
                               states.STATUS_ENSURING)


def _active_rules(ctx, share_ids):
    return db.access_get_all_by_shares(
        ctx, share_ids, states_in={states.ACCESS_STATE_ACTIVE,
                                   states.ACCESS_STATE_APPLYING,
                                   states.ACCESS_STATE_QUEUED_TO_APPLY})


def ensure_shares(ctx, *, host, driver, update_status=True):
    """Ensure every eligible share instance on ``host`` (``host@backend``).

    :returns: EnsureResult with counts, for logs and notifications.
    """
    instances = db.share_instance_get_all_by_host(ctx, host)
    result = EnsureResult(total=len(instances))
    eligible = [i for i in instances if _eligible(i)]
    result.skipped = result.total - len(eligible)
    if eligible:
        _ensure_batch(ctx, eligible, driver, update_status, result)
    LOG.info('Ensured shares on %s: %d total, %d ensured, %d skipped, '
             '%d errors', host, result.total, result.ensured,
             result.skipped, result.errors)
    return result


def _ensure_batch(ctx, batch, driver, update_status, result):
    ids = [i.id for i in batch]
    if update_status:
        moved = set(db.share_instances_bulk_transition(
            ctx, ids, states.STATUS_ENSURING,
            sources={states.STATUS_AVAILABLE, states.STATUS_ENSURING}))
        # Whatever changed state since we listed it is busy now: skip.
        result.skipped += len(ids) - len(moved)
        batch = [i for i in batch if i.id in moved]
    if not batch:
        return
    try:
        updates = driver.ensure_shares(ctx, batch) or {}
    except Exception:
        LOG.exception('Driver ensure failed for a batch of %d shares',
                      len(batch))
        updates = {}
        failed = {i.id for i in batch}
    else:
        failed = {i.id for i in batch
                  if (updates.get(i.id) or {}).get('status')
                  == states.STATUS_ERROR}
    locations = {iid: upd['export_locations']
                 for iid, upd in updates.items()
                 if iid not in failed
                 and upd.get('export_locations') is not None}
    if locations:
        db.export_locations_replace_many(ctx, locations)
    rules = _active_rules(ctx, {i.share_id for i in batch})
    failed |= driver.update_access_batch(
        ctx, [(i, rules.get(i.share_id, [])) for i in batch
              if i.id not in failed])
    ok = [i.id for i in batch if i.id not in failed]
    sources = {states.STATUS_ENSURING} if update_status else {
        states.STATUS_AVAILABLE}
    if update_status:
        db.share_instances_bulk_transition(
            ctx, ok, states.STATUS_AVAILABLE, sources=sources)
    if failed:
        db.share_instances_bulk_transition(
            ctx, sorted(failed), states.STATUS_ERROR,
            sources=sources | {states.STATUS_AVAILABLE})
    result.ensured += len(ok)
    result.errors += len(failed)
    result.failed.extend(i for i in batch if i.id in failed)
