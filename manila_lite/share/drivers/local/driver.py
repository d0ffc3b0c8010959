"""The ``local`` driver class: life cycle, shares, sizes, snapshots;
access, migration and replication come from the mixins beside it."""

import os
import re
import threading

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.data import poolfs
from manila_lite.share import driver
from manila_lite.share.drivers import local_tree
from manila_lite.share.drivers.local import exports
from manila_lite.share.drivers.local import layout
from manila_lite.share.drivers.local import migration
from manila_lite.share.drivers.local import options
from manila_lite.share.drivers.local import replication
from manila_lite.share.drivers.local_tree import copy_tree
from manila_lite.share.drivers.local_tree import remove_tree

LOG = logging.getLogger(__name__)

_POOL_NAME = re.compile(r'^[A-Za-z0-9_.-]+$')


class LocalShareDriver(layout.LayoutMixin, exports.ExportsMixin,
                       migration.MigrationMixin,
                       replication.ReplicationMixin, driver.ShareDriver):
    extra_opts = options.LOCAL_OPTS

    def __init__(self, conf, backend_name):
        super().__init__(conf, backend_name)
        self._locks = {}
        self._locks_guard = threading.Lock()
        #: destination instance id -> state of a running migration
        self._migrations = {}

    # --- life cycle ----------------------------------------------------------
    def do_setup(self, context):
        for root in self.pools().values():
            for sub in ('shares', 'snapshots'):
                poolfs.makedirs(os.path.join(root, sub))

    def _replication_styles(self):
        value = self.configuration.local_replication_type or ''
        styles = set(value.lower().split()) - {'none'}
        unknown = styles - states.REPLICATION_TYPES
        if unknown:
            raise exceptions.InvalidInput(
                reason='local_replication_type: unknown style(s) %s'
                       % ', '.join(sorted(unknown)))
        return styles

    def check_for_setup_error(self):
        self._replication_styles()
        pools = self.pools()
        seen = {}
        for name, root in pools.items():
            # Pool names end up in host strings (host@backend#pool).
            if not _POOL_NAME.match(name):
                raise exceptions.InvalidInput(
                    reason='pool name %r: use letters, digits, . _ -'
                           % name)
            real = poolfs.real_path(root)
            if real in seen:
                raise exceptions.InvalidInput(
                    reason='pools %s and %s share the directory %s'
                           % (seen[real], name, real))
            seen[real] = name
            if not poolfs.is_writable(root):
                raise exceptions.ShareBackendException(
                    msg='pool %s (%s) is not writable' % (name, root))

    def reconcile(self, context, instance_ids, snapshot_instance_ids):
        """Directories and sidecars in the pools that no instance of
        the database owns: logged, and removed with
        ``local_remove_orphans``."""
        shares = {'share-%s' % i for i in instance_ids}
        snaps = set(snapshot_instance_ids)
        orphans = []
        for root in self.pools().values():
            for sub, known, suffixes in (('shares', shares, ('.json',)),
                                         ('snapshots', snaps, ('.json',))):
                folder = os.path.join(root, sub)
                for name in sorted(poolfs.listdir(folder)):
                    base = name
                    for suffix in suffixes:
                        if base.endswith(suffix):
                            base = base[:-len(suffix)]
                    if base not in known:
                        orphans.append(os.path.join(folder, name))
        remove = self.configuration.local_remove_orphans
        for path in orphans:
            LOG.warning('%s belongs to no share or snapshot instance of '
                        'backend %s in the database%s', path,
                        self.backend_name,
                        ': removing it' if remove else
                        ' (local_remove_orphans removes such leftovers)')
            if remove:
                remove_tree(path)
        return orphans

    def get_share_stats(self, refresh=False):
        reserved = self.configuration.reserved_share_percentage
        pools = []
        for name, root in sorted(self.pools().items()):
            try:
                st = os.statvfs(root)
                total = st.f_blocks * st.f_frsize / layout.GIB
                free = st.f_bavail * st.f_frsize / layout.GIB
            except OSError:
                total = free = 0.0
            pools.append({
                'pool_name': name,
                'total_capacity_gb': round(total, 2),
                'free_capacity_gb': round(free, 2),
                'allocated_capacity_gb': self._allocated_gb(root),
                'reserved_percentage': reserved,
                'local_path': root,
            })
        rtype = ' '.join(sorted(self._replication_styles())) or None
        return {
            'share_backend_name': (self.configuration.share_backend_name
                                   or self.backend_name),
            'vendor_name': 'manila_lite',
            'driver_version': '1.0',
            'storage_protocol': 'NFS_CIFS',
            'driver_handles_share_servers': False,
            'snapshot_support': True,
            'create_share_from_snapshot_support': True,
            'revert_to_snapshot_support': True,
            'mount_snapshot_support': True,
            'replication_type': rtype,
            # Local backends of one node can read each other's pools:
            # by default they form one replication domain.
            'replication_domain': (self.configuration.replication_domain
                                   or 'local:%s' % self.conf.host),
            'local_driver': True,
            'local_node': self.conf.host,
            'pools': pools,
        }

    # --- shares --------------------------------------------------------------
    def create_share(self, context, instance, pool):
        path = self.share_path(instance)
        # A retried create after a restart: the directory is ours.
        poolfs.makedirs(path, 0o775)
        self._write_sidecar(instance, size=instance.share.size)
        return self.export_locations(path)

    def create_share_from_snapshot(self, context, instance, pool,
                                   snapshot_instance, snapshot_share_instance):
        snap_path = self._snapshot_source_path(snapshot_instance,
                                               snapshot_share_instance)
        path = self.share_path(instance)
        remove_tree(path)
        copy_tree(snap_path, path)
        local_tree.set_writable(path, True)
        self._write_sidecar(instance, size=instance.share.size)
        return self.export_locations(path)

    def delete_share(self, context, instance):
        if not instance.host:
            return
        path = self.share_path(instance)
        self._stop_migrations_of(instance)
        remove_tree(path)
        poolfs.unlink_path(path + '.json')
        _pool, root = self._pool_of(instance)
        self._render_exports(root)

    def ensure_shares(self, context, instances):
        updates = {}
        for instance in instances:
            try:
                path = self.share_path(instance)
            except exceptions.ManilaLiteException:
                updates[instance.id] = {'status': states.STATUS_ERROR}
                continue
            if poolfs.is_dir(path):
                # A dr replica is not exported until it is promoted.
                updates[instance.id] = {
                    'export_locations': (self.export_locations(path)
                                         if layout.is_exported(instance)
                                         else []),
                    'status': states.STATUS_AVAILABLE}
            else:
                LOG.warning('Share directory %s is missing', path)
                updates[instance.id] = {'status': states.STATUS_ERROR}
        # Exports files are rewritten by update_access_batch, which the
        # ensure flow calls next with the rules from the database.
        return updates

    # --- sizes (the quota lives in the sidecar) -----------------------------
    def get_share_size(self, context, instance):
        """Bytes of the files in the share (hard links counted once)."""
        return local_tree.tree_size(self.share_path(instance))

    def extend_share(self, context, instance, new_size):
        self._write_sidecar(instance, size=int(new_size))

    def shrink_share(self, context, instance, new_size):
        size = self.get_share_size(context, instance)
        if size > int(new_size) * layout.GIB:
            raise exceptions.ShareShrinkingPossibleDataLoss(
                share_id=instance.share_id)
        self._write_sidecar(instance, size=int(new_size))

    # --- snapshots -----------------------------------------------------------
    def create_snapshot(self, context, snapshot_instance, instance):
        src = self.share_path(instance)
        dst = self._snapshot_path(snapshot_instance, instance)
        remove_tree(dst)
        poolfs.makedirs(os.path.dirname(dst))
        try:
            copy_tree(src, dst)
        except Exception:
            remove_tree(dst)
            raise
        local_tree.set_writable(dst, False)
        return {'provider_location': dst,
                'export_locations': [
                    {k: v for k, v in loc.items() if k != 'preferred'}
                    for loc in self.export_locations(dst)]}

    def delete_snapshot(self, context, snapshot_instance, instance):
        path = self._snapshot_path(snapshot_instance, instance)
        remove_tree(path)
        if poolfs.exists(path + '.json'):
            poolfs.unlink_path(path + '.json')
            self._render_exports(self._pool_of(instance)[1])

    def revert_to_snapshot(self, context, instance, snapshot_instance):
        """Mirror the snapshot over the share, in place: the copy
        engine walks both trees by descriptors (a symlink in the share
        is removed or replaced as a link, never followed), prunes what
        the snapshot lacks and, with ``verify``, compares every file it
        keeps by checksum, so the bytes are the snapshot's afterwards.
        Run again after a cut, it finishes the job."""
        src = self._snapshot_path(snapshot_instance, instance)
        if not poolfs.is_dir(src):
            raise exceptions.ShareBackendException(
                msg='snapshot %s of %s is missing'
                    % (snapshot_instance.id, instance.id))
        path = self.share_path(instance)
        poolfs.makedirs(path, 0o775)
        copy_tree(src, path, incremental=True, verify=True)
        # Snapshots are kept read-only; the share is writable again.
        local_tree.set_writable(path, True)
        self._write_sidecar(instance,
                            size=int(snapshot_instance.snapshot.size))
