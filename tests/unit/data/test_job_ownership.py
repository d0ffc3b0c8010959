"""Only the data service writes copy-job rows: the share service asks it
over RPC, and a request sent twice (re-sent after a loss, taken by two
data services at once) still records one job."""

import ast
import pathlib
import threading

from manila_lite.common import states
from manila_lite.data import jobs

PACKAGE = pathlib.Path(__file__).resolve().parents[3] / 'manila_lite'
WRITERS = {'data_copy_job_create', 'data_copy_job_update',
           'data_copy_job_transition'}


def test_no_module_outside_the_data_service_writes_job_rows():
    offenders = []
    for path in PACKAGE.rglob('*.py'):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(('data/', 'db/')):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and node.attr in WRITERS):
                offenders.append('%s:%d %s' % (rel, node.lineno, node.attr))
    assert offenders == []


def test_two_requests_for_one_destination_record_one_job(conf, db,
                                                        admin_ctx):
    stype = db.share_type_create(admin_ctx, {'name': 't'}, {
        'driver_handles_share_servers': 'False'})
    share = db.share_create(
        admin_ctx, dict(project_id='p', size=1, share_proto='NFS',
                        share_type_id=stype.id),
        dict(status=states.STATUS_MIGRATING, host='h@b#p'))
    dest = db.share_instance_create(admin_ctx, share.id, {
        'status': states.STATUS_MIGRATING_TO, 'host': 'h@b#q'})
    ids = []
    start = threading.Barrier(4)

    def create(runner):
        start.wait(30)
        ids.append(runner.create(
            admin_ctx, share_id=share.id,
            src_instance_id=share.instances[0].id,
            dest_instance_id=dest.id, verify=True).id)

    threads = [threading.Thread(target=create,
                                args=(jobs.JobRunner(conf, 'data%d' % i),))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    recorded = db.data_copy_job_get_all(admin_ctx, share_id=share.id)
    assert len(recorded) == 1
    assert set(ids) == {recorded[0].id}
    assert recorded[0].state == states.JOB_QUEUED
    assert recorded[0].verify
