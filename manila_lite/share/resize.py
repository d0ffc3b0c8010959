"""Share resize, in the share service: one instance at a time.

The API moved the instance to ``extending`` or ``shrinking`` and cast
here with the new size. The flow calls the driver, then ends the
instance in ``available`` (and, for the share's active instance, records
the new size on the share in the same transaction) or in the matching
error state: ``extending_error``, ``shrinking_error``, or
``shrinking_possible_data_loss_error`` when the driver refused a shrink
below the data stored (the share is then unchanged, as upstream).

A service killed mid-resize cannot tell whether its driver applied the
new size (nor is the size asked recorded anywhere but in the lost
message), so :meth:`ResizeFlows.recover` ends such instances in their
error state (``states.RESIZE_INTERRUPTED``) for an admin to check and
reset, rather than leaving them stuck: at start-up, and periodically
for a resize whose message was lost (unchanged for
``transition_redrive_after`` seconds and not running here).
"""

import datetime

from oslo_log import log as logging
from oslo_utils import timeutils

from manila_lite import quota
from manila_lite.common import coordination
from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.common import messages
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import messages as msg_db
from manila_lite.db import resize as resize_db
from manila_lite.scheduler.filters import capacity

LOG = logging.getLogger(__name__)


def _is_active(instance):
    return instance.replica_state in (None, states.REPLICA_STATE_ACTIVE)


