"""The share service killed with SIGKILL in the middle of a migration,
then restarted: the migration still completes (or cancels) and the
files arrive byte for byte."""

import os
import signal
import time

from manila_lite.common import context
from manila_lite.db import api as db_api
from tests import files
from tests.functional.test_migration import _act
from tests.functional.test_migration import _local
from tests.functional.test_migration import _share
from tests.functional.test_migration import _start


def _big(path, count=12):
    block = os.urandom(1024 * 1024)
    for i in range(count):
        with open(os.path.join(path, 'big%02d' % i), 'wb') as f:
            for _ in range(8):
                f.write(block)


def test_share_service_killed_during_host_assisted_copy(d):
    share, path = _share(d, count=2000, size=1024)
    _big(path)
    before = files.contents(path)
    status, body = _start(d, share['id'], '%s@local2#pool1' % d.host,
                          force_host_assisted_migration='True')
    assert status == 202, body
    # The source's share service dies as soon as it has handed the copy
    # to the data service; the copy's completion waits in its queue.
    conf = d.client_conf()
    db_api.configure(conf)
    try:
        deadline = time.monotonic() + 60
        while not db_api.data_copy_job_get_all(
                context.get_admin_context(), share_id=share['id']):
            assert time.monotonic() < deadline, d.dump_logs()
            time.sleep(0.01)
    finally:
        db_api.dispose()
    d.stop('share1', sig=signal.SIGKILL)
    d.start('share1')
    d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
               'data_copying_completed', timeout=120)
    assert _act(d, share['id'], {'migration_complete': None})[0] == 202
    moved = d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                       'migration_success')
    assert moved['host'] == '%s@local2#pool1' % d.host
    assert files.contents(_local(d, share['id'])) == before
    d.wait_for('/v2/shares/' + share['id'], 'share', 'status', 'available')


def _driver_phase1_then_kill(d, dest):
    """A driver-assisted migration to ``dest`` through phase 1, then the
    source's share service killed and restarted: the driver's memory is
    gone, the record it keeps in the source pool is not."""
    share, path = _share(d, count=200)
    before = files.contents(path)
    status, body = _start(d, share['id'], dest, writable='True',
                          preserve_metadata='True',
                          preserve_snapshots='True')
    assert status == 202, body
    d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
               'migration_driver_phase1_done')
    d.stop('share1', sig=signal.SIGKILL)
    d.start('share1')
    return share, path, before


def test_share_service_killed_after_driver_phase1(d):
    dest = '%s@local2#pool2' % d.host
    share, path, before = _driver_phase1_then_kill(d, dest)
    assert _act(d, share['id'], {'migration_complete': None})[0] == 202
    moved = d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                       'migration_success', timeout=120)
    assert moved['host'] == dest
    assert files.contents(_local(d, share['id'])) == before
    assert not os.path.exists(path)


def test_share_service_killed_then_migration_cancelled(d):
    share, path, before = _driver_phase1_then_kill(
        d, '%s@local2#pool2' % d.host)
    assert _act(d, share['id'], {'migration_cancel': None})[0] == 202
    back = d.wait_for('/v2/shares/' + share['id'], 'share', 'task_state',
                      'migration_cancelled', timeout=120)
    assert back['host'].startswith(d.host + '@local1#')
    assert _local(d, share['id']) == path
    assert files.contents(path) == before
