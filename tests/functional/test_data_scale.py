"""Two data services share the copy jobs: jobs spread over both, and
progress and cancel are answered for a job whichever service owns it
(both read and write the job's row, never each other's memory)."""

import os
import time

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests import files
from tests.functional.test_migration import _act
from tests.functional.test_migration import _share
from tests.functional.test_migration import _start


def test_jobs_spread_over_two_data_services(d):
    d.start('data2')
    d.wait_services(5)
    shares = []
    for _ in range(4):
        share, path = _share(d, count=1500, size=1024)
        shares.append((share['id'], path, files.contents(path)))
    conf = d.client_conf()
    db_api.configure(conf)
    ctx = context.get_admin_context()
    try:
        for share_id, _path, _before in shares:
            status, body = _start(d, share_id, '%s@local2#pool1' % d.host,
                                  force_host_assisted_migration='True')
            assert status == 202, body
        deadline = time.monotonic() + 180
        owners = {}
        while time.monotonic() < deadline:
            jobs = [j for sid, _p, _b in shares
                    for j in db_api.data_copy_job_get_all(ctx, share_id=sid)]
            owners = {j.share_id: j.owner for j in jobs if j.owner}
            if len(owners) == len(shares):
                break
            time.sleep(0.05)
        assert set(owners.values()) == {d.host, d.host + '-data2'}, owners
        # Cancel a migration whose copy belongs to the second service
        # (through the API, share service and data RPC to any node).
        victim = [sid for sid, owner in owners.items()
                  if owner == d.host + '-data2'][0]
        status, body = d.request(
            'GET', '/v2/shares/%s/migration-progress' % victim)
        assert status == 200 and 0 <= body['total_progress'] <= 100, body
        # Cancellable once the share service has seen the copy start.
        while _act(d, victim, {'migration_cancel': None})[0] != 202:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        back = d.wait_for('/v2/shares/' + victim, 'share', 'task_state',
                          'migration_cancelled', timeout=120)
        assert back['host'].startswith(d.host + '@local1#')
        job = db_api.data_copy_job_get_all(ctx, share_id=victim)[-1]
        assert job.state in (states.JOB_CANCELLED, states.JOB_COMPLETED)
    finally:
        db_api.dispose()
    for share_id, path, before in shares:
        if share_id == victim:
            assert files.contents(path) == before
            continue
        d.wait_for('/v2/shares/' + share_id, 'share', 'task_state',
                   'data_copying_completed', timeout=120)
        assert _act(d, share_id, {'migration_complete': None})[0] == 202
        d.wait_for('/v2/shares/' + share_id, 'share', 'task_state',
                   'migration_success', timeout=120)
        status, body = d.request(
            'GET', '/v2/shares/%s/export_locations' % share_id)
        new_path = [el['path'] for el in body['export_locations']
                    if el['is_admin_only']][0]
        assert os.path.isdir(new_path)
        assert files.contents(new_path) == before
