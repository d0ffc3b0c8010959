"""Writable host-assisted migration in the embedded suite: two local
backends that decline driver-assisted migration (as two vendors would),
a writer changing the source through phase 1 until
``migration_complete`` makes it read-only, and the destination equal to
the source at that instant."""

import contextlib
import os
import threading
import time

import pytest

from manila_lite.common import config
from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from manila_lite.share.drivers import local
from tests import writer as writer_mod
from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for
from tests.unit.test_migration import _action
from tests.unit.test_migration import _dest
from tests.unit.test_migration import _share
from tests.unit.test_migration import _start

V = '2.98'


@pytest.fixture
def conf(conf):
    """Both backends decline driver-assisted migration; small pass
    thresholds (the embedded ``stack`` is built from this)."""
    conf.set_override('migration_sync_bytes', 64 * 1024)
    conf.set_override('migration_sync_files', 20)
    conf.set_override('migration_sync_max_passes', 6)
    conf.set_override('migration_sync_interval', 1)
    for backend in ('local1', 'local2'):
        config.register_backend_opts(conf, backend, local.LOCAL_OPTS)
        conf.set_override('local_driver_assisted_migration', False,
                          group=backend)
    return conf


@contextlib.contextmanager
def _writing(path, seed, populate=0):
    """A writer changing ``path`` in a thread until the share turns
    read-only or the block ends."""
    writer = writer_mod.Writer(path, seed=seed)
    writer.populate(populate)
    thread = threading.Thread(target=writer.run, daemon=True)
    thread.start()
    try:
        yield writer
    finally:
        writer.stop()
        thread.join(10)
    assert writer.error is None, writer.error


def _allow(stack, share_id):
    resp = _action(stack, share_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.0/24',
        'access_level': 'rw'}})
    assert resp.status_int == 200, resp.body
    wait_for(stack, '/v2/shares/' + share_id, 'share',
             'access_rules_status', 'active')


def _progress(stack, share_id):
    return stack('GET', '/v2/shares/%s/migration-progress' % share_id,
                 version=V).json_body_or_none


def _jobs(share_id):
    return db_api.data_copy_job_get_all(context.get_admin_context(),
                                        share_id=share_id)


def test_writer_through_phase1_loses_nothing(stack, monkeypatch):  # noqa
    from manila_lite.common import notifier

    sent = []
    real_info = notifier.Notifier.info

    def info(self, ctx, event_type, payload):
        sent.append((event_type, payload))
        return real_info(self, ctx, event_type, payload)

    monkeypatch.setattr(notifier.Notifier, 'info', info)
    share, path = _share(stack, count=200)
    _allow(stack, share['id'])
    with _writing(path, seed=7, populate=300) as writer:
        resp = _start(stack, share['id'], _dest(stack, 'local2', 'pool1'),
                      writable=True, preserve_metadata=True)
        assert resp.status_int == 202, resp.body
        wait_for(stack, '/v2/shares/' + share['id'], 'share',
                 'task_state', 'data_copying_completed', timeout=60)
        # Phase 1 ran with the source exported read-write.
        assert writer.readonly_seen is None
        assert writer_mod.export_level(path) == 'rw'
        details = _progress(stack, share['id'])['details']
        assert details['pass'] >= 2, details
        assert 'estimated_final_window_seconds' in details
        # The share stays writable while the admin waits: keep-close
        # passes follow the writer.
        passes = details['pass']
        deadline = time.monotonic() + 30
        while _progress(stack, share['id'])['details']['pass'] < passes + 2:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert _action(stack, share['id'], {'migration_complete': None}
                       ).status_int == 202
        moved = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                         'task_state', 'migration_success', timeout=60)
    assert writer.readonly_seen is not None
    assert moved['host'] == _dest(stack, 'local2', 'pool1')
    assert moved['status'] == 'available'
    new_path = local_path(stack, share['id'])
    assert writer.ops > 50, writer.ops
    # The destination is the source at the read-only instant: every
    # write the writer made (and saw succeed) is there, metadata too.
    assert writer_mod.tree(new_path) == writer.expected
    writer_mod.wait_gone(path)
    progress = _progress(stack, share['id'])
    details = progress['details']
    end, = [p for e, p in sent if e == 'share.migration.end']
    assert end['writable'] and end['passes'] == details['pass']
    assert end['final_window_seconds'] == details['final_window_seconds']
    assert end['readonly_window_seconds'] >= details['final_window_seconds']
    print('writer ops %d, passes %d, read-only window %.3f s (%.3f s '
          'until the final pass ended)' % (
              writer.ops, details['pass'], end['readonly_window_seconds'],
              details['final_window_seconds']))
    jobs = _jobs(share['id'])
    assert jobs[-1].final and jobs[-1].state == states.JOB_COMPLETED
    assert [j.sync_pass for j in jobs] == list(range(1, len(jobs) + 1))


def test_cancel_in_phase1_leaves_the_share_writable_at_its_source(
        stack):
    share, path = _share(stack, count=100)
    _allow(stack, share['id'])
    with _writing(path, seed=3, populate=50) as writer:
        resp = _start(stack, share['id'], _dest(stack, 'local2', 'pool1'),
                      writable=True)
        assert resp.status_int == 202, resp.body
        wait_for(stack, '/v2/shares/' + share['id'], 'share',
                 'task_state', 'data_copying_completed', timeout=60)
        assert _action(stack, share['id'], {'migration_cancel': None}
                       ).status_int == 202
        back = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                        'task_state', 'migration_cancelled', timeout=30)
    assert writer.readonly_seen is None
    assert back['status'] == 'available'
    assert back['host'].startswith(stack.conf.host + '@local1#')
    assert local_path(stack, share['id']) == path
    assert writer_mod.export_level(path) == 'rw'
    assert writer_mod.tree(path) == writer.expected


