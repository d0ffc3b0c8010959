"""The recycle bin (share soft delete, 2.69).

``soft_delete`` puts a share in the bin: it stays whole (storage,
snapshots none by then, access rules) but leaves the default share
list; ``GET /v2/shares?is_soft_deleted=true`` lists the bin, and most
actions refuse a share in it (403, as upstream). ``restore`` takes it
back out. After ``soft_deleted_share_retention_time`` seconds the share
service holding it deletes it (``purge_expired``, run every
``check_for_expired_shares_in_recycle_bin_interval`` seconds).

Refusals and their codes follow upstream's ``share_soft_delete``: in
the bin already, a status other than available/error/inactive, a
snapshot, or a running task: 403; replicas: 409. Each check is read
first for upstream's message, and the change itself is one conditional
update (``db/recycle.py``) so a racing action cannot slip in between.
"""


from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import recycle as recycle_db
from manila_lite.share import lock_api

LOG = logging.getLogger(__name__)

_STATUSES = "('available', 'error', 'inactive')"


def refuse_if_soft_deleted(share, what=None, *, message=None):
    """Upstream's 403 for an action on a share in the recycle bin:
    "Cannot <what> share '<id>' since it has been soft deleted.", or
    ``message`` (a %-format taking the share id)."""
    if share.is_soft_deleted:
        raise exceptions.NotAuthorized(message=(
            message or "Cannot %s share '%%s' since it has been soft "
                       "deleted." % what) % share.id)


class RecycleAPI:
    def __init__(self, share_api):
        self.share_api = share_api
        self.conf = share_api.conf

    def soft_delete(self, ctx, share_id):
        """Put the share in the recycle bin.

        :raises: ShareNotFound, PolicyNotAuthorized, ShareDeleteRefused
            (in the bin already, status, snapshots), NotAuthorized (a
            running task), Conflict (replicas)
        """
        share = self.share_api.own_share(ctx, share_id, 'share:soft_delete')
        lock_api.LockAPI.ensure_share_unlocked(ctx, share_id)
        self._check(ctx, share)
        retention = self.conf.soft_deleted_share_retention_time
        if not recycle_db.soft_delete(ctx, share_id, retention):
            # Something changed since the checks: name what it was.
            self._check(ctx, db.share_get(ctx, share_id))
            raise exceptions.ShareDeleteRefused(
                reason='share %s changed meanwhile; try again' % share_id)
        LOG.info('Share %s is in the recycle bin for %s s', share_id,
                 retention)

    @staticmethod
    def _check(ctx, share):
        if share.is_soft_deleted:
            raise exceptions.ShareDeleteRefused(
                reason='The share has been soft deleted already')
        if any(i.status not in recycle_db.SOFT_DELETABLE
               for i in share.instances):
            raise exceptions.ShareDeleteRefused(
                reason='Share status must be one of %s' % _STATUSES)
        if share.has_replicas:
            raise exceptions.Conflict(message=(
                'Share %s has replicas. Remove the replicas before soft '
                'deleting the share.' % share.id))
        count = db.snapshot_count_by_share(ctx, share.id)
        if count:
            raise exceptions.ShareDeleteRefused(
                reason='Share still has %d dependent snapshots.' % count)
        if states.is_busy(share.task_state):
            raise exceptions.NotAuthorized(
                message='Share is busy with an active task: %s.'
                        % share.task_state)

    def restore(self, ctx, share_id):
        """Take the share out of the recycle bin.

        :returns: False when it was not in the bin (upstream answers
            200 then, 202 otherwise).
        :raises: ShareNotFound, PolicyNotAuthorized, NotAuthorized (its
            purge began)
        """
        try:
            share = self.share_api.own_share(ctx, share_id,
                                              'share:restore')
        except exceptions.ShareNotFound:
            raise exceptions.ShareNotFound(
                message='No share exists with ID %s.' % share_id) from None
        if not share.is_soft_deleted:
            return False
        if not recycle_db.restore(ctx, share_id):
            share = db.share_get(ctx, share_id)
            if not share.is_soft_deleted:
                return True  # a racing restore did it
            raise exceptions.NotAuthorized(message=(
                'Share %s is being deleted or has suffered an error during '
                'deletion, cannot be restored.' % share_id))
        LOG.info('Share %s restored from the recycle bin', share_id)
        return True
