"""Copy jobs run by the data service's JobRunner on real SQLite and real
directories: claim, progress in the DB, completion, cancel, takeover."""

import datetime
import os
import threading
import time

from oslo_utils import timeutils

from manila_lite.common import states
from manila_lite.data import copy
from manila_lite.data import jobs
from manila_lite.data import manager as data_manager
from tests.unit import rows


def _instance(db, ctx, share_id, path):
    inst = db.share_instance_create(ctx, share_id, {
        'status': states.STATUS_AVAILABLE, 'host': 'h@b#p'})
    db.export_locations_replace(ctx, inst.id, [
        {'path': 'h:' + path, 'preferred': True},
        {'path': path, 'is_admin_only': True}])
    return inst


def _setup(db, ctx, tmp_path, nfiles=20, size=4096):
    tmp_path.mkdir(exist_ok=True)
    stype = db.share_type_create(ctx, {'name': tmp_path.name}, {
        'driver_handles_share_servers': 'False'})
    share = db.share_create(ctx, dict(project_id='p', size=1,
                                      share_proto='NFS',
                                      share_type_id=stype.id),
                            dict(status=states.STATUS_AVAILABLE))
    src, dest = tmp_path / 'src', tmp_path / 'dest'
    src.mkdir()
    dest.mkdir()
    for i in range(nfiles):
        (src / ('f%d' % i)).write_bytes(os.urandom(size))
    a = _instance(db, ctx, share.id, str(src))
    b = _instance(db, ctx, share.id, str(dest))
    job = db.data_copy_job_create(ctx, dict(
        share_id=share.id, src_instance_id=a.id, dest_instance_id=b.id,
        state=states.JOB_QUEUED))
    return job, src, dest


