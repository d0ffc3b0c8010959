"""``openstack share quota show/set/delete`` and ``share limits show``
(python-manilaclient) against the multi-process deployment behind the
real Keystone of tests/functional/keystone.py (the CLI resolves project
names there): limits set by the CLI hold a share create back with
upstream's 413, and usage follows what exists."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.functional import deployment as dep
from tests.functional import infra
from tests.functional import keystone as keystone_mod

PROJECT = 'admin'


@pytest.fixture
def env(tmp_path, keystone):
    db = infra.TempDatabase('mysql')
    deployment = dep.Deployment(str(tmp_path), db.create())
    keystone_mod.protect(deployment, keystone)
    try:
        deployment.start_all()
        keystone.register_share_service(deployment.url + '/v2')
        status, body = deployment.request('POST', '/v2/types', {
            'share_type': {'name': 'default', 'extra_specs': {
                'driver_handles_share_servers': 'false'}}})
        assert status == 200, body
        yield dict(os.environ, OS_AUTH_URL=keystone.url + '/v3',
                   OS_USERNAME='admin', OS_PASSWORD=keystone_mod.PASSWORD,
                   OS_PROJECT_NAME='admin', OS_USER_DOMAIN_NAME='Default',
                   OS_PROJECT_DOMAIN_NAME='Default',
                   OS_IDENTITY_API_VERSION='3', OS_REGION_NAME='RegionOne')
    finally:
        deployment.stop_all()
        db.drop()


def _run(env, *args, ok=True):
    exe = os.path.join(os.path.dirname(sys.executable), 'openstack')
    if not os.path.exists(exe):
        exe = shutil.which('openstack')
    result = subprocess.run([exe, *args], env=env, capture_output=True,
                            text=True, timeout=120)
    assert (result.returncode == 0) == ok, (args, result.stdout,
                                            result.stderr)
    return result.stdout.strip() if ok else result.stderr


def _quotas(env, *extra):
    return json.loads(_run(env, 'share', 'quota', 'show', PROJECT, *extra,
                           '-f', 'json'))


def _detail(env):
    """``quota show --detail``: each resource printed as
    ``in_use = N``, ``limit = N``, ``reserved = N`` lines."""
    return {key: dict((k, int(v)) for k, _eq, v in (
        line.partition(' = ') for line in text.splitlines()))
        for key, text in _quotas(env, '--detail').items() if key != 'id'}


def _wait_status(env, name, wanted):
    for _ in range(120):
        if _run(env, 'share', 'show', name, '-f', 'value',
                '-c', 'status') == wanted:
            return
        time.sleep(0.5)
    raise AssertionError('%s never became %s' % (name, wanted))


def test_quota_commands(env):
    assert _quotas(env)['shares'] == 50
    _run(env, 'share', 'quota', 'set', PROJECT, '--shares', '1',
         '--gigabytes', '3')
    shown = _quotas(env)
    assert (shown['shares'], shown['gigabytes']) == (1, 3), shown
    err = _run(env, 'share', 'create', 'NFS', '4', '--name', 'big',
               ok=False)
    assert 'ShareSizeExceedsAvailableQuota' in err, err
    _run(env, 'share', 'create', 'NFS', '2', '--name', 'q1')
    _wait_status(env, 'q1', 'available')
    err = _run(env, 'share', 'create', 'NFS', '1', '--name', 'two',
               ok=False)
    assert 'Maximum number of shares allowed (1)' in err, err
    detail = _detail(env)
    assert detail['shares'] == {'in_use': 1, 'limit': 1, 'reserved': 0}
    assert detail['gigabytes']['in_use'] == 2, detail
    limits = json.loads(_run(env, 'share', 'limits', 'show', '--absolute',
                             '-f', 'json'))
    used = {row['Name']: row['Value'] for row in limits}
    assert used['maxTotalShares'] == 1, used
    assert used['totalShareGigabytesUsed'] == 2, used
    _run(env, 'share', 'delete', 'q1', '--wait')
    assert _detail(env)['gigabytes']['in_use'] == 0
    _run(env, 'share', 'quota', 'delete', PROJECT)
    assert _quotas(env)['shares'] == 50
