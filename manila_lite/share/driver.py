"""The storage driver contract: everything a share manager asks a backend.

A driver is loaded by stevedore from the ``manila_lite.share.drivers``
namespace (the backend section's ``share_driver``) and instantiated with
the service's ``conf`` and the backend section name. Its own options are
listed in ``extra_opts`` and registered in that section before it is
built. Drivers never touch the database or RPC: the manager hands them
share instances (ORM rows with ``instance.share`` loaded) and records
what they return.

Export locations are lists of dicts ``{"path", "is_admin_only",
"preferred"}``. Optional parts raise ``NotImplementedError``; the manager
falls back (e.g. host-assisted migration) or reports the feature as
unsupported.
"""


class ShareDriver:
    #: oslo.config options of this driver, registered in its backend
    #: section by the manager.
    extra_opts = ()

    def __init__(self, conf, backend_name):
        self.conf = conf
        self.backend_name = backend_name
        self.configuration = conf[backend_name]

    # --- life cycle ----------------------------------------------------------
    def do_setup(self, context):
        """Prepare the backend (create directories, connect, ...)."""

    def check_for_setup_error(self):
        """Raise if the backend cannot work with this configuration."""

    def reload_config(self):
        """Mutable options were re-read (SIGHUP or ensure shares)."""

    def get_share_stats(self, refresh=False):
        """Capabilities for the scheduler.

        A dict with backend-wide keys (``share_backend_name``,
        ``driver_handles_share_servers``, ``snapshot_support``,
        ``replication_type``, ...) and ``pools``: a list of dicts with at
        least ``pool_name``, ``total_capacity_gb``, ``free_capacity_gb``,
        ``allocated_capacity_gb`` and ``reserved_percentage``.
        """
        raise NotImplementedError()

    # --- shares --------------------------------------------------------------
    def create_share(self, context, instance, pool):
        """Create the storage of ``instance`` in ``pool``; return its
        export locations."""
        raise NotImplementedError()

    def create_share_from_snapshot(self, context, instance, pool,
                                   snapshot_instance, snapshot_share_instance):
        """Like ``create_share``, filled with the content of
        ``snapshot_instance`` (taken of ``snapshot_share_instance``)."""
        raise NotImplementedError()

    def delete_share(self, context, instance):
        """Remove the instance's storage; succeed if it is already gone."""
        raise NotImplementedError()

    def ensure_shares(self, context, instances):
        """Recompute what the current configuration says of each instance.

        :returns: ``{instance_id: {"export_locations": [...],
            "status": "available" | "error"}}``
        """
        raise NotImplementedError()

    def update_access(self, context, instance, access_rules, add_rules=None,
                      delete_rules=None):
        """Apply access rules to an instance.

        With ``add_rules`` and ``delete_rules`` both None, ``access_rules``
        is the complete set (recovery mode); otherwise apply the delta.
        ``instance.cast_rules_to_readonly`` makes every rule read-only.
        """
        raise NotImplementedError()

    # --- snapshots -----------------------------------------------------------
    def create_snapshot(self, context, snapshot_instance, instance):
        """Snapshot ``instance``; return a dict of fields to record
        (e.g. ``provider_location``)."""
        raise NotImplementedError()

    def delete_snapshot(self, context, snapshot_instance, instance):
        raise NotImplementedError()

    # --- driver-assisted migration (polled protocol, as upstream) ------------
    def migration_check_compatibility(self, context, source, destination,
                                      destination_capabilities):
        """Whether this driver can move ``source`` to ``destination``.

        :returns: dict ``compatible``, ``writable``, ``nondisruptive``,
            ``preserve_metadata``, ``preserve_snapshots`` (booleans).
        """
        return {'compatible': False, 'writable': False,
                'nondisruptive': False, 'preserve_metadata': False,
                'preserve_snapshots': False}

    def migration_start(self, context, source, destination,
                        snapshot_instances, destination_capabilities):
        raise NotImplementedError()

    def migration_continue(self, context, source, destination):
        """Poll: True once phase 1 finished, False while it runs."""
        raise NotImplementedError()

    def migration_complete(self, context, source, destination):
        """Switch over; returns ``{"export_locations": [...]}``."""
        raise NotImplementedError()

    def migration_cancel(self, context, source, destination):
        raise NotImplementedError()

    def migration_get_progress(self, context, source, destination):
        """``{"total_progress": 0..100, ...}``."""
        raise NotImplementedError()

    # --- replication (issue: share replicas) ---------------------------------
    def create_replica(self, context, active, replica, pool):
        raise NotImplementedError()

    def delete_replica(self, context, replica):
        raise NotImplementedError()

    def update_replica_state(self, context, active, replica):
        """Sync ``replica`` from ``active``; return its replica_state."""
        raise NotImplementedError()

    def promote_replica(self, context, old_active, replica):
        raise NotImplementedError()
