"""Driver-assisted migration between local backends of one node."""

import json
import os
import threading

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.data import copy as copy_engine
from manila_lite.data import poolfs
from manila_lite.share.drivers.local import layout
from manila_lite.share.drivers.local_tree import copy_tree
from manila_lite.share.drivers.local_tree import remove_tree

LOG = logging.getLogger(__name__)


class MigrationMixin:
    """The ``migration_*`` driver calls (over ``LayoutMixin`` and
    ``ExportsMixin``; ``self._migrations`` is the driver's)."""

    # Between local backends of this node: phase 1 copies the tree with
    # the copy engine while the source stays writable (or does nothing
    # when both pools share a file system), phase 2 runs a short
    # incremental pass (or a rename), moves the snapshots and removes
    # the source. Anything else (or ``local_driver_assisted_migration``
    # off) is "not compatible": host-assisted.
    def _dest_pool_path(self, destination, capabilities):
        if not capabilities.get('local_driver') or capabilities.get(
                'local_node') != self.conf.host:
            return None
        pool = hosts.pool_of(destination.host)
        for entry in capabilities.get('pools') or []:
            if entry.get('pool_name') == pool and entry.get('local_path'):
                return entry['local_path']
        return None

    def _record_path(self, source, destination):
        _pool, root = self._pool_of(source)
        return os.path.join(root, 'migrations',
                            '%s.json' % layout.check_id(destination.id))

    def _migration(self, source, destination, *, resume=True):
        """The state of a migration, reloaded from its record in the
        source pool after a service restart (the copy then restarts as
        an incremental pass, so finished files are not copied again)."""
        info = self._migrations.get(destination.id)
        if info is not None:
            return info
        record = self._read_sidecar(self._record_path(source, destination))
        if record is None:
            raise exceptions.ShareBackendException(
                msg='no migration of %s is known here' % destination.id)
        info = dict(record, job=None, thread=None, result=None,
                    progress=None)
        self._migrations[destination.id] = info
        if resume and not info['same_fs']:
            LOG.info('Resuming local migration copy to %s', info['path'])
            self._start_copy(self.share_path(source), info)
        return info

    def _forget(self, source, destination):
        self._migrations.pop(destination.id, None)
        poolfs.unlink_path(self._record_path(source, destination))

    def _stop_migrations_of(self, instance):
        """A share being deleted (``force_delete`` included) during a
        driver-assisted migration: stop the copy and remove the
        destination and the record, whichever end ``instance`` is."""
        for dest_id, info in list(self._migrations.items()):
            if instance.id not in (dest_id, info.get('source')):
                continue
            self._stop_copy(info)
            self._migrations.pop(dest_id, None)
        for root in self.pools().values():
            records = os.path.join(root, 'migrations')
            for name in poolfs.listdir(records):
                path = os.path.join(records, name)
                record = self._read_sidecar(path) or {}
                if instance.id not in (name[:-len('.json')],
                                       record.get('source')):
                    continue
                if record.get('path') and not record.get('same_fs'):
                    remove_tree(record['path'])
                    poolfs.unlink_path(record['path'] + '.json')
                poolfs.unlink_path(path)

    def migration_check_compatibility(self, context, source, destination,
                                      destination_capabilities):
        compatible = (
            self.configuration.local_driver_assisted_migration
            and self._dest_pool_path(
                destination, destination_capabilities) is not None)
        return {'compatible': compatible, 'writable': compatible,
                'nondisruptive': False, 'preserve_metadata': compatible,
                'preserve_snapshots': compatible}

    def migration_start(self, context, source, destination,
                        snapshot_instances, destination_capabilities):
        root = self._dest_pool_path(destination, destination_capabilities)
        if root is None:
            raise exceptions.DriverNotCompatible(
                reason='destination is not a local pool of this node')
        dest_path = os.path.join(root, 'shares',
                                 'share-%s' % layout.check_id(destination.id))
        src_path = self.share_path(source)
        poolfs.makedirs(os.path.dirname(dest_path))
        info = {'root': root, 'path': dest_path, 'job': None,
                'thread': None, 'result': None, 'progress': None,
                'snapshots': [layout.check_id(si.id)
                              for si in snapshot_instances or ()],
                'same_fs': poolfs.device_of(os.path.dirname(dest_path))
                == poolfs.device_of(src_path),
                'source': layout.check_id(source.id)}
        self._migrations[destination.id] = info
        record = self._record_path(source, destination)
        poolfs.makedirs(os.path.dirname(record))
        layout.atomic_write(record, json.dumps(
            {k: info[k] for k in ('root', 'path', 'snapshots', 'same_fs',
                                  'source')},
            sort_keys=True))
        if not info['same_fs']:
            self._start_copy(src_path, info)

    def _start_copy(self, src_path, info):
        job = copy_engine.CopyJob(
            src_path, info['path'], incremental=True,
            progress=lambda p: info.__setitem__('progress', p))
        info['job'] = job

        def run():
            info['result'] = job.run()

        info['thread'] = threading.Thread(target=run, daemon=True,
                                          name='local-migration')
        info['thread'].start()

    def migration_continue(self, context, source, destination):
        info = self._migration(source, destination)
        if info['same_fs']:
            return True
        if info['thread'].is_alive():
            return False
        result = info['result']
        if result is None or result.state != 'completed':
            raise exceptions.ShareBackendException(
                msg='copy failed: %s' % getattr(result, 'error', '?'))
        return True

    def migration_get_progress(self, context, source, destination):
        info = self._migrations.get(destination.id) or {}
        if info.get('same_fs'):
            return {'total_progress': 100}
        result = info.get('result')
        if result is not None:
            return {'total_progress': 100 if result.state == 'completed'
                    else 0}
        progress = info.get('progress')
        if progress is None or not progress.bytes_total:
            return {'total_progress': 0}
        return {'total_progress': min(99, int(
            progress.bytes_done * 100 / progress.bytes_total))}

    def migration_complete(self, context, source, destination):
        info = self._migration(source, destination, resume=False)
        src_path = self.share_path(source)
        dest_path = info['path']
        if info['same_fs']:
            poolfs.replace_path(src_path, dest_path)
        else:
            result = copy_engine.CopyJob(src_path, dest_path,
                                         incremental=True).run()
            if result.state != 'completed':
                raise exceptions.ShareBackendException(
                    msg='final copy pass failed: %s' % result.error)
        snap_root = os.path.join(info['root'], 'snapshots')
        poolfs.makedirs(snap_root)
        _pool, src_root = self._pool_of(source)
        for snap_id in info['snapshots']:
            old = os.path.join(src_root, 'snapshots', snap_id)
            new = os.path.join(snap_root, snap_id)
            if not poolfs.is_dir(old):
                continue
            try:
                poolfs.replace_path(old, new)
            except OSError:
                copy_tree(old, new)
                remove_tree(old)
        sidecar = self._read_sidecar(src_path + '.json') or {}
        layout.atomic_write(dest_path + '.json', json.dumps(sidecar,
                                                      sort_keys=True))
        if not info['same_fs']:
            remove_tree(src_path)
        poolfs.unlink_path(src_path + '.json')
        self._render_exports(src_root)
        self._render_exports(info['root'])
        self._forget(source, destination)
        return {'export_locations': self.export_locations(dest_path)}

    def migration_cancel(self, context, source, destination):
        try:
            info = self._migration(source, destination, resume=False)
        except exceptions.ShareBackendException:
            return
        self._stop_copy(info)
        self._forget(source, destination)

    @staticmethod
    def _stop_copy(info):
        """Stop a migration's copy and remove what it wrote."""
        job = info.get('job')
        if job is not None:
            job.cancel()
            info['thread'].join(timeout=30)
        if not info['same_fs']:
            remove_tree(info['path'])
