"""A data service that died mid-backup or mid-restore: the job is
adopted from the database (its owner stopped heartbeating) and resumed
over what the dead one left on disk; the result equals the source byte
for byte. Runs the whole stack in one process; the dead service is a
row owned by a host that no longer heartbeats."""

import datetime
import os
import shutil

from oslo_utils import timeutils

from manila_lite import backup as backup_stores
from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import backups as backup_db
from tests.unit.backup.test_backups_embedded import call
from tests.unit.backup.test_backups_embedded import fill
from tests.unit.backup.test_backups_embedded import make_share
from tests.unit.backup.test_backups_embedded import snapshot_tree
from tests.unit.backup.test_backups_embedded import wait_backup
from tests.unit.backup.test_backups_embedded import wait_for_exp
from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for

LONG_AGO = datetime.timedelta(hours=1)


def _dead_owner(ctx, backup_id, **values):
    values.update(owner='dead-data-host',
                  heartbeat_at=timeutils.utcnow() - LONG_AGO)
    assert backup_db.backup_update(ctx, backup_id, values)


def test_backup_cut_off_by_a_dead_data_service_is_resumed(stack):
    ctx = context.get_admin_context()
    share_id = make_share(stack)
    root = local_path(stack, share_id)
    fill(root, n=30)
    expected = snapshot_tree(root)
    share = db.share_get(ctx, share_id)
    # What a data service killed half-way leaves: the row creating, the
    # share backup_creating, part of the tree (one file torn).
    backup = backup_db.backup_create_for_share(ctx, dict(
        project_id=share.project_id, share_id=share_id, size=1,
        status=states.BACKUP_CREATING, progress='40',
        store=stack.conf.backup_driver), share.instance.id)
    _dead_owner(ctx, backup.id, bytes_done=5000)
    store = backup_stores.get_store(stack.conf)
    dest = store.prepare(backup)
    os.makedirs(os.path.join(dest, 'dir'))
    for i in range(10):
        shutil.copy2(os.path.join(root, 'dir', 'f%02d' % i),
                     os.path.join(dest, 'dir'))
    with open(os.path.join(dest, 'dir', 'f10'), 'wb') as f:
        f.write(b'torn')

    done = wait_backup(stack, backup.id, 'available')
    assert done['progress'] == '100'
    assert snapshot_tree(dest) == expected
    share = wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
                     'available')
    assert backup_db.backup_get(ctx, backup.id).owner is None


def test_restore_cut_off_by_a_dead_data_service_is_resumed(stack):
    ctx = context.get_admin_context()
    share_id = make_share(stack)
    root = local_path(stack, share_id)
    fill(root, n=30)
    expected = snapshot_tree(root)
    resp = call(stack, 'POST', '/v2/share-backups', {'share_backup': {
        'share_id': share_id}})
    assert resp.status_int == 202, resp.body
    backup_id = resp.json_body_or_none['share_backup']['id']
    wait_backup(stack, backup_id, 'available')
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    # The share changes; a restore starts and its data service dies
    # half-way: some files restored, the rest still changed.
    for i in range(0, 30, 2):
        with open(os.path.join(root, 'dir', 'f%02d' % i), 'wb') as f:
            f.write(b'changed %d' % i)
    shutil.rmtree(os.path.join(root, 'dir', 'sub'))
    with open(os.path.join(root, 'new-file'), 'wb') as f:
        f.write(b'new')
    share = db.share_get(ctx, share_id)
    backup_db.backup_start_restore(ctx, backup_id, share.instance.id,
                                   share_id)
    _dead_owner(ctx, backup_id, restore_progress='30')

    done = wait_for_exp(stack, '/v2/share-backups/' + backup_id,
                        'share_backup', 'restore_progress', '100')
    assert done['status'] == 'available'
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    assert snapshot_tree(root) == expected


def test_a_reset_backup_is_deleted_with_its_tree(stack):
    """An admin resets a backup stuck ``creating`` to ``error``: the
    data service releases its share; the backup's delete removes the
    tree from the store."""
    ctx = context.get_admin_context()
    share_id = make_share(stack)
    share = db.share_get(ctx, share_id)
    backup = backup_db.backup_create_for_share(ctx, dict(
        project_id=share.project_id, share_id=share_id, size=1,
        status=states.BACKUP_CREATING, store=stack.conf.backup_driver),
        share.instance.id)
    # Claimed by a live owner that is not running it: nobody adopts it.
    assert backup_db.backup_update(ctx, backup.id, {
        'owner': 'busy-host', 'heartbeat_at': timeutils.utcnow()
        + datetime.timedelta(hours=1)})
    resp = call(stack, 'POST', '/v2/share-backups/%s/action' % backup.id,
                {'reset_status': {'status': 'error'}})
    assert resp.status_int == 202, resp.body
    assert backup_db.backup_get(ctx, backup.id).status == 'error'
    # No job runs for it any more: the data service releases the share.
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    resp = call(stack, 'DELETE', '/v2/share-backups/' + backup.id)
    assert resp.status_int == 202, resp.body
    wait_backup(stack, backup.id, None)
    store = backup_stores.get_store(stack.conf)
    assert not os.path.exists(store.path(backup))
