"""The migration's steps (share/migration.py ``_STEPS``) recover every
task_state a flow can be cut off in, and a cancel or a completion that
comes late does no harm:

* ``migration_cancel`` arriving just after a host-assisted copy ended
  undoes the migration once and ends there (it used to fall through to
  "cannot cancel migration in data_copying_in_progress");
* ``migration_completing`` left by a killed service (or a lost cast) is
  completed at the next start, and a late second completion is a no-op;
* ``migration_starting`` whose start never arrived ends in
  ``migration_error`` after ``transition_redrive_after``, never earlier;
* a start cut off inside the driver, or between the copy's last two
  task changes, is settled at the next start.
"""

import datetime
import os

from oslo_utils import timeutils

from manila_lite.common import config
from manila_lite.common import states
from manila_lite.share import manager as share_manager
from tests.unit import rows


def test_cancel_right_after_the_copy_ended_undoes_once(conf, db,
                                                       admin_ctx):
    config.register_backend_opts(conf, 'b1')
    conf.set_override('share_driver', 'local', group='b1')
    mgr = share_manager.ShareManager(conf, 'node1@b1', 'b1')
    stype = db.share_type_ensure(admin_ctx, 'default',
                                 {'driver_handles_share_servers': 'False'})
    share = db.share_create(
        admin_ctx, dict(project_id='p1', size=1, share_proto='NFS',
                        share_type_id=stype.id,
                        task_state=(
                            states.TASK_STATE_DATA_COPYING_IN_PROGRESS)),
        dict(status=states.STATUS_MIGRATING, host='node1@b1#pool1',
             share_type_id=stype.id, cast_rules_to_readonly=True))
    source = share.instances[0]
    dest = db.share_instance_create(admin_ctx, share.id, dict(
        status=states.STATUS_MIGRATING_TO, host='node1@b1#pool2',
        share_type_id=stype.id))
    db.data_copy_job_create(admin_ctx, dict(
        share_id=share.id, src_instance_id=source.id,
        dest_instance_id=dest.id, state=states.JOB_COMPLETED))

    mgr.migration_cancel(admin_ctx, share.id)

    shown = db.share_get(admin_ctx, share.id)
    assert shown.task_state == states.TASK_STATE_MIGRATION_CANCELLED
    by_id = {i.id: i for i in shown.instances}
    assert by_id[source.id].status == states.STATUS_AVAILABLE
    assert not by_id[source.id].cast_rules_to_readonly
    assert by_id[dest.id].status == states.STATUS_DELETING


def test_a_completion_cut_off_is_finished_by_the_next_start(conf, db,
                                                            admin_ctx):
    """The share service died just after ``migration_complete`` set the
    task (or the cast was lost): the share stayed ``migration_completing``
    for good. The next start of the source's share service completes it;
    later, the periodic poll does so for a completion older than
    ``transition_redrive_after``."""
    config.register_backend_opts(conf, 'b1')
    conf.set_override('share_driver', 'local', group='b1')
    mgr = share_manager.ShareManager(conf, 'node1@b1', 'b1')
    mgr.init_host(admin_ctx)
    stype = db.share_type_ensure(admin_ctx, 'default',
                                 {'driver_handles_share_servers': 'False'})
    share = db.share_create(
        admin_ctx, dict(project_id='p1', size=1, share_proto='NFS',
                        share_type_id=stype.id),
        dict(status=states.STATUS_CREATING, host='node1@b1#pool1',
             share_type_id=stype.id))
    source = share.instances[0]
    mgr.create_share_instance(admin_ctx, source.id)
    dest = db.share_instance_create(admin_ctx, share.id, dict(
        status=states.STATUS_CREATING, host='node1@b1#pool2',
        share_type_id=stype.id))
    mgr.create_share_instance(admin_ctx, dest.id)
    rows.share_instance_update(admin_ctx, source.id,
                             {'status': states.STATUS_MIGRATING})
    rows.share_instance_update(admin_ctx, dest.id,
                             {'status': states.STATUS_MIGRATING_TO})
    db.data_copy_job_create(admin_ctx, dict(
        share_id=share.id, src_instance_id=source.id,
        dest_instance_id=dest.id, state=states.JOB_COMPLETED))
    rows.share_update(admin_ctx, share.id, {
        'task_state': states.TASK_STATE_MIGRATION_COMPLETING})
    src_path = mgr.driver.share_path(db.share_instance_get(admin_ctx,
                                                           source.id))

    # A live service's poll leaves a fresh completion to its cast...
    mgr.periodic_tasks(admin_ctx)
    assert db.share_get(admin_ctx, share.id).task_state == (
        states.TASK_STATE_MIGRATION_COMPLETING)

    # ... a restarted one finishes it.
    share_manager.ShareManager(conf, 'node1@b1', 'b1').init_host(admin_ctx)
    shown = db.share_get(admin_ctx, share.id)
    assert shown.task_state == states.TASK_STATE_MIGRATION_SUCCESS
    assert [i.id for i in shown.instances] == [dest.id]
    assert shown.instances[0].status == states.STATUS_AVAILABLE
    assert not os.path.exists(src_path)


