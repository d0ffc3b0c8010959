"""``migration_cancel`` arriving just after a host-assisted copy ended
(the job completed, the poll not yet advanced the task): the migration
is undone once and the cancel ends there. Before, it fell through to
"cannot cancel migration in data_copying_in_progress" after undoing."""

import os

from manila_lite.common import config
from manila_lite.common import states
from manila_lite.share import manager as share_manager


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
    db.share_instance_update(admin_ctx, source.id,
                             {'status': states.STATUS_MIGRATING})
    db.share_instance_update(admin_ctx, dest.id,
                             {'status': states.STATUS_MIGRATING_TO})
    db.data_copy_job_create(admin_ctx, dict(
        share_id=share.id, src_instance_id=source.id,
        dest_instance_id=dest.id, state=states.JOB_COMPLETED))
    db.share_update(admin_ctx, share.id, {
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
