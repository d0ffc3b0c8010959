"""SIGTERM and SIGHUP, as operators send them.

SIGTERM stops a service cleanly (exit status 0, well within a systemd
stop timeout): the data service checkpoints a running copy and leaves
the job ``running``, and its next start resumes it. SIGHUP makes a
share service re-read its mutable options without a restart.
"""

import os
import signal
import time

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests import files
from tests.functional.test_migration import _act
from tests.functional.test_migration import _local
from tests.functional.test_migration import _share
from tests.functional.test_migration import _start
from tests.functional.test_migration_faults import _big


def _terminate(d, name):
    """SIGTERM ``name``; (exit status, seconds it took)."""
    proc = d.procs[name]
    began = time.monotonic()
    d.stop(name)
    return proc.returncode, time.monotonic() - began


def _running_job(share_id, timeout=60):
    ctx = context.get_admin_context()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = db_api.data_copy_job_get_all(ctx, share_id=share_id)
        if jobs and jobs[-1].state == states.JOB_RUNNING:
            return jobs[-1]
        time.sleep(0.02)
    raise AssertionError('no copy job got going for %s' % share_id)


def test_data_service_sigterm_checkpoints_and_resumes(d):
    # One copy worker and many files: a copy that lasts long enough to
    # be interrupted.
    d.stop('data')
    with open(os.path.join(d.workdir, 'data.conf'), 'w') as f:
        f.write('[DEFAULT]\ndata_copy_workers = 1\n')
    d.start('data')
    share, path = _share(d, count=3000, size=1024)
    _big(path, count=16)
    before = files.contents(path)
    status, body = _start(d, share['id'], '%s@local2#pool1' % d.host,
                          force_host_assisted_migration='True')
    assert status == 202, body
    db_api.configure(d.client_conf())
    try:
        job = _running_job(share['id'])
        code, took = _terminate(d, 'data')
        assert code == 0, d.dump_logs()
        assert took < 20
        stopped = db_api.data_copy_job_get(context.get_admin_context(),
                                           job.id)
        # Interrupted, not failed: the checkpoint is on disk and the
        # migration waits for the job.
        assert stopped.state == states.JOB_RUNNING, stopped.state
        assert os.path.exists(stopped.checkpoint_path)
        shown = d.request('GET', '/v2/shares/' + share['id'])[1]
        assert shown['share']['task_state'] == \
            states.TASK_STATE_DATA_COPYING_IN_PROGRESS
        d.start('data')
        d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                   states.TASK_STATE_DATA_COPYING_COMPLETED, timeout=180)
        done = db_api.data_copy_job_get(context.get_admin_context(), job.id)
        assert done.state == states.JOB_COMPLETED
        assert done.passes == 2     # resumed, not restarted elsewhere
    finally:
        db_api.dispose()
    assert _act(d, share['id'], {'migration_complete': None})[0] == 202
    d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
               states.TASK_STATE_MIGRATION_SUCCESS)
    assert files.contents(_local(d, share['id'])) == before


def _export_hosts(d, share_id):
    _, body = d.request('GET', '/v2/shares/%s/export_locations' % share_id)
    return {el['path'].split(':', 1)[0] for el in body['export_locations']
            if not el['is_admin_only']}


def test_sighup_rereads_mutable_options_then_sigterm_stops_all(d):  # noqa
    first, _ = _share(d, count=1)
    assert _export_hosts(d, first['id']) == {'127.0.0.1'}
    # An operator edits the backend's section and sends SIGHUP.
    with open(os.path.join(d.workdir, 'share1.conf'), 'a') as f:
        f.write('[local1]\nlocal_export_host = 192.0.2.7\n')
    pid = d.procs['share1'].pid
    d.procs['share1'].send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while True:
        second, _ = _share(d, count=1)
        if _export_hosts(d, second['id']) == {'192.0.2.7'}:
            break
        assert time.monotonic() < deadline, d.dump_logs()
        time.sleep(0.5)
    assert d.procs['share1'].pid == pid      # no restart
    assert d.procs['share1'].poll() is None
    # Ensure re-applies it to the share made before.
    status, body = d.request('POST', '/v2/services/ensure-shares',
                             {'host': '%s@local1' % d.host})
    assert status == 202, body
    deadline = time.monotonic() + 60
    while _export_hosts(d, first['id']) != {'192.0.2.7'}:
        assert time.monotonic() < deadline, d.dump_logs()
        time.sleep(0.5)
    # SIGTERM: every service exits 0, promptly.
    for name in list(d.procs):
        code, took = _terminate(d, name)
        assert (code, took < 20) == (0, True), (name, code, took)
