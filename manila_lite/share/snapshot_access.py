"""Mountable snapshots in the share service (2.32): export a snapshot
instance to its snapshot's access rules, read-only.

The API queued the change (a rule ``queued_to_apply`` or
``queued_to_deny``, ``share/snapshot_access_api.py``) and cast
``snapshot_update_access`` for every instance of the snapshot. Here the
queued rules move on (``applying`` / ``denying``), the driver exports
the instance to exactly the rules that remain, then the applied ones
end ``active`` and the denied ones are deleted; a driver failure ends
them ``error``. Every move is an event of
``states.SNAPSHOT_ACCESS_EVENTS`` applied quietly, so the services of
a snapshot's several instances (replicas) can run it side by side: the
first to move a rule wins, the others export the same set.
"""

import threading

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.common import type_specs
from manila_lite.common import utils
from manila_lite.db import api as db
from manila_lite.db import snapshot_access as snap_db

LOG = logging.getLogger(__name__)

#: Event that takes a queued rule into the driver's hands.
_START = {states.ACCESS_STATE_QUEUED_TO_APPLY: 'apply',
          states.ACCESS_STATE_QUEUED_TO_DENY: 'deny_start'}


def mountable(share):
    """The share's type asks ``mount_snapshot_support``."""
    if share.share_type is None:
        return False
    specs = type_specs.extra_specs_dict(share.share_type)
    return utils.is_true(specs.get('mount_snapshot_support', False))


def record_export_locations(ctx, snapshot_instance, share, driver_values):
    """Keep the driver's export locations of a new snapshot instance
    when the share's snapshots are mountable (others are not exported,
    as upstream)."""
    locations = (driver_values or {}).get('export_locations') or []
    if mountable(share) and locations:
        snap_db.export_locations_replace(ctx, snapshot_instance.id,
                                         locations)


class SnapshotAccessFlows:
    def __init__(self, manager):
        self.manager = manager
        self._locks = {}
        self._guard = threading.Lock()

    def _lock(self, snapshot_instance_id):
        with self._guard:
            return self._locks.setdefault(snapshot_instance_id,
                                          threading.Lock())

    def update_access(self, ctx, snapshot_instance_id):
        # A lock, not "one at a time": a second cast meanwhile carries
        # rules queued after the first read them, and must run.
        with self._lock(snapshot_instance_id):
            try:
                self._update(ctx, snapshot_instance_id)
            except exceptions.ShareSnapshotNotFound:
                LOG.info('Snapshot instance %s is gone: no access to '
                         'update', snapshot_instance_id)

    def _update(self, ctx, snapshot_instance_id):
        snap_inst = db.snapshot_instance_get(ctx, snapshot_instance_id)
        instance = db.share_instance_get(ctx, snap_inst.share_instance_id)
        snapshot_id = snap_inst.snapshot_id
        for rule in snap_db.snapshot_access_get_all(
                ctx, snapshot_id, states_in=set(_START)):
            snap_db.snapshot_access_transition(
                ctx, rule.id, event=_START[rule.state], quiet=True)
        rules = snap_db.snapshot_access_get_all(ctx, snapshot_id)
        keep = [r for r in rules if r.state in (
            states.ACCESS_STATE_ACTIVE, states.ACCESS_STATE_APPLYING)]
        drop = [r for r in rules if r.state == states.ACCESS_STATE_DENYING]
        try:
            self.manager.driver.snapshot_update_access(
                ctx, snap_inst, instance, keep)
        except Exception:
            LOG.exception('Applying access rules to snapshot instance %s '
                          'failed', snap_inst.id)
            for rule in rules:
                event = {states.ACCESS_STATE_APPLYING: 'apply_failed',
                         states.ACCESS_STATE_DENYING: 'deny_failed'}.get(
                    rule.state)
                if event:
                    snap_db.snapshot_access_transition(
                        ctx, rule.id, event=event, quiet=True)
            return
        for rule in keep:
            if rule.state == states.ACCESS_STATE_APPLYING:
                snap_db.snapshot_access_transition(
                    ctx, rule.id, event='applied', quiet=True)
        for rule in drop:
            snap_db.snapshot_access_destroy(ctx, rule.id)
