"""The share service's half of the recycle bin (share/recycle.py is
the API's): delete the shares whose ``soft_deleted_share_retention_time``
ran out."""

import time

from oslo_log import log as logging
from oslo_utils import timeutils

from manila_lite.common import exceptions
from manila_lite.common import rpc
from manila_lite.db import api as db
from manila_lite.db import recycle as recycle_db

LOG = logging.getLogger(__name__)


class Purger:
    """The share service's part: delete the expired shares of the bin
    that live on its backend (every instance goes, as for a delete)."""

    def __init__(self, manager):
        self.manager = manager
        self._last = None

    def maybe_run(self, ctx):
        """Purge if ``check_for_expired_shares_in_recycle_bin_interval``
        seconds passed since the last run (the first periodic run
        purges at once)."""
        interval = \
            self.manager.conf.check_for_expired_shares_in_recycle_bin_interval
        now = time.monotonic()
        if self._last is not None and now - self._last < interval:
            return 0
        self._last = now
        return self.run(ctx)

    def run(self, ctx, now=None):
        """Returns how many shares began their deletion."""
        now = now or timeutils.utcnow()
        count = 0
        for share_id in recycle_db.expired_on_host(ctx, self.manager.host,
                                                   now):
            try:
                moved = recycle_db.start_purge(ctx, share_id, now)
            except exceptions.InvalidState as exc:
                LOG.warning('Not purging share %s from the recycle bin '
                            'yet: %s', share_id, exc)
                continue
            if moved is None:
                continue
            count += 1
            LOG.info('Share %s stayed its time in the recycle bin: '
                     'deleting it', share_id)
            for instance_id, host in moved:
                if not host:
                    db.share_instance_destroy(ctx, instance_id,
                                              share_too=True)
                    continue
                # A cast, even to this service: a large tree is removed
                # by an RPC thread, not by the periodic one. A cast lost
                # leaves the instance ``deleting``, which recovery
                # finishes.
                try:
                    self.manager.share_rpcapi.delete_share_instance(
                        ctx, host, instance_id)
                except rpc.CAST_ERRORS:
                    LOG.warning('Could not ask %s to delete %s; recovery '
                                'will', host, instance_id, exc_info=True)
        return count