class ResizeFlows:
    def __init__(self, manager):
        self.manager = manager

    @property
    def driver(self):
        return self.manager.driver

    def _load(self, ctx, instance_id, expected):
        try:
            instance = db.share_instance_get(ctx, instance_id)
        except exceptions.ShareInstanceNotFound:
            return None
        if instance.status != expected:
            LOG.info('Not resizing %s: status is %s', instance_id,
                     instance.status)
            return None
        return instance

    def _fail(self, ctx, instance, source, status, event):
        """Mark the failure; a failed extend gives its quota charge back
        in the same transaction (never seen failed and still charged)."""
        release = source == states.STATUS_EXTENDING
        try:
            with db.writer(ctx) as session:
                db.share_instance_transition(ctx, instance.id, status,
                                             sources={source})
                if release:
                    self._release_extend(ctx, session, instance)
        except exceptions.ManilaLiteException:
            LOG.warning('Could not mark %s %s', instance.id, status)
            if release:
                # Moved meanwhile (a reset): the extend still did not
                # happen.
                with db.writer(ctx) as session:
                    self._release_extend(ctx, session, instance)
        self.manager.notifier.error(ctx, event, {
            'share_id': instance.share_id,
            'share_instance_id': instance.id, 'status': status})

    def _finish(self, ctx, instance, source, new_size, event):
        active = _is_active(instance)
        try:
            resize_db.share_instance_finish_resize(
                ctx, instance.id, source,
                share_id=instance.share_id if active else None,
                new_size=new_size)
        except exceptions.InvalidState:
            LOG.warning('Share instance %s left %s during its resize; '
                        'not recording the new size', instance.id, source)
            return
        # The pool's allocated capacity changed: report it afresh.
        self.manager.invalidate_stats()
        self.manager.notifier.info(ctx, event, {
            'share_id': instance.share_id,
            'share_instance_id': instance.id, 'size': int(new_size)})

    @staticmethod
    def _release_extend(ctx, session, instance):
        """The extend the API charged to the quota did not happen: give
        the increase back (once: for the share's active instance)."""
        if _is_active(instance):
            quota.release_extend(session,
                                 db.share_get(ctx, instance.share_id))

    def _pool_has_room(self, instance, increase):
        """Upstream's scheduler check of a non-forced extend, made where
        the pool's stats are: the capacity filter on the increase."""
        pool = hosts.pool_of(instance.host)
        stats = self.manager.get_capabilities()
        for entry in stats.get('pools') or []:
            if entry.get('pool_name') == pool:
                merged = dict(stats, **entry)
                return capacity.passes(_Pool(merged), {'size': increase})
        return True

    def extend(self, ctx, instance_id, new_size, *, force=False):
        instance = self._load(ctx, instance_id, states.STATUS_EXTENDING)
        if instance is None:
            return
        increase = int(new_size) - instance.share.size
        if not force and increase > 0 and not self._pool_has_room(
                instance, increase):
            # Upstream's scheduler answers NoValidHost by putting the
            # share back to available, unchanged.
            LOG.warning('Not extending %s by %s GiB: pool %s has no room',
                        instance.id, increase, instance.host)
            with db.writer(ctx) as session:
                db.share_instance_transition(
                    ctx, instance.id, states.STATUS_AVAILABLE,
                    sources={states.STATUS_EXTENDING})
                self._release_extend(ctx, session, instance)
            # Upstream's scheduler tells the owner: "allocate host"
            # failed with no valid host, under the extend action.
            self._tell_owner(ctx, instance, states.STATUS_EXTENDING,
                             detail=messages.Detail.NO_VALID_HOST)
            self.manager.notifier.error(ctx, 'share.extend.error', {
                'share_id': instance.share_id,
                'share_instance_id': instance.id,
                'status': states.STATUS_AVAILABLE})
            return
        self._apply(ctx, instance, new_size, self.driver.extend_share,
                    states.STATUS_EXTENDING, 'share.extend',
                    [(Exception, states.STATUS_EXTENDING_ERROR)])

    def shrink(self, ctx, instance_id, new_size):
        instance = self._load(ctx, instance_id, states.STATUS_SHRINKING)
        if instance is None:
            return
        self._apply(ctx, instance, new_size, self.driver.shrink_share,
                    states.STATUS_SHRINKING, 'share.shrink', [
                        (exceptions.ShareShrinkingPossibleDataLoss,
                         states.STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR),
                        (Exception, states.STATUS_SHRINKING_ERROR)])

    def _apply(self, ctx, instance, new_size, driver_call, source, event,
               failures):
        """Call the driver; end in ``available`` or in the status the
        first matching ``(exception class, status)`` of ``failures``
        names."""
        try:
            # The share's lock, as the replica flows take it: a sync of
            # this replica never runs beside its resize.
            with coordination.lock(self.manager.conf,
                                   'share-' + instance.share_id):
                driver_call(ctx, instance, int(new_size))
        except Exception as exc:
            status = next(st for cls, st in failures
                          if isinstance(exc, cls))
            if isinstance(exc, exceptions.ShareShrinkingPossibleDataLoss):
                # The driver's refusal, not a fault: nothing changed.
                LOG.warning('Driver refused to resize %s to %s GiB: %s',
                            instance.id, new_size, exc)
            else:
                LOG.exception('Resizing share instance %s to %s GiB '
                              'failed', instance.id, new_size)
            self._fail(ctx, instance, source, status, event + '.error')
            self._tell_owner(ctx, instance, source, exc)
            return
        self._finish(ctx, instance, source, new_size, event + '.end')

    def _tell_owner(self, ctx, instance, source, exc=None, detail=None):
        """The user message of a failed resize, upstream's: a failed
        extend, an extend with no room in the pool, a shrink the driver
        refused (data loss) or cannot do; ours for another shrink
        failure (unknown error)."""
        if source == states.STATUS_EXTENDING:
            action = messages.Action.EXTEND
            detail = detail or (messages.Detail.DRIVER_FAILED_EXTEND if exc
                                else messages.Detail.UNKNOWN_ERROR)
        else:
            action = messages.Action.SHRINK
            detail = messages.Detail.UNKNOWN_ERROR
            if isinstance(exc, exceptions.ShareShrinkingPossibleDataLoss):
                detail = messages.Detail.DRIVER_REFUSED_SHRINK
            elif isinstance(exc, NotImplementedError):
                detail = messages.Detail.DRIVER_FAILED_SHRINK
        share = db.share_get(ctx, instance.share_id)
        msg_db.record(self.manager.conf, ctx, action,
                      messages.Resource.SHARE, share.id, detail=detail,
                      project_id=share.project_id)

    def recover(self, ctx, host, *, stale_after=None):
        """End the resizes left running on ``host``: at start-up (a dead
        predecessor's) all of them; periodically (a lost message's)
        those unchanged for ``stale_after`` seconds whose handler does
        not run here now."""
        cutoff = None
        if stale_after is not None:
            cutoff = timeutils.utcnow() - datetime.timedelta(
                seconds=stale_after)
        for inst in db.share_instance_get_all_by_host(
                ctx, host, statuses=set(states.RESIZE_INTERRUPTED)):
            if cutoff is not None and (
                    (inst.updated_at or inst.created_at) >= cutoff
                    or self.manager.is_running(_ENDPOINTS[inst.status],
                                               inst.id)):
                continue
            status = states.RESIZE_INTERRUPTED[inst.status]
            LOG.warning('Share instance %s was left %s (its service '
                        'stopped or its message was lost); marking it %s',
                        inst.id, inst.status, status)
            try:
                # The extend is abandoned: its charge goes with the
                # move, or neither does (an extend finishing meanwhile
                # keeps both its size and its charge).
                with db.writer(ctx) as session:
                    db.share_instance_transition(ctx, inst.id, status,
                                                 sources={inst.status})
                    if inst.status == states.STATUS_EXTENDING:
                        self._release_extend(ctx, session, inst)
            except exceptions.InvalidState:
                continue
            self._tell_owner(ctx, inst, inst.status)


#: The manager endpoint that works on an instance in each status.
_ENDPOINTS = {states.STATUS_EXTENDING: 'extend_share',
              states.STATUS_SHRINKING: 'shrink_share'}


class _Pool:
    """The little of a scheduler PoolState the capacity filter reads."""

    def __init__(self, capabilities):
        self.capabilities = capabilities
