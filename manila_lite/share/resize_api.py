"""Share resize, API side: extend and shrink.

Upstream's checks in upstream's order (status, busy task, new size, the
share type's size limits; the first failure wins, with upstream's
message), then, with the share's row taken first (as replica create and
migration start do, so none of them interleaves), every instance of the
share (the active one and each replica) moves to ``extending`` or
``shrinking`` in one transaction of conditional updates, and each is
cast to the share service that holds it. That service resizes its
instance and, for the active one, records the new size on the share
(``share/resize.py``).

Upstream routes a non-forced extend through the scheduler, which checks
the pool's free capacity; here the share service does that check itself
(it owns the pool's stats) and ``force`` (admin, 2.64) skips it.
"""

from oslo_log import log as logging

from manila_lite import quota
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import resize as resize_db
from manila_lite.share import recycle
from manila_lite.share import size_limits

LOG = logging.getLogger(__name__)

#: Statuses a share (each of its instances) may be extended from.
EXTENDABLE = frozenset({states.STATUS_AVAILABLE})
#: ... and shrunk from: a refused shrink may be retried with more room.
SHRINKABLE = frozenset({states.STATUS_AVAILABLE,
                        states.STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR})


class ResizeAPI:
    def __init__(self, share_api):
        #: The public base of ``share.api`` (``own_share``, ``cast``).
        self.share_api = share_api
        self.conf = share_api.conf
        self.share_rpcapi = share_api.share_rpcapi

    def get(self, ctx, share_id):
        """The share, if the caller may resize it (ShareNotFound else)."""
        return self.share_api.own_share(ctx, share_id)

    @staticmethod
    def _check_limits(ctx, share, new_size, *operations):
        """The share type's ``provisioning:`` size limits."""
        try:
            stype = db.share_type_get(ctx, share.share_type_id)
        except exceptions.ShareTypeNotFound:
            return
        specs = {s.spec_key: s.spec_value for s in stype.extra_specs}
        for operation in operations:
            size_limits.check(stype.name, specs, new_size, operation)

    @staticmethod
    def _check_status(share, allowed, verb):
        if share.status in allowed:
            return
        if len(allowed) == 1:
            reason = ("Share %s status must be '%s' to %s, but current "
                      "status is: %s." % (share.id, next(iter(allowed)),
                                          verb, share.status))
        else:
            # Upstream's wording, "must in" included.
            reason = ("Share %s status must in (%s) to %s, but current "
                      "status is: %s." % (share.id, ', '.join(
                          sorted(allowed)), verb, share.status))
        raise exceptions.InvalidShare(reason=reason)

    @staticmethod
    def _check_not_busy(share):
        if states.is_busy(share.task_state):
            raise exceptions.ShareBusyException(
                reason='Share %s is busy as part of an active task: %s'
                       % (share.id, share.task_state))

    def _start(self, ctx, share, new_status, allowed, verb, charge=None):
        """Move every instance to ``new_status``, all or none, with
        ``charge(session, share)`` (quota) in the same transaction;
        returns the share as it is then and ``{instance_id: status it
        had}``."""
        try:
            with db.writer(ctx) as session:
                before = resize_db.share_instances_start_resize(
                    ctx, share.id, new_status, sources=allowed)
                if charge is not None:
                    charge(session, share)
        except exceptions.InvalidState:
            # Read after the rollback: the refusal names what refused.
            # Name what refused: the share's status, or a replica's.
            share = db.share_get(ctx, share.id)
            self._check_status(share, allowed, verb)
            odd = [i for i in share.instances if i.status not in allowed]
            raise exceptions.InvalidShare(reason=(
                "Share %s and all its replicas must be '%s' to %s, but "
                "replica %s status is: %s." % (
                    share.id, states.STATUS_AVAILABLE, verb,
                    odd[0].id if odd else '?',
                    odd[0].status if odd else '?'))) from None
        return db.share_get(ctx, share.id), before

    def _cast_all(self, ctx, share, before, new_status, method, **kwargs):
        """Cast ``method`` for each instance moved; those a dead bus
        never reached go back to the status they had."""
        pending = sorted((i for i in share.instances if i.id in before),
                         key=lambda i: i.id)
        try:
            while pending:
                instance = pending[0]
                self.share_api.cast(method, getattr(self.share_rpcapi,
                                                     method),
                                     ctx, instance.host, instance.id,
                                     **kwargs)
                pending.pop(0)
        except exceptions.MessagingUnavailable:
            for instance in pending:
                db.share_instance_transition(
                    ctx, instance.id, before[instance.id],
                    sources={new_status})
            raise

    def extend(self, ctx, share_id, new_size, *, force=False):
        """Grow the share (and every replica) to ``new_size`` GiB.

        :param force: skip the pool capacity check (admins, 2.64).
        :raises: ShareNotFound, InvalidShare (status), ShareBusyException
            (migration), InvalidInput (size), MessagingUnavailable
        """
        share = self.get(ctx, share_id)
        recycle.refuse_if_soft_deleted(share, 'extend')
        self._check_status(share, EXTENDABLE, 'extend')
        self._check_not_busy(share)
        new_size = int(new_size)
        if new_size <= share.size:
            raise exceptions.InvalidInput(reason=(
                'New size for extend must be greater than current size. '
                '(current: %s, extended: %s).' % (share.size, new_size)))
        # max_share_extend_size bounds what non-admins extend to.
        self._check_limits(ctx, share, new_size, *(
            ('extend',) if ctx.is_admin else ('extend', 'admin-extend')))
        # The increase is charged with the move to extending: both or
        # neither (given back if the extend does not happen). The
        # share's row first, then the usages', as replica create takes
        # them: no two transactions wait on each other.
        share, before = self._start(
            ctx, share, states.STATUS_EXTENDING, EXTENDABLE, 'extend',
            charge=lambda session, share: quota.charge_extend_of(
                self.conf, ctx, session, share, new_size))
        try:
            self._cast_all(ctx, share, before, states.STATUS_EXTENDING,
                           'extend_share', new_size=new_size, force=force)
        except exceptions.MessagingUnavailable:
            with db.writer(ctx) as session:
                quota.release_extend(session, share)
            raise
        LOG.info('Extend of share %s to %s GiB issued', share_id, new_size)

    def shrink(self, ctx, share_id, new_size):
        """Reduce the share (and every replica) to ``new_size`` GiB.

        The share service refuses a size below the data stored
        (``shrinking_possible_data_loss_error``, share unchanged).

        :raises: ShareNotFound, InvalidShare (status), ShareBusyException
            (migration), InvalidInput (size), MessagingUnavailable
        """
        share = self.get(ctx, share_id)
        recycle.refuse_if_soft_deleted(share, 'shrink')
        self._check_status(share, SHRINKABLE, 'shrink')
        self._check_not_busy(share)
        new_size = int(new_size)
        if new_size <= 0 or new_size >= share.size:
            raise exceptions.InvalidInput(reason=(
                'New size for shrink must be less than current size and '
                'greater than 0 (current: %s, new: %s)'
                % (share.size, new_size)))
        self._check_limits(ctx, share, new_size, 'shrink')
        share, before = self._start(ctx, share, states.STATUS_SHRINKING,
                                    SHRINKABLE, 'shrink')
        self._cast_all(ctx, share, before, states.STATUS_SHRINKING,
                       'shrink_share', new_size=new_size)
        LOG.info('Shrink of share %s to %s GiB issued', share_id, new_size)
