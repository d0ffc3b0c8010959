"""Client side of the data service's RPC API.

Casts go to the topic without a server: whichever data service takes
the message claims the job in the database. Cancel works through the
database too (any data service may receive it).

History:
    1.0 - start_copy_job, cancel_copy_job
"""

from manila_lite.common import rpc


class DataAPI:
    RPC_API_VERSION = '1.0'

    def __init__(self, conf):
        self.client = rpc.get_client(conf, conf.data_topic,
                                     self.RPC_API_VERSION)

    def start_copy_job(self, context, job_id):
        self.client.prepare(version='1.0').cast(
            context, 'start_copy_job', job_id=job_id)

    def cancel_copy_job(self, context, job_id):
        self.client.prepare(version='1.0').cast(
            context, 'cancel_copy_job', job_id=job_id)
