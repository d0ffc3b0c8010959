"""Client side of the data service's RPC API.

Casts go to the topic without a server: whichever data service takes
the message claims the job in the database. Cancel works through the
database too (any data service may receive it).

Only the data service writes copy-job rows: the share service asks for
a migration's job with ``create_copy_job`` (idempotent per destination
instance, so a re-sent request is harmless) and cancels through
``cancel_copy_job``.

History:
    1.0 - start_copy_job, cancel_copy_job
    1.1 - create_copy_job
    1.2 - create_backup, restore_backup, delete_backup
    1.3 - create_copy_job: sync_pass, final, readonly_at (the passes of
          a writable migration)
"""

from manila_lite.common import rpc


class DataAPI:
    RPC_API_VERSION = '1.3'

    def __init__(self, conf):
        self.client = rpc.get_client(conf, conf.data_topic,
                                     self.RPC_API_VERSION)

    def start_copy_job(self, context, job_id):
        self.client.prepare(version='1.0').cast(
            context, 'start_copy_job', job_id=job_id)

    def cancel_copy_job(self, context, job_id):
        self.client.prepare(version='1.0').cast(
            context, 'cancel_copy_job', job_id=job_id)

    def create_copy_job(self, context, share_id, src_instance_id,
                        dest_instance_id, verify, *, sync_pass=None,
                        final=False, readonly_at=None):
        """Record the copy of ``src_instance_id`` into
        ``dest_instance_id`` (unless it is recorded) and start it.

        :param sync_pass: a writable migration's pass number (1: the
            full copy, then incremental passes of a source in use);
            one job is recorded per destination and pass.
        :param final: the read-only final pass (verified).
        :param readonly_at: when the source became read-only (seconds
            since the epoch).
        """
        kwargs = dict(share_id=share_id, src_instance_id=src_instance_id,
                      dest_instance_id=dest_instance_id, verify=verify)
        version = '1.1'
        if sync_pass is not None:
            version = '1.3'
            kwargs.update(sync_pass=sync_pass, final=bool(final),
                          readonly_at=readonly_at)
        self.client.prepare(version=version).cast(
            context, 'create_copy_job', **kwargs)

    def create_backup(self, context, backup_id):
        """Run the backup recorded as ``backup_id`` (``creating``)."""
        self.client.prepare(version='1.2').cast(
            context, 'create_backup', backup_id=backup_id)

    def restore_backup(self, context, backup_id):
        """Run the restore recorded on ``backup_id`` (``restoring``)."""
        self.client.prepare(version='1.2').cast(
            context, 'restore_backup', backup_id=backup_id)

    def delete_backup(self, context, backup_id):
        """Remove the tree of ``backup_id`` (``deleting``) and its row."""
        self.client.prepare(version='1.2').cast(
            context, 'delete_backup', backup_id=backup_id)
