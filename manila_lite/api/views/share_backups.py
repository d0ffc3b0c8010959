"""Share backup representations (2.80+), as upstream's; ``backup_type``
from 2.85.

Admins (host admins) also see upstream's ``host`` and ``topic`` and
manila_lite's own job figures: ``bytes_copied`` (what the backup's copy
wrote) and ``bytes_shared`` (what it hard-links from the share's
previous backup), ``bytes_total``/``files_total`` and ``fail_reason``.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import views

GATE_BACKUP_TYPE = mv.parse('2.85')


class BackupView(views.VersionedView):

    def summary(self, req, backup):
        return {'id': backup.id, 'name': backup.name,
                'share_id': backup.share_id, 'status': backup.status}

    def detail(self, req, backup):
        view = self.summary(req, backup)
        view.update({
            'description': backup.description,
            'size': backup.size,
            'created_at': views.isotime(backup.created_at),
            'updated_at': views.isotime(backup.updated_at),
            'availability_zone': backup.availability_zone,
            'progress': backup.progress,
            'restore_progress': backup.restore_progress,
        })
        view = self.apply(req, view, backup)
        if req.is_host_admin():
            view.update({
                'host': backup.host,
                'topic': backup.topic,
                'bytes_total': backup.bytes_total,
                'files_total': backup.files_total,
                'bytes_copied': backup.bytes_copied,
                'bytes_shared': backup.bytes_shared,
                'fail_reason': backup.fail_reason,
            })
        return view

    @views.since(GATE_BACKUP_TYPE)
    def add_backup_type(self, req, view, backup):
        view['backup_type'] = backup.backup_type


VIEW = BackupView()


def index(req, backups):
    return {'share_backups': [VIEW.summary(req, b) for b in backups]}


def detail_list(req, backups):
    return {'share_backups': [VIEW.detail(req, b) for b in backups]}


def show(req, backup):
    return {'share_backup': VIEW.detail(req, backup)}


def restore(req, restored):
    return {'restore': {'backup_id': restored['backup_id'],
                        'share_id': restored['share_id']}}
