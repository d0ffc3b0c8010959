"""A share left ``reverting`` (its share service died mid-revert, or the
message was lost) is reverted again by the share service: the revert
mirrors the snapshot over whatever the share holds, so running it again
ends with the snapshot's bytes."""

import os

from manila_lite.common import states
from manila_lite.db import revert as revert_db
from tests.files import contents
from tests.unit import rows
from tests.unit.share.test_recovery import _instance
from tests.unit.share.test_recovery import _manager


def _revertible(db, ctx, mgr):
    share_id, inst = _instance(db, ctx, states.STATUS_CREATING)
    mgr.create_share_instance(ctx, inst)
    share = db.share_get(ctx, share_id)
    path, = [el.path for el in share.export_locations if el.is_admin_only]
    with open(os.path.join(path, 'a.txt'), 'w') as f:
        f.write('at snapshot time')
    snap = db.snapshot_create(
        ctx, dict(share_id=share_id, project_id='p1', size=1,
                  share_size=1, share_proto='NFS'),
        dict(share_instance_id=inst, status=states.STATUS_CREATING))
    mgr.create_snapshot(ctx, snap.instance.id)
    before = contents(path)
    with open(os.path.join(path, 'a.txt'), 'w') as f:
        f.write('written later, half reverted')
    with open(os.path.join(path, 'b.txt'), 'w') as f:
        f.write('new')
    return share_id, inst, snap.instance.id, path, before


def test_a_revert_cut_off_is_reverted_again_at_start_up(conf, db,
                                                        admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst, snap_inst, path, before = _revertible(db, admin_ctx,
                                                          mgr)
    # The API moved the rows and cast; the service died before (or
    # while) reverting.
    revert_db.start(admin_ctx, share_id, inst, snap_inst)

    _manager(conf, admin_ctx)  # the next start of the service

    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_AVAILABLE)
    assert db.snapshot_instance_get(admin_ctx, snap_inst).status == (
        states.STATUS_AVAILABLE)
    assert contents(path) == before


def test_reverting_with_no_restoring_snapshot_ends_in_error(conf, db,
                                                            admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _instance(db, admin_ctx, states.STATUS_CREATING)
    mgr.create_share_instance(admin_ctx, inst)
    rows.share_instance_update(admin_ctx, inst,
                             {'status': states.STATUS_REVERTING})

    _manager(conf, admin_ctx)

    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_REVERTING_ERROR)