def _migrating_share(mgr, db, ctx, task, *, dest_status=None):
    """A share whose source instance (on disk) is migrating."""
    stype = db.share_type_ensure(ctx, 'default',
                                 {'driver_handles_share_servers': 'False'})
    share = db.share_create(
        ctx, dict(project_id='p1', size=1, share_proto='NFS',
                  share_type_id=stype.id),
        dict(status=states.STATUS_CREATING, host='node1@b1#pool1',
             share_type_id=stype.id))
    mgr.create_share_instance(ctx, share.instances[0].id)
    rows.share_instance_update(ctx, share.instances[0].id,
                             {'status': states.STATUS_MIGRATING})
    rows.share_update(ctx, share.id, {'task_state': task})
    dest = None
    if dest_status is not None:
        dest = db.share_instance_create(ctx, share.id, dict(
            status=dest_status, host='node1@b1#pool2',
            share_type_id=stype.id))
    return db.share_get(ctx, share.id), dest


def _started(conf, ctx, *, after=60):
    config.register_backend_opts(conf, 'b1')
    conf.set_override('share_driver', 'local', group='b1')
    conf.set_override('transition_redrive_after', after)
    mgr = share_manager.ShareManager(conf, 'node1@b1', 'b1')
    mgr.init_host(ctx)
    return mgr


def _age(db, ctx, share_id, seconds):
    db.share_update(ctx, share_id, {
        'updated_at': timeutils.utcnow() - datetime.timedelta(
            seconds=seconds)})


def test_a_start_that_never_arrived_ends_in_error_once_stale(conf, db,
                                                            admin_ctx):
    share, _ = _migrating_share(_started(conf, admin_ctx), db, admin_ctx,
                                states.TASK_STATE_MIGRATION_STARTING)
    # A start may still be queued for a service that just started.
    mgr = _started(conf, admin_ctx)
    assert db.share_get(admin_ctx, share.id).task_state == (
        states.TASK_STATE_MIGRATION_STARTING)
    _age(db, admin_ctx, share.id, 61)
    mgr._redrive_at = 0.0
    mgr.periodic_tasks(admin_ctx)
    shown = db.share_get(admin_ctx, share.id)
    assert shown.task_state == states.TASK_STATE_MIGRATION_ERROR
    assert shown.instances[0].status == states.STATUS_AVAILABLE


def test_a_start_cut_off_in_the_driver_is_undone_at_start_up(conf, db,
                                                            admin_ctx):
    share, dest = _migrating_share(
        _started(conf, admin_ctx), db, admin_ctx,
        states.TASK_STATE_MIGRATION_DRIVER_STARTING,
        dest_status=states.STATUS_MIGRATING_TO)
    _started(conf, admin_ctx)
    shown = db.share_get(admin_ctx, share.id)
    assert shown.task_state == states.TASK_STATE_MIGRATION_ERROR
    assert [i.id for i in shown.instances] == [share.instances[0].id]
    assert shown.instances[0].status == states.STATUS_AVAILABLE


def test_a_copy_cut_off_while_completing_reaches_completed(conf, db,
                                                          admin_ctx):
    share, _dest = _migrating_share(
        _started(conf, admin_ctx), db, admin_ctx,
        states.TASK_STATE_DATA_COPYING_COMPLETING,
        dest_status=states.STATUS_MIGRATING_TO)
    _started(conf, admin_ctx)
    assert db.share_get(admin_ctx, share.id).task_state == (
        states.TASK_STATE_DATA_COPYING_COMPLETED)


def test_a_late_completion_after_success_changes_nothing(conf, db,
                                                         admin_ctx):
    mgr = _started(conf, admin_ctx)
    share, _dest = _migrating_share(
        mgr, db, admin_ctx, states.TASK_STATE_MIGRATION_SUCCESS)
    mgr.migration_complete(admin_ctx, share.id)
    assert db.share_get(admin_ctx, share.id).task_state == (
        states.TASK_STATE_MIGRATION_SUCCESS)


def test_a_cancel_cut_off_during_the_final_pass_is_finished(conf, db,
                                                            admin_ctx):
    """A writable migration cancelled during its read-only final pass,
    its share service killed while the data service stopped the pass:
    the next start waits for the pass to end, then the source is
    writable again, the destination goes and the share is cancelled."""
    mgr = _started(conf, admin_ctx)
    share, dest = _migrating_share(
        mgr, db, admin_ctx, states.TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS,
        dest_status=states.STATUS_MIGRATING_TO)
    source = share.instances[0]
    rows.share_instance_update(admin_ctx, source.id,
                               {'cast_rules_to_readonly': True})
    for number, state in ((1, states.JOB_COMPLETED),
                          (2, states.JOB_CANCELLING)):
        job = db.data_copy_job_create(admin_ctx, dict(
            share_id=share.id, src_instance_id=source.id,
            dest_instance_id=dest.id, state=state, sync_pass=number,
            final=number == 2))
    mgr = _started(conf, admin_ctx)
    # The pass still stops: nothing is undone under it.
    shown = db.share_get(admin_ctx, share.id)
    assert shown.task_state == states.TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS
    assert {i.id: i.status for i in shown.instances} == {
        source.id: states.STATUS_MIGRATING,
        dest.id: states.STATUS_MIGRATING_TO}
    rows.data_copy_job_update(admin_ctx, job.id,
                              {'state': states.JOB_CANCELLED})
    mgr.migration_poll(admin_ctx, share.id)
    shown = db.share_get(admin_ctx, share.id)
    assert shown.task_state == states.TASK_STATE_MIGRATION_CANCELLED
    by_id = {i.id: i for i in shown.instances}
    assert by_id[source.id].status == states.STATUS_AVAILABLE
    assert not by_id[source.id].cast_rules_to_readonly
    assert by_id[dest.id].status == states.STATUS_DELETING
    # A second cancel (or its late cast) changes nothing.
    mgr.migration_cancel(admin_ctx, share.id)
    assert db.share_get(admin_ctx, share.id).task_state == (
        states.TASK_STATE_MIGRATION_CANCELLED)
