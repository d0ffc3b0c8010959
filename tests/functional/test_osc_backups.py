"""The real ``openstack share backup ...`` commands (python-manilaclient)
against the multi-process deployment (data service in its own process):
back a share up, change its files, back up again (incrementally),
restore the first backup and compare every byte and metadata with the
tree at backup time."""

import json
import os
import time

from tests.functional.test_migration import _local
from tests.functional.test_osc import openstack
from tests.functional.test_osc import wait_field
from tests.unit.backup.test_backups_embedded import fill
from tests.unit.backup.test_backups_embedded import snapshot_tree


def backup_field(d, backup, field, wanted, timeout=60):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = openstack(d, 'share', 'backup', 'show', backup, '-f',
                          'value', '-c', field)
        if value == wanted:
            return
        time.sleep(0.5)
    raise AssertionError('backup %s %s is %s, never %s'
                         % (backup, field, value, wanted))


def test_backup_commands_restore_a_changed_share(d):
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'bk',
                         '-f', 'value', '-c', 'id')
    wait_field(d, 'bk', 'status', 'available')
    root = _local(d, share_id)
    fill(root, n=40)
    at_backup = snapshot_tree(root)

    first = json.loads(openstack(d, 'share', 'backup', 'create', 'bk',
                                 '--name', 'first', '--description', 'one',
                                 '-f', 'json'))
    assert first['share_id'] == share_id
    backup_field(d, first['id'], 'status', 'available')
    listed = openstack(d, 'share', 'backup', 'list', '-f', 'value',
                       '-c', 'ID')
    assert first['id'] in listed.split()
    openstack(d, 'share', 'backup', 'set', first['id'], '--name', 'renamed',
              '--description', 'the first')
    backup_field(d, first['id'], 'name', 'renamed')
    wait_field(d, 'bk', 'status', 'available')

    # Change the share, then back up again: only the change is copied.
    with open(os.path.join(root, 'dir', 'f07'), 'wb') as f:
        f.write(b'changed after the first backup')
    os.unlink(os.path.join(root, 'dir', 'f08'))
    os.chmod(os.path.join(root, 'dir', 'f09'), 0o600)
    with open(os.path.join(root, 'added'), 'wb') as f:
        f.write(b'added')
    second = json.loads(openstack(d, 'share', 'backup', 'create', 'bk',
                                  '--name', 'second', '-f', 'json'))
    backup_field(d, second['id'], 'status', 'available')
    shown = json.loads(openstack(d, 'share', 'backup', 'show',
                                 second['id'], '-f', 'json'))
    print('second backup: %s bytes copied, %s shared'
          % (shown.get('bytes_copied'), shown.get('bytes_shared')))
    assert shown['bytes_copied'] == len(b'changed after the first '
                                        b'backup') + 1009 + len(b'added')
    assert shown['bytes_shared'] > 30000
    wait_field(d, 'bk', 'status', 'available')

    openstack(d, 'share', 'backup', 'restore', first['id'])
    backup_field(d, first['id'], 'restore_progress', '100')
    backup_field(d, first['id'], 'status', 'available')
    wait_field(d, 'bk', 'status', 'available')
    assert snapshot_tree(root) == at_backup

    for backup in (first['id'], second['id']):
        openstack(d, 'share', 'backup', 'delete', backup)
    deadline = time.monotonic() + 60
    while openstack(d, 'share', 'backup', 'list', '-f', 'value', '-c',
                    'ID'):
        assert time.monotonic() < deadline, 'backups never went'
        time.sleep(0.5)