def test_nondisruptive_still_needs_the_driver(stack):
    share, path = _share(stack, count=3)
    resp = _start(stack, share['id'], _dest(stack, 'local2', 'pool1'),
                  writable=True, nondisruptive=True)
    assert resp.status_int == 202, resp.body
    back = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                    'task_state', 'migration_error', timeout=30)
    assert back['status'] == 'available'
    assert local_path(stack, share['id']) == path
    assert _jobs(share['id']) == []


def test_force_host_assisted_with_writable_is_upstreams_400(
        stack):
    share, _path = _share(stack, count=0)
    resp = _start(stack, share['id'], _dest(stack, 'local2', 'pool1'),
                  writable=True, force_host_assisted_migration=True)
    assert resp.status_int == 400
    assert 'force_host_assisted_migration' in resp.json_body_or_none[
        'badRequest']['message']


class _HeldFinalPass:
    """Holds the read-only final pass of a writable migration at its
    start (the data service runs in this process) until the test lets
    it go or the pass is cancelled: the test acts while it runs."""

    def __init__(self, monkeypatch):
        from manila_lite.data import copy as copy_engine

        self.entered = threading.Event()
        self.release = threading.Event()
        self.dest = None
        real_run = copy_engine.CopyJob.run
        held = self

        def run(job):
            if not job.live and not held.entered.is_set():
                held.dest = job.dest
                held.entered.set()
                while not (held.release.is_set() or job.cancelled):
                    held.release.wait(0.05)
            return real_run(job)

        monkeypatch.setattr(copy_engine.CopyJob, 'run', run)


def test_cancel_during_the_final_pass_leaves_the_share_writable_at_its_source(  # noqa: E501
        stack, monkeypatch):
    held = _HeldFinalPass(monkeypatch)
    share, path = _share(stack, count=50)
    _allow(stack, share['id'])
    before = writer_mod.tree(path)
    resp = _start(stack, share['id'], _dest(stack, 'local2', 'pool1'),
                  writable=True)
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'data_copying_completed', timeout=60)
    assert _action(stack, share['id'], {'migration_complete': None}
                   ).status_int == 202
    try:
        assert held.entered.wait(60)
        # The final pass runs with the source read-only.
        assert writer_mod.export_level(path) == 'ro'
        got = _progress(stack, share['id'])
        assert got['task_state'] == 'migration_completing'
        assert got['details']['final_pass'] is True
        resp = _action(stack, share['id'], {'migration_cancel': None})
        assert resp.status_int == 202, resp.body
        back = wait_for(stack, '/v2/shares/' + share['id'], 'share',
                        'task_state', 'migration_cancelled', timeout=30)
    finally:
        held.release.set()
    assert back['status'] == 'available'
    assert back['host'].startswith(stack.conf.host + '@local1#')
    assert local_path(stack, share['id']) == path
    # Writable again at its source, its content untouched.
    assert writer_mod.export_level(path) == 'rw'
    assert writer_mod.tree(path) == before
    with open(os.path.join(path, 'after-cancel'), 'wb') as f:
        f.write(b'still writable')
    writer_mod.wait_gone(held.dest)
    final = [j for j in _jobs(share['id']) if j.final]
    assert [j.state for j in final] == [states.JOB_CANCELLED]
    # The destination's row goes once its files are gone.
    deadline = time.monotonic() + 30
    while True:
        instances = db_api.share_get(context.get_admin_context(),
                                     share['id']).instances
        if len(instances) == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert [(i.status, i.host) for i in instances] == [
        ('available', back['host'])]


def test_cancel_after_the_switch_is_upstreams_400(stack):
    share, _path = _share(stack, count=3)
    resp = _start(stack, share['id'], _dest(stack, 'local2', 'pool1'),
                  writable=True)
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'data_copying_completed', timeout=60)
    assert _action(stack, share['id'], {'migration_complete': None}
                   ).status_int == 202
    wait_for(stack, '/v2/shares/' + share['id'], 'share', 'task_state',
             'migration_success', timeout=60)
    resp = _action(stack, share['id'], {'migration_cancel': None})
    assert resp.status_int == 400
    assert 'cannot be cancelled' in resp.json_body_or_none[
        'badRequest']['message']


def test_cancel_while_completing_a_read_only_migration_is_upstreams_400(
        stack):
    """Only a writable migration is cancellable once
    ``migration_completing``: any other answers upstream's 400, and
    nothing changes."""
    from tests.unit import rows

    ctx = context.get_admin_context()
    share, _path = _share(stack, count=1)
    source = db_api.share_get(ctx, share['id']).instances[0]
    dest = db_api.share_instance_create(ctx, share['id'], dict(
        status=states.STATUS_MIGRATING_TO,
        host=_dest(stack, 'local2', 'pool1'),
        share_type_id=source.share_type_id))
    rows.share_instance_update(ctx, source.id, {
        'status': states.STATUS_MIGRATING, 'cast_rules_to_readonly': True})
    rows.share_update(ctx, share['id'], {
        'task_state': states.TASK_STATE_MIGRATION_COMPLETING})
    db_api.data_copy_job_create(ctx, dict(
        share_id=share['id'], src_instance_id=source.id,
        dest_instance_id=dest.id, state=states.JOB_COMPLETED))
    resp = _action(stack, share['id'], {'migration_cancel': None})
    assert resp.status_int == 400
    assert ('cannot be cancelled in task state migration_completing'
            in resp.json_body_or_none['badRequest']['message'])
    assert db_api.share_get(ctx, share['id']).task_state == (
        states.TASK_STATE_MIGRATION_COMPLETING)
