"""A share or snapshot the driver fails to create tells its owner why:
upstream's user message ``create: An unknown error occurred.`` (action
002, detail 001), for the owner's project; a migration's destination
failing does not (the migration reports it)."""

from manila_lite.common import messages
from manila_lite.common import states
from manila_lite.db import messages as msg_db
from tests.unit import rows
from tests.unit.share import test_manager as helpers


def test_driver_failure_records_create_unknown_error(conf, db, admin_ctx):
    mgr = helpers._manager(conf, admin_ctx, driver=helpers.FAKE)
    mgr.driver.fail_on.add('create_share')
    share_id, _inst = helpers._created(mgr, db, admin_ctx,
                                       host='node1@b1#fake')
    assert db.share_get(admin_ctx, share_id).status == states.STATUS_ERROR
    [msg] = msg_db.message_get_all(admin_ctx)
    assert (msg.project_id, msg.resource_type, msg.resource_id,
            msg.action_id, msg.detail_id) == (
        'p1', 'SHARE', share_id, '002', '001')
    assert messages.user_message(msg) == (
        'create: An unknown error occurred.')


def test_migration_destination_failure_records_nothing(conf, db, admin_ctx):
    mgr = helpers._manager(conf, admin_ctx, driver=helpers.FAKE)
    mgr.driver.fail_on.add('create_share')
    share_id, inst = helpers._share(db, admin_ctx, host='node1@b1#fake')
    rows.share_update(admin_ctx, share_id, {
        'task_state': states.TASK_STATE_DATA_COPYING_STARTING})
    mgr.create_share_instance(admin_ctx, inst)
    assert db.share_instance_get(admin_ctx, inst).status == (
        states.STATUS_ERROR)
    assert msg_db.message_get_all(admin_ctx) == []


def test_snapshot_driver_failure_records_create_unknown_error(conf, db,
                                                              admin_ctx):
    mgr = helpers._manager(conf, admin_ctx, driver=helpers.FAKE)
    share_id, inst = helpers._created(mgr, db, admin_ctx,
                                      host='node1@b1#fake')
    mgr.driver.fail_on.add('create_snapshot')
    snap_id, snap_inst = helpers._snapshot(db, admin_ctx, share_id, inst)
    mgr.create_snapshot(admin_ctx, snap_inst)
    assert db.snapshot_instance_get(admin_ctx, snap_inst).status == (
        states.STATUS_ERROR)
    [msg] = msg_db.message_get_all(admin_ctx)
    # The snapshot's id (upstream names the snapshot instance, an id
    # its owner never sees).
    assert (msg.project_id, msg.resource_type, msg.resource_id,
            msg.action_id, msg.detail_id) == (
        'p1', 'SHARE_SNAPSHOT', snap_id, '002', '001')
