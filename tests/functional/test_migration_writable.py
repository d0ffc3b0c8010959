"""Writable host-assisted migration across real processes (RabbitMQ,
MariaDB): two local backends that decline driver-assisted migration, a
writer process changing the source for the whole of phase 1 until
``migration_complete`` makes it read-only, and the data or share
service killed with SIGKILL in the middle of a pass."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests import writer as writer_mod
from tests.functional.test_migration import _act
from tests.functional.test_migration import _local
from tests.functional.test_migration import _share
from tests.functional.test_migration import _start

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


@pytest.fixture
def d(writable_d):
    """Two local backends declining driver-assisted migration (see
    ``writable_d`` in conftest.py)."""
    return writable_d


class WriterProcess:
    """``python -m tests.writer`` against a share's directory."""

    def __init__(self, root, seed, out):
        self.out = out
        self.proc = subprocess.Popen(
            [sys.executable, '-m', 'tests.writer', root, str(seed), out],
            cwd=REPO)

    def result(self, timeout=60):
        """Wait for the writer to stop by itself (read-only seen)."""
        self.proc.wait(timeout)
        with open(self.out) as f:
            return json.load(f)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)


def _prepared_share(d, tmp_path, count=300):
    share, path = _share(d, count=count, size=4096)
    status, body = _act(d, share['id'], {'allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.0/24',
        'access_level': 'rw'}})
    assert status == 200, body
    d.wait_for('/v2/shares/' + share['id'], 'share', 'access_rules_status',
               'active')
    assert writer_mod.export_level(path) == 'rw'
    writer = WriterProcess(path, 11, str(tmp_path / 'writer.json'))
    return share, path, writer


def _jobs(d, share_id):
    conf = d.client_conf()
    db_api.configure(conf)
    try:
        return db_api.data_copy_job_get_all(context.get_admin_context(),
                                            share_id=share_id)
    finally:
        db_api.dispose()


def _wait_job(d, share_id, wanted, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        jobs = _jobs(d, share_id)
        for job in jobs:
            if wanted(job):
                return job
        assert time.monotonic() < deadline, ([
            (j.sync_pass, j.state, j.final) for j in jobs], d.dump_logs())
        time.sleep(0.02)


def _start_writable(d, share):
    status, body = _start(d, share['id'], '%s@local2#pool1' % d.host,
                          writable='True', preserve_metadata='True')
    assert status == 202, body


def _finish_and_compare(d, share, path, writer):
    moved = d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                       'migration_success', timeout=180)
    result = writer.result()
    assert result['error'] is None, result['error']
    assert result['readonly_seen']
    assert moved['host'] == '%s@local2#pool1' % d.host
    got = json.loads(json.dumps(writer_mod.tree(_local(d, share['id']))))
    # The destination is the source at the read-only instant: 0 writes
    # lost, content and metadata.
    assert got == result['expected']
    writer_mod.wait_gone(path)
    _, body = d.request('GET', '/v2/shares/%s/migration-progress'
                        % share['id'])
    print('writer: %d changes %s; %s' % (result['ops'], result['counts'],
                                         body['details']))
    return result


def test_writer_through_phase1_loses_nothing(d, tmp_path):
    share, path, writer = _prepared_share(d, tmp_path)
    try:
        _start_writable(d, share)
        d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                   'data_copying_completed', timeout=180)
        # Phase 1 ran with the source exported read-write; the writer
        # still writes.
        assert writer.proc.poll() is None
        assert writer_mod.export_level(path) == 'rw'
        _, body = d.request('GET', '/v2/shares/%s/migration-progress'
                            % share['id'])
        assert body['details']['pass'] >= 2, body
        time.sleep(2)  # keep-close passes meanwhile
        assert _act(d, share['id'], {'migration_complete': None})[0] == 202
        result = _finish_and_compare(d, share, path, writer)
    finally:
        writer.kill()
    assert result['ops'] > 100
    assert set(result['counts']) == {
        'create', 'overwrite', 'append', 'rename', 'delete', 'link',
        'xattr', 'chmod'}


def test_data_service_killed_during_an_incremental_pass(d, tmp_path):
    share, path, writer = _prepared_share(d, tmp_path, count=2000)
    try:
        _start_writable(d, share)
        _wait_job(d, share['id'], lambda j: (
            j.sync_pass >= 2 and j.state == states.JOB_RUNNING))
        d.stop('data', sig=signal.SIGKILL)
        d.start('data')
        d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                   'data_copying_completed', timeout=180)
        assert _act(d, share['id'], {'migration_complete': None})[0] == 202
        _finish_and_compare(d, share, path, writer)
    finally:
        writer.kill()


def test_share_service_killed_during_the_final_pass(d, tmp_path):
    share, path, writer = _prepared_share(d, tmp_path, count=2000)
    try:
        _start_writable(d, share)
        d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                   'data_copying_completed', timeout=180)
        assert _act(d, share['id'], {'migration_complete': None})[0] == 202
        _wait_job(d, share['id'], lambda j: j.final)
        d.stop('share1', sig=signal.SIGKILL)
        d.start('share1')
        _finish_and_compare(d, share, path, writer)
    finally:
        writer.kill()
