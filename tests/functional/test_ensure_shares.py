"""Ensure shares across real processes: change a backend's export host
in its config file, POST ensure-shares, and watch every share of that
backend pick it up with no restart, on MariaDB and on PostgreSQL.
Shares on the other backend and busy shares stay exactly as they were.
"""

import time

from oslo_config import cfg
import pytest

from manila_lite.common import config
from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from tests.unit import rows

NEW_HOST = '192.0.2.55'


@pytest.fixture
def direct_db(deployment):
    """db.api of this test process on the deployment's database."""
    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    conf([], project='manila-lite', default_config_files=[])
    db_api.configure(conf, deployment.db_url)
    yield db_api
    db_api.dispose()


def _create(d, name, zone):
    status, body = d.request('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'name': name,
        'availability_zone': zone}})
    assert status == 200, body
    return body['share']['id']


def _exports(d, share_id):
    status, body = d.request(
        'GET', '/v2/shares/%s/export_locations' % share_id)
    assert status == 200, body
    return sorted(el['path'] for el in body['export_locations']
                  if not el['is_admin_only'])


def _share(d, share_id):
    status, body = d.request('GET', '/v2/shares/' + share_id)
    assert status == 200, body
    return body['share']


def _set_export_host(path, backend, value):
    with open(path) as f:
        lines = f.read().splitlines()
    at = lines.index('[%s]' % backend)
    lines.insert(at + 1, 'local_export_host = %s' % value)
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def _service(d, host):
    status, body = d.request('GET', '/v2/services?host=' + host)
    assert status == 200, body
    [svc] = body['services']
    return svc


def test_ensure_picks_up_new_export_host_without_restart(deployment,
                                                         direct_db):
    d = deployment
    backend = d.host + '@local1'
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'default', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}})
    assert status == 200, body

    ours = [_create(d, 'e%d' % i, 'az1') for i in range(3)]
    busy = _create(d, 'busy', 'az1')
    other = _create(d, 'other', 'az2')
    for share_id in ours + [busy, other]:
        d.wait_for('/v2/shares/' + share_id, 'share', 'status',
                   'available')
    before = {s: _exports(d, s) for s in ours + [busy, other]}
    for share_id in ours + [busy]:
        assert _share(d, share_id)['host'].startswith(backend + '#')
        assert all(not p.startswith(NEW_HOST + ':')
                   for p in before[share_id])
    assert _share(d, other)['host'].startswith(d.host + '@local2#')

    # No reset_task_state action yet: mark the share busy in the DB.
    rows.share_update(context.get_admin_context(), busy, {
        'task_state': states.TASK_STATE_MIGRATION_IN_PROGRESS})
    assert _share(d, busy)['task_state'] == 'migration_in_progress'

    pids = {name: proc.pid for name, proc in d.procs.items()}
    _set_export_host(d.base_conf, 'local1', NEW_HOST)

    status, body = d.request('POST', '/v2/services/ensure-shares',
                             {'host': 'nowhere@local1'})
    assert status == 404 and body['itemNotFound']['code'] == 404
    status, body = d.request('POST', '/v2/services/ensure-shares',
                             {'host': backend})
    assert status == 202, body
    assert body is None

    # The ensure may be quick; note what we catch while it runs.
    seen_service_ensuring = seen_share_ensuring = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        svc = _service(d, backend)
        seen_service_ensuring |= svc['ensuring']
        statuses = {_share(d, s)['status'] for s in ours}
        seen_share_ensuring |= 'ensuring' in statuses
        moved = all(p.startswith(NEW_HOST + ':')
                    for s in ours for p in _exports(d, s))
        if moved and not svc['ensuring'] and statuses == {'available'}:
            break
        time.sleep(0.05)
    else:
        raise AssertionError('ensure never finished:\n' + d.dump_logs())
    print('observed service ensuring=%s, share ensuring=%s'
          % (seen_service_ensuring, seen_share_ensuring))

    for share_id in ours:
        paths = _exports(d, share_id)
        assert paths == [p.replace(p.split(':', 1)[0], NEW_HOST, 1)
                         for p in before[share_id]], paths
        share = _share(d, share_id)
        assert share['status'] == 'available'
        assert share['task_state'] is None
    # Untouched: the other backend and the busy share.
    assert _exports(d, other) == before[other]
    assert _share(d, other)['status'] == 'available'
    assert _exports(d, busy) == before[busy]
    share = _share(d, busy)
    assert share['status'] == 'available'
    assert share['task_state'] == 'migration_in_progress'

    # The flag is down again; the list filters on it (2.93+).
    status, body = d.request('GET', '/v2/services?ensuring=true')
    assert status == 200 and body['services'] == []
    assert _service(d, backend)['ensuring'] is False
    # Nothing was restarted.
    assert {n: p.pid for n, p in d.procs.items()} == pids
    assert all(p.poll() is None for p in d.procs.values())
    # A second run is accepted once the first is over.
    status, _ = d.request('POST', '/v2/services/ensure-shares',
                          {'ensure_shares': {'host': backend}})
    assert status == 202
