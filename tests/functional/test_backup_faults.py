"""The data service killed with SIGKILL mid-backup and mid-restore
(separate processes, RabbitMQ, MariaDB): after its restart both jobs
finish from their checkpoints, and the restored share equals the tree
at backup time byte for byte (modes and times too)."""

import os
import signal
import time

from manila_lite.common import context
from manila_lite.db import api as db_api
from manila_lite.db import backups as backup_db
from tests.functional.test_migration import _local
from tests.unit.backup.test_backups_embedded import snapshot_tree

EXP = {'X-OpenStack-Manila-API-Experimental': 'True'}


def _request(d, method, path, body=None):
    return d.request(method, path, body, version='2.85', headers=EXP)


def _wait_backup(d, backup_id, field, wanted, timeout=300):
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        status, body = _request(d, 'GET', '/v2/share-backups/' + backup_id)
        if status == 200 and body['share_backup'][field] == wanted:
            return body['share_backup']
        time.sleep(0.2)
    raise AssertionError('backup %s never had %s=%s: %s\n%s'
                         % (backup_id, field, wanted, body, d.dump_logs()))


def _slow_data_service(d):
    """One copy thread and checksums: a copy long enough to be cut."""
    with open(os.path.join(d.workdir, 'data.conf'), 'w') as f:
        # Progress recorded often: the paced check sees the job mid-copy
        # however fast the engine copies.
        f.write('[DEFAULT]\ndata_copy_workers = 1\ncheck_hash = true\n'
                'data_progress_interval = 0.01\n')
    d.stop('data')
    d.start('data')


def _kill_data_when(d, start, status, field):
    """Start a job with ``start()`` (returns the backup's id) and SIGKILL
    the data service once the job has copied some files and is still
    running; returns what the row said then."""
    conf = d.client_conf()
    db_api.configure(conf)
    proc = d.procs['data']
    d.renice('data')
    try:
        ctx = context.get_admin_context()
        # Paced from before the request: the data service is stopped
        # when the job is cast to it and then runs only in short slices
        # between checks, so however fast the machine (or however slow
        # this process), the job is seen mid-copy. An unpaced poll once
        # saw the job finished before its first check.
        proc.send_signal(signal.SIGSTOP)
        backup_id = start()
        deadline = time.monotonic() + 120
        while True:
            proc.send_signal(signal.SIGSTOP)
            row = backup_db.backup_get(ctx, backup_id)
            if row.status == status and row.files_done > 0:
                break
            assert row.status == status, (row.status, d.dump_logs())
            assert time.monotonic() < deadline, d.dump_logs()
            proc.send_signal(signal.SIGCONT)
            time.sleep(0.02)
        d.stop('data', sig=signal.SIGKILL)
        row = backup_db.backup_get(ctx, backup_id)
    finally:
        proc.send_signal(signal.SIGCONT)  # a no-op once killed
        db_api.dispose()
    print('killed at %s: %d of %d files, %s%%'
          % (row.status, row.files_done, row.files_total,
             getattr(row, field)))
    assert row.status == status
    assert row.files_done < row.files_total or row.files_total == 0
    return backup_id


def test_data_service_killed_mid_backup_and_mid_restore(d):
    _slow_data_service(d)
    status, body = d.request('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1}})
    assert status == 200, body
    share_id = body['share']['id']
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    root = _local(d, share_id)
    for i in range(6000):
        sub = os.path.join(root, 'd%02d' % (i % 50))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, 'f%05d' % i), 'wb') as f:
            f.write(os.urandom(2048 + i % 997))
    at_backup = snapshot_tree(root)

    def create():
        status, body = _request(d, 'POST', '/v2/share-backups', {
            'share_backup': {'share_id': share_id, 'name': 'cut'}})
        assert status == 202, body
        return body['share_backup']['id']

    backup_id = _kill_data_when(d, create, 'creating', 'progress')
    d.start('data')
    done = _wait_backup(d, backup_id, 'status', 'available')
    assert done['progress'] == '100'
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')

    # The share changes; a restore is cut off by another kill.
    for i in range(0, 6000, 7):
        path = os.path.join(root, 'd%02d' % (i % 50), 'f%05d' % i)
        with open(path, 'wb') as f:
            f.write(b'changed')
    for i in range(3, 6000, 11):
        os.unlink(os.path.join(root, 'd%02d' % (i % 50), 'f%05d' % i))
    with open(os.path.join(root, 'new'), 'wb') as f:
        f.write(b'new')
    def restore():
        status, body = _request(d, 'POST',
                                '/v2/share-backups/%s/action' % backup_id,
                                {'restore': None})
        assert status == 202, body
        return backup_id

    _kill_data_when(d, restore, 'restoring', 'restore_progress')
    d.start('data')
    _wait_backup(d, backup_id, 'restore_progress', '100')
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    after = snapshot_tree(root)
    differing = [k for k in set(at_backup) | set(after)
                 if at_backup.get(k) != after.get(k)]
    print('entries differing after the restore: %d' % len(differing))
    assert not differing, sorted(differing)[:10]
