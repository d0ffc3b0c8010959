"""The conditional updates of the recycle bin and of revert: whichever
of soft delete, restore and purge (or of two reverts) commits first
wins; the others change nothing."""

import datetime

from oslo_utils import timeutils
import pytest

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import recycle
from manila_lite.db import revert
from tests.unit import rows


def _share(db, ctx, status=states.STATUS_AVAILABLE):
    stype = db.share_type_ensure(ctx, 'default',
                                 {'driver_handles_share_servers': 'False'})
    share = db.share_create(
        ctx, dict(project_id='p1', size=1, share_proto='NFS',
                  share_type_id=stype.id),
        dict(status=status, host='node1@b1#pool1', share_type_id=stype.id))
    return share.id, share.instances[0].id


def test_soft_delete_loses_to_a_resize_that_began(db, admin_ctx):
    share_id, inst = _share(db, admin_ctx, states.STATUS_EXTENDING)
    assert not recycle.soft_delete(admin_ctx, share_id, 60)
    assert db.share_get(admin_ctx, share_id).is_soft_deleted is False


def test_soft_delete_refuses_a_busy_share(db, admin_ctx):
    share_id, _inst = _share(db, admin_ctx)
    rows.share_update(admin_ctx, share_id, {
        'task_state': states.TASK_STATE_MIGRATION_STARTING})
    assert not recycle.soft_delete(admin_ctx, share_id, 60)


def test_a_purge_that_began_cannot_be_restored(db, admin_ctx):
    share_id, inst = _share(db, admin_ctx)
    assert recycle.soft_delete(admin_ctx, share_id, 0)
    later = timeutils.utcnow() + datetime.timedelta(seconds=1)
    assert recycle.expired_on_host(admin_ctx, 'node1@b1', later) == [
        share_id]
    assert recycle.start_purge(admin_ctx, share_id, later) == [
        (inst, 'node1@b1#pool1')]
    assert not recycle.restore(admin_ctx, share_id)
    share = db.share_get(admin_ctx, share_id)
    assert share.is_soft_deleted is True
    assert share.status == states.STATUS_DELETING


def test_a_restore_first_stops_the_purge(db, admin_ctx):
    share_id, _inst = _share(db, admin_ctx)
    assert recycle.soft_delete(admin_ctx, share_id, 0)
    later = timeutils.utcnow() + datetime.timedelta(seconds=1)
    assert recycle.restore(admin_ctx, share_id)
    assert recycle.start_purge(admin_ctx, share_id, later) is None
    assert recycle.expired_on_host(admin_ctx, 'node1@b1', later) == []
    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_AVAILABLE)


def test_not_expired_yet_is_not_purged(db, admin_ctx):
    share_id, _inst = _share(db, admin_ctx)
    assert recycle.soft_delete(admin_ctx, share_id, 3600)
    assert recycle.expired_on_host(admin_ctx, 'node1@b1') == []
    assert recycle.start_purge(admin_ctx, share_id) is None


def test_a_second_revert_or_a_busy_share_moves_nothing(db, admin_ctx):
    share_id, inst = _share(db, admin_ctx)
    snap = db.snapshot_create(
        admin_ctx, dict(share_id=share_id, project_id='p1', size=1),
        dict(share_instance_id=inst, status=states.STATUS_AVAILABLE))
    snap_inst = snap.instance.id
    revert.start(admin_ctx, share_id, inst, snap_inst)
    with pytest.raises(exceptions.InvalidState):
        revert.start(admin_ctx, share_id, inst, snap_inst)
    revert.undo_start(admin_ctx, inst, snap_inst)
    rows.share_update(admin_ctx, share_id, {
        'task_state': states.TASK_STATE_MIGRATION_IN_PROGRESS})
    with pytest.raises(exceptions.InvalidShare):
        revert.start(admin_ctx, share_id, inst, snap_inst)
    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_AVAILABLE)
    assert db.snapshot_instance_get(admin_ctx, snap_inst).status == (
        states.STATUS_AVAILABLE)
