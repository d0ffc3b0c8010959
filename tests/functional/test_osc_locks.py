"""``openstack share lock create/list/show/set/delete``
(python-manilaclient) against the multi-process deployment: a locked
share refuses ``openstack share delete`` until its locks are gone, and
``openstack share access create --lock-visibility --lock-deletion``
locks a rule."""

import json
import os
import shutil
import subprocess
import sys

from tests.functional.test_osc import openstack
from tests.functional.test_osc import wait_field


def _refused(d, *args):
    """Run a command that must fail; its stderr."""
    exe = os.path.join(os.path.dirname(sys.executable), 'openstack')
    exe = exe if os.path.exists(exe) else shutil.which('openstack')
    env = dict(os.environ, OS_AUTH_TYPE='admin_token',
               OS_TOKEN='admin:admin', OS_ENDPOINT=d.url + '/v2')
    result = subprocess.run([exe, *args], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0, (args, result.stdout)
    return result.stderr


def test_lock_commands(d):
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name',
                         'locked', '-f', 'value', '-c', 'id')
    wait_field(d, 'locked', 'status', 'available')
    lock = json.loads(openstack(
        d, 'share', 'lock', 'create', share_id, 'share',
        '--lock-reason', 'nightly reports', '-f', 'json'))
    assert lock['resource_id'] == share_id, lock
    assert lock['resource_action'] == 'delete', lock
    assert lock['lock_context'] == 'admin', lock
    listed = json.loads(openstack(d, 'share', 'lock', 'list', '--resource',
                                  share_id, '-f', 'json'))
    assert [row['ID'] for row in listed] == [lock['id']], listed
    shown = json.loads(openstack(d, 'share', 'lock', 'show', lock['id'],
                                 '-f', 'json'))
    assert shown['Lock Reason'] == 'nightly reports', shown
    openstack(d, 'share', 'lock', 'set', lock['id'], '--lock-reason',
              'weekly reports')
    shown = json.loads(openstack(d, 'share', 'lock', 'show', lock['id'],
                                 '-f', 'json'))
    assert shown['Lock Reason'] == 'weekly reports', shown
    err = _refused(d, 'share', 'delete', share_id)
    assert 'Resource lock/s [%s] prevent delete action.' % lock['id'] in (
        err), err
    assert openstack(d, 'share', 'show', share_id, '-f', 'value', '-c',
                     'status') == 'available'
    # A rule locked at creation (2.82): its deletion lock also locks the
    # share until the rule is denied with --unrestrict.
    rule = json.loads(openstack(
        d, 'share', 'access', 'create', share_id, 'ip', '10.0.0.7',
        '--lock-visibility', '--lock-deletion', '--lock-reason', 'ops',
        '-f', 'json'))
    actions = sorted((row['Resource Type'], row['Resource Action'])
                     for row in json.loads(openstack(
                         d, 'share', 'lock', 'list', '-f', 'json')))
    assert actions == [('access_rule', 'delete'), ('access_rule', 'show'),
                       ('share', 'delete'), ('share', 'delete')], actions
    openstack(d, 'share', 'lock', 'delete', lock['id'])
    _refused(d, 'share', 'delete', share_id)
    err = _refused(d, 'share', 'access', 'delete', share_id, rule['id'])
    assert 'since it has been locked' in err, err
    openstack(d, 'share', 'access', 'delete', share_id, rule['id'],
              '--unrestrict', '--wait')
    assert json.loads(openstack(d, 'share', 'lock', 'list',
                                '-f', 'json')) == []
    openstack(d, 'share', 'delete', share_id, '--wait')
