"""The real ``openstack share group ...`` commands (python-manilaclient)
against the multi-process deployment: a group of the default share
type in az2, a share created in it landing in its zone, the group's
refusal to go while it holds the share, then both deleted."""

import json
import os
import subprocess
import sys
import time

from tests.functional.test_osc import openstack
from tests.functional.test_osc import wait_field


def _refused(d, *args):
    """stderr of an ``openstack`` command that must fail."""
    exe = os.path.join(os.path.dirname(sys.executable), 'openstack')
    env = dict(os.environ, OS_AUTH_TYPE='admin_token',
               OS_TOKEN='admin:admin', OS_ENDPOINT=d.url + '/v2')
    result = subprocess.run([exe, *args], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0, (args, result.stdout)
    return result.stderr


def _gone(d, *args, timeout=60):
    deadline = time.monotonic() + timeout
    while openstack(d, *args, '-f', 'value', '-c', 'ID'):
        assert time.monotonic() < deadline, '%s never emptied' % (args,)
        time.sleep(0.5)


def test_share_group_commands(d):
    openstack(d, 'share', 'group', 'type', 'create', 'osc-sgt', 'default')
    group = json.loads(openstack(
        d, 'share', 'group', 'create', '--name', 'osc-group',
        '--description', 'one', '--share-group-type', 'osc-sgt',
        '--share-types', 'default', '--availability-zone', 'az2', '--wait',
        '-f', 'json'))
    assert group['status'] == 'available'
    assert group['availability_zone'] == 'az2'
    assert group['host'].endswith('@local2'), group['host']
    listed = openstack(d, 'share', 'group', 'list', '-f', 'value', '-c',
                       'ID')
    assert listed.split() == [group['id']]
    openstack(d, 'share', 'group', 'set', 'osc-group', '--name',
              'osc-renamed')
    shown = json.loads(openstack(d, 'share', 'group', 'show', 'osc-renamed',
                                 '-f', 'json'))
    assert (shown['name'], shown['description']) == ('osc-renamed', 'one')

    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name',
                         'in-group', '--share-group', 'osc-renamed', '-f',
                         'value', '-c', 'id')
    wait_field(d, 'in-group', 'status', 'available')
    share = json.loads(openstack(d, 'share', 'show', share_id, '-f',
                                 'json'))
    assert share['share_group_id'] == group['id']
    assert share['availability_zone'] == 'az2'
    assert share['host'].startswith(group['host'] + '#')

    refused = _refused(d, 'share', 'group', 'delete', 'osc-renamed')
    assert 'Cannot delete a share group with shares' in refused

    openstack(d, 'share', 'delete', share_id, '--share-group',
              'osc-renamed', '--wait')
    openstack(d, 'share', 'group', 'delete', 'osc-renamed', '--wait')
    _gone(d, 'share', 'group', 'list')
