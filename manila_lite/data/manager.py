"""The data service: runs host-assisted copy jobs between share instances.

RPC endpoints take job ids (``data/rpcapi.py``); the job itself is a
``data_copy_jobs`` row run by ``data/jobs.py`` in a thread of its own,
so this service keeps answering while copies run and any number of data
services can share one topic. At start-up (and periodically) it resumes
its own interrupted jobs and adopts those of data services that died.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

from manila_lite.data import jobs

LOG = logging.getLogger(__name__)


class DataManager:
    RPC_API_VERSION = '1.0'
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf, host, *, on_finished=None):
        self.conf = conf
        self.host = host
        self.service_id = None
        self.runner = jobs.JobRunner(conf, host, on_finished=on_finished)

    def init_host(self, ctx):
        self.runner.recover(ctx)

    def periodic_tasks(self, ctx):
        self.runner.recover(ctx)

    def cleanup_host(self):
        self.runner.stop_all()

    def start_copy_job(self, ctx, job_id):
        if not self.runner.start(ctx, job_id):
            LOG.info('Copy job %s was not queued any more; ignoring',
                     job_id)

    def cancel_copy_job(self, ctx, job_id):
        self.runner.cancel(ctx, job_id)
