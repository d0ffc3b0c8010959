"""The storage driver contract: everything a share manager asks a backend.

A driver is loaded by stevedore from the ``manila_lite.share.drivers``
namespace (the backend section's ``share_driver``) and instantiated with
the service's ``conf`` and the backend section name. Its own options are
listed in ``extra_opts`` and registered in that section before it is
built. Drivers never touch the database or RPC: the manager hands them
share instances (ORM rows with ``instance.share`` loaded; ``host`` is
``host@backend#pool``) and records what they return.

Export locations are lists of dicts ``{"path", "is_admin_only",
"preferred", "metadata"}`` (``metadata`` optional). Every driver whose
files the data service must reach reports one admin-only location whose
path is the instance's local directory.

Methods marked optional raise ``NotImplementedError`` here; the manager
then falls back (host-assisted migration instead of driver-assisted,
per-instance ensure, ...) or reports the feature unsupported. The rest
must be implemented by every driver.
"""

from collections.abc import Sequence

from oslo_config import cfg


class ShareDriver:
    #: oslo.config options of this driver, registered in its backend
    #: section by the manager before the driver is built.
    extra_opts: Sequence[cfg.Opt] = ()

    def __init__(self, conf, backend_name):
        self.conf = conf
        self.backend_name = backend_name
        self.configuration = conf[backend_name]

    # --- life cycle ----------------------------------------------------------
    def do_setup(self, context):
        """Prepare the backend (create directories, connect, ...).

        Called once by ``init_host`` before anything else; may be called
        again after a restart with everything already in place.
        """

    def check_for_setup_error(self):
        """Raise if the backend cannot work with this configuration."""

    def reconcile(self, context, instance_ids, snapshot_instance_ids):
        """Compare the backend's storage with the database at start-up.

        ``instance_ids``/``snapshot_instance_ids``: every share and
        snapshot instance the database places on this backend. Report
        (log) what the backend holds for nobody; a driver may offer an
        option to remove it. Returns the orphans found.
        """
        return []

    def reload_config(self):
        """Mutable options were re-read (SIGHUP or ensure shares).

        ``self.configuration`` already shows the new values; a driver
        that caches derived state refreshes it here.
        """

    def get_share_stats(self, refresh=False):
        """Capabilities for the scheduler (required).

        A dict with backend-wide keys (``share_backend_name``,
        ``vendor_name``, ``driver_version``, ``storage_protocol``,
        ``driver_handles_share_servers``, ``snapshot_support``,
        ``create_share_from_snapshot_support``, ``replication_type``,
        ``replication_domain``, ...) and ``pools``: a list of dicts with at
        least ``pool_name``, ``total_capacity_gb``, ``free_capacity_gb``
        (floats, or ``'unknown'``/``'infinite'``),
        ``allocated_capacity_gb`` and ``reserved_percentage``. A pool's
        keys override the backend-wide ones for that pool.

        :param refresh: measure again instead of returning cached stats.
        """
        raise NotImplementedError()

    def get_capabilities(self):
        """The pools part of the stats: what the scheduler filters on."""
        return self.get_share_stats(refresh=False).get('pools', [])

    # --- shares --------------------------------------------------------------
    def create_share(self, context, instance, pool):
        """Create the storage of ``instance`` in ``pool`` (required).

        Must be idempotent: a create interrupted by a restart is retried
        with the same instance.

        :returns: the instance's export locations (list of dicts).
        """
        raise NotImplementedError()

    def create_share_from_snapshot(self, context, instance, pool,
                                   snapshot_instance, snapshot_share_instance):
        """Like ``create_share``, filled with the content of
        ``snapshot_instance`` (taken of ``snapshot_share_instance``).

        Optional: needed when ``create_share_from_snapshot_support`` is
        reported true.
        """
        raise NotImplementedError()

    def delete_share(self, context, instance):
        """Remove the instance's storage (required).

        Succeeds if it is already gone, and for an instance that was never
        placed (empty ``host``).
        """
        raise NotImplementedError()

    def ensure_shares(self, context, instances):
        """Recompute what the current configuration says of each instance.

        Called at start-up and by the ensure-shares API, after
        ``reload_config``. Export locations must be rebuilt from the
        current options (so a changed export host reaches every share) and
        access rules re-rendered.

        :returns: ``{instance_id: {"export_locations": [...],
            "status": "available" | "error", "reapply_access_rules": bool,
            "metadata": {...}}}``; every key but ``status`` optional, and
            an instance missing from the dict is left as it is.
        """
        raise NotImplementedError()

    def get_share_size(self, context, instance):
        """Bytes used by the instance's data (optional), e.g. to refuse a
        shrink below what is stored."""
        raise NotImplementedError()

    def extend_share(self, context, instance, new_size):
        """Grow the instance's quota to ``new_size`` GiB (optional)."""
        raise NotImplementedError()

    def shrink_share(self, context, instance, new_size):
        """Reduce the quota to ``new_size`` GiB (optional).

        :raises: ShareShrinkingPossibleDataLoss when the data would not
            fit; the share is left unchanged.
        """
        raise NotImplementedError()

    # --- access --------------------------------------------------------------
    def update_access(self, context, instance, access_rules, add_rules=None,
                      delete_rules=None):
        """Apply access rules to an instance (required).

        With ``add_rules`` and ``delete_rules`` both None, ``access_rules``
        is the complete set (recovery mode); otherwise apply the delta
        (``access_rules`` still lists every rule that must remain).
        Rules have ``access_type``, ``access_to`` and ``access_level``;
        ``instance.cast_rules_to_readonly`` makes every rule read-only
        (readable replicas, migration sources).
        """
        raise NotImplementedError()

    def update_access_batch(self, context, items):
        """Full-set ``update_access`` for many instances (ensure shares).

        ``items``: ``[(instance, access_rules)]``. Returns the ids of the
        instances that failed. Drivers with a cheaper bulk path override
        this.
        """
        failed = set()
        for instance, rules in items:
            try:
                self.update_access(context, instance, rules)
            except Exception:
                failed.add(instance.id)
        return failed

    # --- snapshots -----------------------------------------------------------
    def create_snapshot(self, context, snapshot_instance, instance):
        """Snapshot ``instance`` (required when ``snapshot_support``).

        The snapshot must not change when the share is written later.

        :returns: a dict of fields to record (e.g. ``provider_location``)
            and, from a backend reporting ``mount_snapshot_support``,
            ``export_locations``: dicts of ``path`` and ``is_admin_only``
            where the snapshot can be mounted read-only.
        """
        raise NotImplementedError()

    def snapshot_update_access(self, context, snapshot_instance, instance,
                               access_rules):
        """Export a mountable snapshot to exactly ``access_rules`` (each
        with ``access_type`` and ``access_to``), read-only; required
        when ``mount_snapshot_support`` is reported true. Must be safe
        to run again with the same rules."""
        raise NotImplementedError()

    def delete_snapshot(self, context, snapshot_instance, instance):
        """Remove a snapshot; succeed if it is already gone."""
        raise NotImplementedError()

    def revert_to_snapshot(self, context, instance, snapshot_instance):
        """Make ``instance``'s content exactly ``snapshot_instance``'s
        (a snapshot taken of it) and its size the snapshot's (optional:
        needed when ``revert_to_snapshot_support`` is reported true).

        Must be safe to run again: a revert cut off by a restart is
        retried with the same arguments.
        """
        raise NotImplementedError()

    # --- driver-assisted migration (polled protocol, as upstream) ------------
    # The manager persists where it is (the share's task_state), so each
    # step must be safe to repeat after a restart of the share service.
    def migration_check_compatibility(self, context, source, destination,
                                      destination_capabilities):
        """Whether this driver can move ``source`` to ``destination``.

        The default says no, so the manager uses host-assisted migration.

        :param destination_capabilities: the destination backend's stats
            as its share service last reported them.
        :returns: dict ``compatible``, ``writable``, ``nondisruptive``,
            ``preserve_metadata``, ``preserve_snapshots`` (booleans).
        """
        return {'compatible': False, 'writable': False,
                'nondisruptive': False, 'preserve_metadata': False,
                'preserve_snapshots': False}

    def migration_start(self, context, source, destination,
                        snapshot_instances, destination_capabilities):
        """Begin phase 1 (copy data to ``destination``) and return at once;
        progress is polled with ``migration_continue``."""
        raise NotImplementedError()

    def migration_continue(self, context, source, destination):
        """Poll: True once phase 1 finished, False while it runs.

        :raises: any exception when phase 1 failed (the manager cleans
            up and records ``migration_error``).
        """
        raise NotImplementedError()

    def migration_complete(self, context, source, destination):
        """Phase 2: switch over to ``destination`` and drop the source's
        storage.

        :returns: ``{"export_locations": [...]}`` of the destination
            (and optionally ``snapshot_updates``).
        """
        raise NotImplementedError()

    def migration_cancel(self, context, source, destination):
        """Stop a running or finished phase 1 and remove what it created
        on the destination; the source is left exactly as it was."""
        raise NotImplementedError()

    def migration_get_progress(self, context, source, destination):
        """``{"total_progress": 0..100, ...}``; extra keys become the
        progress call's ``details``."""
        raise NotImplementedError()

    # --- replication ---------------------------------------------------------
    # Replicas are share instances of the same share; one (or, for
    # ``writable``, several) has replica_state ``active``. The active
    # replica may live on another backend: drivers reach its data
    # through its admin-only export location.
    def create_replica(self, context, active, replica, pool,
                       replication_type):
        """Create ``replica`` in ``pool`` as a copy of ``active``.

        :returns: ``{"export_locations": [...], "replica_state": ...}``.
        """
        raise NotImplementedError()

    def delete_replica(self, context, replica):
        """Remove a non-active replica's storage; succeed if gone."""
        raise NotImplementedError()

    def update_replica_state(self, context, active, replica,
                             replication_type):
        """Check or sync ``replica`` from ``active`` (periodic task;
        resync first marks the replica ``out_of_sync``).

        :returns: the replica's new replica_state (``in_sync``,
            ``out_of_sync`` or ``error``).
        """
        raise NotImplementedError()

    def promote_replica(self, context, old_actives, replica,
                        replication_type):
        """Make ``replica`` the active one (the manager records states).

        :returns: ``{instance_id: [export locations]}`` for the replicas
            whose export locations change.
        """
        raise NotImplementedError()

    def create_replicated_snapshot(self, context, active, replica,
                                   active_snapshot, snapshot):
        """Copy ``active_snapshot`` (of the active replica) to
        ``snapshot`` (an instance of the same snapshot on ``replica``).

        :returns: optional ``{"provider_location": ...}``.
        """
        raise NotImplementedError()
