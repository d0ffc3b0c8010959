"""Copy jobs through the real data service process over RabbitMQ:
progress read from the database while a job runs, one job cancelled,
one completed with the destination equal to the source."""

import os
import time

import pytest

from manila_lite.common import context
from manila_lite.common import rpc
from manila_lite.common import states
from manila_lite.data import rpcapi as data_rpcapi
from manila_lite.db import api as db_api
from tests import files


def _share(d, zone):
    status, body = d.request('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': zone}})
    assert status == 200, body
    share_id = body['share']['id']
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    status, body = d.request('GET',
                             '/v2/shares/%s/export_locations' % share_id)
    path = [el['path'] for el in body['export_locations']
            if el['is_admin_only']][0]
    status, body = d.request('GET', '/v2/shares/%s' % share_id)
    return share_id, path


def _fill(path, count):
    for i in range(count):
        sub = os.path.join(path, 'd%02d' % (i % 50))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, 'f%05d' % i), 'wb') as f:
            f.write(os.urandom(1024 + i % 997))


@pytest.fixture
def client(deployment):
    conf = deployment.client_conf()
    db_api.configure(conf)
    yield conf, data_rpcapi.DataAPI(conf)
    rpc.cleanup()
    db_api.dispose()


def _instance_id(ctx, share_id):
    return db_api.share_get(ctx, share_id).instance.id


def test_copy_jobs_through_the_data_service(deployment, client):  # noqa
    d = deployment
    conf, data = client
    d.request('POST', '/v2/types', {'share_type': {
        'name': 'default', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}})
    src_id, src_path = _share(d, 'az1')
    dst_id, dst_path = _share(d, 'az2')
    other_id, other_path = _share(d, 'az2')
    _fill(src_path, 6000)
    ctx = context.get_admin_context()

    def new_job(dest_share):
        return db_api.data_copy_job_create(ctx, dict(
            share_id=src_id, src_instance_id=_instance_id(ctx, src_id),
            dest_instance_id=_instance_id(ctx, dest_share),
            state=states.JOB_QUEUED)).id

    doomed = new_job(other_id)
    data.start_copy_job(ctx, doomed)
    data.cancel_copy_job(ctx, doomed)

    job_id = new_job(dst_id)
    data.start_copy_job(ctx, job_id)
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = db_api.data_copy_job_get(ctx, job_id)
        seen.append((job.state, job.bytes_done, job.files_done))
        if job.state in states.JOB_FINAL:
            break
        time.sleep(0.05)
    assert job.state == states.JOB_COMPLETED, (job.error_message,
                                               d.dump_logs())
    assert job.owner == d.host
    assert job.files_done == job.files_total == 6000
    assert job.bytes_done == job.bytes_total
    running = [s for s in seen if s[0] == states.JOB_RUNNING]
    assert running, seen

    assert files.contents(dst_path) == files.contents(src_path)

    deadline = time.monotonic() + 60
    while True:
        cancelled = db_api.data_copy_job_get(ctx, doomed)
        if cancelled.state in states.JOB_FINAL:
            break
        assert time.monotonic() < deadline, cancelled.state
        time.sleep(0.05)
    assert cancelled.state == states.JOB_CANCELLED
    assert len(files.contents(other_path)) < 6000