def _wait(db, ctx, job_id, wanted, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = db.data_copy_job_get(ctx, job_id)
        if job.state in wanted:
            return job
        time.sleep(0.02)
    raise AssertionError('job stuck in %s' % job.state)


def test_job_copies_and_records_progress(conf, db, admin_ctx, tmp_path):
    job, src, dest = _setup(db, admin_ctx, tmp_path)
    finished = []
    runner = jobs.JobRunner(conf, 'data1',
                            on_finished=lambda c, j: finished.append(j.id))
    assert runner.start(admin_ctx, job.id)
    assert not runner.start(admin_ctx, job.id)  # already claimed
    done = _wait(db, admin_ctx, job.id, states.JOB_FINAL)
    assert done.state == states.JOB_COMPLETED, done.error_message
    assert done.owner == 'data1'
    assert (done.bytes_done, done.files_done) == (20 * 4096, 20)
    assert sorted(os.listdir(dest)) == sorted(os.listdir(src))
    for name in os.listdir(src):
        assert (dest / name).read_bytes() == (src / name).read_bytes()
    deadline = time.monotonic() + 5
    while not finished and time.monotonic() < deadline:
        time.sleep(0.01)
    assert finished == [job.id]
    assert done.verify_algorithm is None  # not verified


def test_verified_job_records_its_digest(conf, db, admin_ctx, tmp_path):
    runner = jobs.JobRunner(conf, 'data1')
    for algorithm in ('xxh3_128', 'blake2b'):
        conf.set_override('check_hash_algorithm', algorithm)
        job, src, dest = _setup(db, admin_ctx, tmp_path / algorithm)
        rows.data_copy_job_update(admin_ctx, job.id, {'verify': True})
        assert runner.start(admin_ctx, job.id)
        done = _wait(db, admin_ctx, job.id, states.JOB_FINAL)
        assert done.state == states.JOB_COMPLETED, done.error_message
        assert done.verify_algorithm == algorithm
        for name in os.listdir(src):
            assert (dest / name).read_bytes() == (src / name).read_bytes()


def test_cancel_through_the_database(conf, db, admin_ctx, tmp_path,
                                     monkeypatch):
    job, src, dest = _setup(db, admin_ctx, tmp_path, nfiles=40)
    real = copy.CopyJob._copy_range

    def slow(self, *args):
        time.sleep(0.05)  # a slow disk, so the copy is still running
        return real(self, *args)

    monkeypatch.setattr(copy.CopyJob, '_copy_range', slow)
    runner = jobs.JobRunner(conf, 'data1')
    # Another data service receives the cancel: it only flips the row;
    # the owner notices at its next progress write.
    other = jobs.JobRunner(conf, 'data2')
    runner.start(admin_ctx, job.id)
    _wait(db, admin_ctx, job.id, {states.JOB_RUNNING})
    other.cancel(admin_ctx, job.id)
    done = _wait(db, admin_ctx, job.id, states.JOB_FINAL)
    assert done.state == states.JOB_CANCELLED
    assert done.files_done < 40
    assert len(os.listdir(src)) == 40


def test_queued_job_cancels_at_once(conf, db, admin_ctx, tmp_path):
    job, _src, _dest = _setup(db, admin_ctx, tmp_path)
    jobs.JobRunner(conf, 'data1').cancel(admin_ctx, job.id)
    assert db.data_copy_job_get(admin_ctx, job.id).state == (
        states.JOB_CANCELLED)


def test_orphaned_job_is_adopted(conf, db, admin_ctx, tmp_path):
    job, src, dest = _setup(db, admin_ctx, tmp_path)
    stale = timeutils.utcnow() - datetime.timedelta(seconds=600)
    rows.data_copy_job_update(admin_ctx, job.id, {
        'state': states.JOB_RUNNING, 'owner': 'dead-node',
        'heartbeat_at': stale})
    manager = data_manager.DataManager(conf, 'data2')
    manager.init_host(admin_ctx)
    done = _wait(db, admin_ctx, job.id, states.JOB_FINAL)
    assert done.state == states.JOB_COMPLETED
    assert done.owner == 'data2'
    assert sorted(os.listdir(dest)) == sorted(os.listdir(src))


def test_unreachable_instance_fails_the_job(conf, db, admin_ctx, tmp_path):
    job, src, _dest = _setup(db, admin_ctx, tmp_path)
    os.rename(src, str(src) + '.gone')
    jobs.JobRunner(conf, 'data1').start(admin_ctx, job.id)
    done = _wait(db, admin_ctx, job.id, states.JOB_FINAL)
    assert done.state == states.JOB_ERROR
    assert 'local path' in done.error_message


def test_stop_all_while_a_job_is_starting(conf, db, admin_ctx, tmp_path,
                                          monkeypatch):
    """SIGTERM (stop_all) between the claim and the engine's creation
    used to let that copy run to its end; now it stops at once, stays
    ``running`` for a resume, and no new job is claimed."""
    job, src, dest = _setup(db, admin_ctx, tmp_path, nfiles=50)
    runner = jobs.JobRunner(conf, 'data1')
    real_attach = runner.access.attach

    def slow_attach(instance):
        # SIGTERM arrives while the job attaches its shares.
        stopper = threading.Thread(target=runner.stop_all,
                                   kwargs={'wait': 0})
        stopper.start()
        stopper.join()
        return real_attach(instance)

    monkeypatch.setattr(runner.access, 'attach', slow_attach)
    assert runner.start(admin_ctx, job.id)
    deadline = time.monotonic() + 10
    while runner._running and time.monotonic() < deadline:
        time.sleep(0.02)
    stopped = db.data_copy_job_get(admin_ctx, job.id)
    assert stopped.state == states.JOB_RUNNING
    assert stopped.files_done < 50
    assert len(os.listdir(dest)) < 50
    (tmp_path / 'later').mkdir()
    other, _, _ = _setup(db, admin_ctx, tmp_path / 'later', nfiles=1)
    assert runner.start(admin_ctx, other.id) is False
    assert db.data_copy_job_get(admin_ctx, other.id).state == \
        states.JOB_QUEUED


def test_a_recovery_right_after_the_claim_does_not_run_the_job_twice(
        conf, db, admin_ctx, tmp_path, monkeypatch):
    """The periodic recovery reading the job between its claim and the
    runner recording it as its own used to start a second copy of it
    (two engines writing one destination)."""
    job, _src, _dest = _setup(db, admin_ctx, tmp_path)
    runner = jobs.JobRunner(conf, 'data1')
    spawned = []
    real_spawn = runner._spawn
    monkeypatch.setattr(runner, '_spawn', lambda job_id: (
        spawned.append(job_id), real_spawn(job_id)))
    real_transition = jobs.db.data_copy_job_transition
    recovered = []

    def transition(ctx, job_id, *args, **kwargs):
        moved = real_transition(ctx, job_id, *args, **kwargs)
        if kwargs.get('event') == 'claim' and not recovered:
            # The periodic task, in another thread, just now.
            thread = threading.Thread(target=runner.recover,
                                      args=(admin_ctx,))
            thread.start()
            recovered.append(thread)
            thread.join(0.5)
        return moved

    monkeypatch.setattr(jobs.db, 'data_copy_job_transition', transition)
    assert runner.start(admin_ctx, job.id)
    recovered[0].join(10)
    _wait(db, admin_ctx, job.id, {states.JOB_COMPLETED})
    assert spawned == [job.id]
