"""The share backup API: what the /share-backups controllers call.

As ``share/api/``: checks state with conditional database updates,
records the intent, casts to the data service (which runs backups,
restores and deletes, see ``data/backup.py``); no policy checks and no
HTTP here. Another project's backups are ``NotFound`` for non-admins.
Messages are upstream's.
"""

from oslo_log import log as logging
from oslo_serialization import jsonutils

from manila_lite import quota
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.data import rpcapi as data_rpcapi
from manila_lite.db import api as db
from manila_lite.db import backups as backup_db

LOG = logging.getLogger(__name__)


class BackupAPI:
    def __init__(self, share_api):
        self.share_api = share_api
        self.conf = share_api.conf
        self.data_rpcapi = data_rpcapi.DataAPI(self.conf)

    # --- reading ------------------------------------------------------------
    def get(self, ctx, backup_id):
        backup = backup_db.backup_get(ctx, backup_id)
        if not (ctx.is_admin or backup.project_id == ctx.project_id):
            raise exceptions.ShareBackupNotFound(backup_id=backup_id)
        return backup

    def get_all(self, ctx, *, filters, limit=None, offset=None,
                sort_key='created_at', sort_dir='desc', all_tenants=False):
        filters = dict(filters)
        share_id = filters.get('share_id')
        if share_id is not None:
            try:
                self.share_api.share_get(ctx, share_id)
            except exceptions.ShareNotFound:
                raise exceptions.Invalid(
                    'No share exists with ID %s.' % share_id) from None
        project = None
        if not (ctx.is_admin and all_tenants):
            filters.pop('project_id', None)
            project = ctx.project_id
        return backup_db.backup_get_all(
            ctx, filters=filters, project_id=project, limit=limit,
            offset=offset, sort_key=sort_key, sort_dir=sort_dir)

    # --- create -------------------------------------------------------------
    def create(self, ctx, share_id, *, name=None, description=None,
               backup_options=None):
        try:
            share = self.share_api.share_get(ctx, share_id)
        except exceptions.ShareNotFound:
            raise exceptions.Invalid(
                'No share exists with ID %s.' % share_id) from None
        if share.is_soft_deleted:
            raise exceptions.NotAuthorized(
                "Backup can not be created for share '%s' since it has "
                "been soft deleted." % share_id)
        if states.is_busy(share.task_state):
            raise exceptions.ShareBusy(share_id=share_id,
                                       reason=share.task_state)
        instance = share.instance
        if instance is None or instance.status != states.STATUS_AVAILABLE:
            raise exceptions.InvalidShare(
                "Share %s is in '%s' state, but it must be in 'available' "
                "state to create a backup."
                % (share_id, instance.status if instance else None))
        if db.snapshot_count_by_share(ctx, share_id):
            raise exceptions.InvalidShare(
                'Cannot backup share %s while it has snapshots.' % share_id)
        if share.has_replicas:
            raise exceptions.InvalidShare(
                'Cannot backup share %s while it has replicas.' % share_id)
        options = dict(backup_options or {})
        values = dict(
            project_id=ctx.project_id, user_id=ctx.user_id,
            share_id=share_id, name=name, description=description,
            size=share.size, status=states.BACKUP_CREATING, progress='0',
            restore_progress='0',
            availability_zone=instance.availability_zone,
            backup_type=options.get('backup_type'),
            backup_options=jsonutils.dumps(options), host=instance.host,
            topic=self.conf.data_topic, store=self.conf.backup_driver)
        try:
            backup = backup_db.backup_create_for_share(
                ctx, values, instance.id,
                charge=lambda session: quota.charge_backup(
                    self.conf, ctx, session, (ctx.project_id, ctx.user_id),
                    share.size))
        except exceptions.InvalidState:
            # Another request (a second backup) took the share first.
            current = db.share_get(ctx, share_id).status
            raise exceptions.InvalidShare(
                "Share %s is in '%s' state, but it must be in 'available' "
                "state to create a backup." % (share_id, current)) from None
        self.share_api.cast('create_backup', self.data_rpcapi.create_backup,
                             ctx, backup.id)
        return backup_db.backup_get(ctx, backup.id)

    # --- change -------------------------------------------------------------
    def update(self, ctx, backup_id, **fields):
        self.get(ctx, backup_id)
        values = {k: v for k, v in fields.items()
                  if k in ('name', 'description')}
        if values:
            backup_db.backup_update(ctx, backup_id, values)
        return backup_db.backup_get(ctx, backup_id)

    def delete(self, ctx, backup_id):
        backup = self.get(ctx, backup_id)
        try:
            backup_db.backup_transition(
                ctx, backup_id, states.BACKUP_DELETING,
                sources={states.BACKUP_AVAILABLE, states.BACKUP_ERROR},
                values={'owner': None, 'heartbeat_at': None})
        except exceptions.InvalidBackup:
            raise exceptions.InvalidBackup(
                reason='Backup %s status must be available or error.'
                       % backup.id) from None
        self.share_api.cast('delete_backup', self.data_rpcapi.delete_backup,
                             ctx, backup_id)

    def restore(self, ctx, backup_id, *, target_share_id=None):
        """Restore into the backup's share (or ``target_share_id``, a
        share of the caller's, from 2.91); returns
        ``{'backup_id', 'share_id'}``."""
        backup = self.get(ctx, backup_id)
        if backup.status != states.BACKUP_AVAILABLE:
            raise exceptions.InvalidBackup(
                reason='Backup %s status must be available.' % backup_id)
        share_id = target_share_id or backup.share_id
        try:
            share = self.share_api.own_share(ctx, share_id,
                                              'share_backup:restore')
        except exceptions.ShareNotFound:
            if target_share_id is None:
                raise exceptions.InvalidShare(
                    reason='the share %s of backup %s is gone'
                           % (backup.share_id, backup_id)) from None
            raise
        instance = share.instance
        if instance is None or instance.status != states.STATUS_AVAILABLE \
                or states.is_busy(share.task_state):
            raise exceptions.InvalidShare(
                reason='Share to be restored to must be available')
        if backup.size > share.size:
            raise exceptions.InvalidShare(
                reason='Share size %d is too small to restore the backup '
                       'of size %d' % (share.size, backup.size))
        try:
            backup_db.backup_start_restore(ctx, backup_id, instance.id,
                                           share.id)
        except exceptions.InvalidBackup:
            raise exceptions.InvalidBackup(
                reason='Backup %s status must be available.'
                       % backup_id) from None
        except exceptions.InvalidState:
            raise exceptions.InvalidShare(
                reason='Share to be restored to must be available') \
                from None
        self.share_api.cast('restore_backup',
                             self.data_rpcapi.restore_backup, ctx,
                             backup_id)
        return {'backup_id': backup_id, 'share_id': share.id}

    def reset_status(self, ctx, backup_id, status):
        backup_db.backup_get(ctx, backup_id)
        if status not in states.BACKUP_RESET_STATUSES:
            raise exceptions.InvalidInput(
                reason='status must be one of %s'
                       % ', '.join(sorted(states.BACKUP_RESET_STATUSES)))
        # An admin override, as upstream: no transition table applies.
        backup_db.backup_transition(ctx, backup_id, status,
                                    event='reset_status')
