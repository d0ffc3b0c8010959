"""The data service: runs host-assisted copy jobs between share instances.

RPC endpoints take ids (``data/rpcapi.py``); the job itself is a
``data_copy_jobs`` row run by ``data/jobs.py`` in a thread of its own,
so this service keeps answering while copies run and any number of data
services can share one topic. At start-up (and periodically) it resumes
its own interrupted jobs and adopts those of data services that died.
When a job ends it tells the source's share service at once (the
share rpcapi's ``migration_poll``) instead of leaving it to its poll.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

from manila_lite.data import backup
from manila_lite.data import jobs
from manila_lite.db import api as db
from manila_lite.share import rpcapi as share_rpcapi

LOG = logging.getLogger(__name__)


class DataManager:
    RPC_API_VERSION = '1.3'
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf, host):
        self.conf = conf
        self.host = host
        self.service_id = None
        self.share_rpcapi = share_rpcapi.ShareAPI(conf)
        self.runner = jobs.JobRunner(conf, host,
                                     on_finished=self._copy_finished)
        self.backups = backup.BackupRunner(conf, host)

    def _copy_finished(self, ctx, job):
        source = db.share_instance_get(ctx, job.src_instance_id)
        self.share_rpcapi.migration_poll(ctx, source.host, job.share_id)

    def init_host(self, ctx):
        self.runner.recover(ctx)
        self.backups.recover(ctx)

    def periodic_tasks(self, ctx):
        self.runner.recover(ctx)
        self.backups.recover(ctx)

    def cleanup_host(self):
        self.runner.stop_all()
        self.backups.stop_all()

    def create_copy_job(self, ctx, share_id, src_instance_id,
                        dest_instance_id, verify, sync_pass=None,
                        final=False, readonly_at=None):
        job = self.runner.create(ctx, share_id=share_id,
                                 src_instance_id=src_instance_id,
                                 dest_instance_id=dest_instance_id,
                                 verify=verify, sync_pass=sync_pass,
                                 final=final, readonly_at=readonly_at)
        self.start_copy_job(ctx, job.id)

    def start_copy_job(self, ctx, job_id):
        if not self.runner.start(ctx, job_id):
            LOG.info('Copy job %s was not queued any more; ignoring',
                     job_id)

    def cancel_copy_job(self, ctx, job_id):
        self.runner.cancel(ctx, job_id)

    # --- share backups (1.2): each runs the row's recorded job --------------
    def create_backup(self, ctx, backup_id):
        self.backups.start(ctx, backup_id)

    def restore_backup(self, ctx, backup_id):
        self.backups.start(ctx, backup_id)

    def delete_backup(self, ctx, backup_id):
        self.backups.start(ctx, backup_id)
