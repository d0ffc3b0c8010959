"""The real ``openstack share ...`` commands (python-manilaclient)
against the multi-process deployment, without Keystone."""

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from tests.files import contents
from tests.functional.test_migration import _local


def openstack(d, *args, stderr=False):
    exe = os.path.join(os.path.dirname(sys.executable), 'openstack')
    if not os.path.exists(exe):
        exe = shutil.which('openstack')
    if exe is None:
        pytest.fail('python-openstackclient is not installed')
    env = dict(os.environ, OS_AUTH_TYPE='admin_token',
               OS_TOKEN='admin:admin', OS_ENDPOINT=d.url + '/v2')
    result = subprocess.run([exe, *args], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    if stderr:
        return result.stdout.strip(), result.stderr
    return result.stdout.strip()


def wait_field(d, share, field, wanted, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = openstack(d, 'share', 'show', share, '-f', 'value',
                          '-c', field)
        if value == wanted:
            return
        time.sleep(0.5)
    raise AssertionError('%s never became %s' % (field, wanted))


def test_share_and_migration_commands(d):
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'osc1',
                         '--availability-zone', 'az1', '-f', 'value',
                         '-c', 'id')
    wait_field(d, 'osc1', 'status', 'available')
    assert 'osc1' in openstack(d, 'share', 'list', '-f', 'value',
                               '-c', 'Name')
    path = _local(d, share_id)
    for i in range(5):
        with open(os.path.join(path, 'f%d' % i), 'wb') as f:
            f.write(b'x' * 4096)
    dest = '%s@local2#pool1' % d.host
    openstack(d, 'share', 'migration', 'start', 'osc1', dest,
              '--writable', 'False', '--preserve-metadata', 'False',
              '--preserve-snapshots', 'False', '--nondisruptive', 'False',
              '--force-host-assisted-migration', 'True')
    # The project's plugin: wait with a progress bar on stderr.
    _out, bar = openstack(d, 'share', 'migration', 'wait', 'osc1',
                          '--interval', '0.2', stderr=True)
    assert '100%' in bar and 'data_copying_completed' in bar, bar
    assert openstack(d, 'share', 'show', 'osc1', '-f', 'value', '-c',
                     'task_state') == 'data_copying_completed'
    assert '100' in openstack(d, 'share', 'migration', 'show', 'osc1')
    # The plugin's view of the finished copy job.
    job = json.loads(openstack(d, 'share', 'migration', 'job', 'show',
                               'osc1', '-f', 'json'))
    assert job['files'] == '5 / 5', job
    assert job['bytes'] == '20.0 KiB / 20.0 KiB', job
    assert job['total_progress'] == '100%'
    assert job['eta_seconds'] == 0
    openstack(d, 'share', 'migration', 'complete', 'osc1')
    wait_field(d, 'osc1', 'task_state', 'migration_success')
    assert openstack(d, 'share', 'show', 'osc1', '-f', 'value',
                     '-c', 'host') == dest
    openstack(d, 'share', 'migration', 'start', 'osc1',
              '%s@local1#pool2' % d.host, '--writable', 'False',
              '--preserve-metadata', 'False', '--preserve-snapshots',
              'False', '--nondisruptive', 'False',
              '--force-host-assisted-migration', 'True')
    wait_field(d, 'osc1', 'task_state', 'data_copying_completed')
    openstack(d, 'share', 'migration', 'cancel', 'osc1')
    wait_field(d, 'osc1', 'task_state', 'migration_cancelled')
    openstack(d, 'share', 'delete', share_id)
    deadline = time.monotonic() + 60
    while 'osc1' in openstack(d, 'share', 'list', '-f', 'value',
                              '-c', 'Name'):
        assert time.monotonic() < deadline
        time.sleep(0.5)


def _last_line(stderr):
    """What the progress line showed last (it is redrawn after a \\r)."""
    return [line for line in stderr.split('\n')
            if line.strip()][-1].split('\r')[-1]


def test_writable_migration_wait_shows_the_passes(writable_d):
    """The real CLI's writable migration between two backends that
    decline driver-assisted migration; ``share migration wait`` shows
    the pass, what the last pass changed and the estimated final
    window, then the read-only window of the final pass."""
    d = writable_d
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'osc2',
                         '--availability-zone', 'az1', '-f', 'value',
                         '-c', 'id')
    wait_field(d, 'osc2', 'status', 'available')
    path = _local(d, share_id)
    # More than migration_sync_files files and bytes: pass 1 cannot
    # end phase 1.
    for i in range(40):
        with open(os.path.join(path, 'f%d' % i), 'wb') as f:
            f.write(os.urandom(16384))
    dest = '%s@local2#pool1' % d.host
    openstack(d, 'share', 'migration', 'start', 'osc2', dest,
              '--writable', 'True', '--preserve-metadata', 'True',
              '--preserve-snapshots', 'False', '--nondisruptive', 'False')
    _out, err = openstack(d, 'share', 'migration', 'wait', 'osc2',
                          '--interval', '0.2', stderr=True)
    last = _last_line(err)
    found = re.search(r'100% data_copying_completed \| pass (\d+); last '
                      r'pass changed (\d+) files, [\d.]+ \w+; final '
                      r'window ~[\d.]+ s$', last)
    assert found, err
    assert int(found.group(1)) >= 2 and int(found.group(2)) < 20, last
    openstack(d, 'share', 'migration', 'complete', 'osc2')
    _out, err = openstack(d, 'share', 'migration', 'wait', 'osc2',
                          '--interval', '0.2', stderr=True)
    last = _last_line(err)
    status, body = d.request('GET', '/v2/shares/%s/migration-progress'
                             % share_id)
    assert status == 200, body
    details = body['details']
    assert last.endswith(
        'migration_success | final pass %d; read-only window %.2f s'
        % (details['pass'], details['final_window_seconds'])), err
    assert openstack(d, 'share', 'show', 'osc2', '-f', 'value',
                     '-c', 'host') == dest


def test_share_resize_commands(d):
    """``openstack share resize`` up and back down: the size reached,
    the files untouched, the quota in the local driver's sidecar; and a
    shrink below the data stored refused, the share unchanged."""
    openstack(d, 'share', 'create', 'NFS', '1', '--name', 'demo',
              '--availability-zone', 'az1', '-f', 'value', '-c', 'id')
    wait_field(d, 'demo', 'status', 'available')
    share_id = openstack(d, 'share', 'show', 'demo', '-f', 'value',
                         '-c', 'id')
    path = _local(d, share_id)
    os.makedirs(os.path.join(path, 'sub'))
    for i in range(3):
        with open(os.path.join(path, 'sub', 'f%d' % i), 'wb') as f:
            f.write(os.urandom(8192))
    before = contents(path)

    openstack(d, 'share', 'resize', 'demo', '2')
    wait_field(d, 'demo', 'size', '2')
    wait_field(d, 'demo', 'status', 'available')
    assert _quota(path) == 2
    assert contents(path) == before

    openstack(d, 'share', 'resize', 'demo', '1')
    wait_field(d, 'demo', 'size', '1')
    wait_field(d, 'demo', 'status', 'available')
    assert _quota(path) == 1
    assert contents(path) == before

    # Grow again, then fill past 1 GiB (sparse: no disk spent) and shrink.
    openstack(d, 'share', 'resize', 'demo', '2')
    wait_field(d, 'demo', 'size', '2')
    wait_field(d, 'demo', 'status', 'available')
    with open(os.path.join(path, 'big'), 'wb') as f:
        f.truncate(1024 ** 3 + 1)
    openstack(d, 'share', 'resize', 'demo', '1')
    wait_field(d, 'demo', 'status', 'shrinking_possible_data_loss_error')
    assert openstack(d, 'share', 'show', 'demo', '-f', 'value',
                     '-c', 'size') == '2'
    assert _quota(path) == 2
    os.unlink(os.path.join(path, 'big'))
    assert contents(path) == before
    openstack(d, 'share', 'resize', 'demo', '1')
    wait_field(d, 'demo', 'size', '1')
    wait_field(d, 'demo', 'status', 'available')
    openstack(d, 'share', 'delete', share_id)


def _quota(path):
    with open(path + '.json') as f:
        return json.load(f)['size']


def wait_replica(d, replica, field, wanted, timeout=60):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = openstack(d, 'share', 'replica', 'show', replica,
                          '-f', 'value', '-c', field)
        if value == wanted:
            return
        time.sleep(0.5)
    raise AssertionError('%s of %s is %s, never %s'
                         % (field, replica, value, wanted))


def test_replica_commands(d):
    openstack(d, 'share', 'type', 'create', 'rep', 'false',
              '--extra-specs', 'replication_type=readable')
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'r1',
                         '--share-type', 'rep', '--availability-zone',
                         'az1', '-f', 'value', '-c', 'id')
    wait_field(d, 'r1', 'status', 'available')
    replica = openstack(d, 'share', 'replica', 'create', 'r1',
                        '--availability-zone', 'az2', '--property',
                        'site=room4', '-f', 'value', '-c', 'id')
    _out, bar = openstack(d, 'share', 'replica', 'wait', replica,
                          '--interval', '0.2', stderr=True)
    assert '100%' in bar and 'available/in_sync' in bar, bar
    assert 'old)' in bar, bar   # the admin-only sync lag
    listed = openstack(d, 'share', 'replica', 'list', '--share', 'r1',
                       '-f', 'value', '-c', 'ID')
    assert replica in listed.split()
    assert len(listed.split()) == 2

    # Replica metadata (2.95): --property on create, set, unset, list.
    def properties():
        return json.loads(openstack(d, 'share', 'replica', 'show', replica,
                                    '-f', 'json'))['properties']

    assert properties() == {'site': 'room4'}
    openstack(d, 'share', 'replica', 'set', replica, '--property',
              'tier=standby', '--property', 'site=room5')
    assert properties() == {'site': 'room5', 'tier': 'standby'}
    table = openstack(d, 'share', 'replica', 'show', replica)
    assert 'room5' in table and 'standby' in table, table
    assert openstack(d, 'share', 'replica', 'list', '--property',
                     'tier=standby', '-f', 'value', '-c', 'ID') == replica
    assert openstack(d, 'share', 'replica', 'list', '--share', 'r1',
                     '--property', 'tier=other', '-f', 'value',
                     '-c', 'ID') == ''
    openstack(d, 'share', 'replica', 'unset', replica, '--property', 'site')
    assert properties() == {'tier': 'standby'}
    paths = openstack(d, 'share', 'replica', 'export', 'location', 'list',
                      replica, '-f', 'value', '-c', 'Path')
    assert replica in paths
    openstack(d, 'share', 'replica', 'promote', replica)
    wait_replica(d, replica, 'replica_state', 'active')
    wait_replica(d, replica, 'status', 'available')
    old = [r for r in listed.split() if r != replica][0]
    wait_replica(d, old, 'status', 'available')
    openstack(d, 'share', 'replica', 'resync', old)
    wait_replica(d, old, 'replica_state', 'in_sync')
    openstack(d, 'share', 'replica', 'delete', old)
    deadline = time.monotonic() + 60
    while old in openstack(d, 'share', 'replica', 'list', '-f', 'value',
                           '-c', 'ID'):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert openstack(d, 'share', 'show', share_id, '-f', 'value', '-c',
                     'availability_zone') == 'az2'


def test_service_commands(d):
    """``share service list``, ``set --disable/--enable`` and
    ``ensure-shares`` as an operator runs them."""
    backend = d.host + '@local2'

    def row():
        listed = json.loads(openstack(d, 'share', 'service', 'list',
                                      '--host', backend, '-f', 'json'))
        assert len(listed) == 1, listed
        return listed[0]

    assert (row()['Status'], row()['State']) == ('enabled', 'up')
    openstack(d, 'share', 'service', 'set', backend, 'manila-share',
              '--disable', '--disable-reason', 'new disks')
    shown = row()
    assert (shown['Status'], shown['Disabled Reason']) == (
        'disabled', 'new disks')
    openstack(d, 'share', 'service', 'set', backend, 'manila-share',
              '--enable')
    shown = row()
    assert (shown['Status'], shown['Disabled Reason']) == ('enabled', None)
    openstack(d, 'share', 'service', 'ensure', 'shares', backend)
    deadline = time.monotonic() + 60
    while row()['Ensuring']:
        assert time.monotonic() < deadline, 'ensure never finished'
        time.sleep(0.5)


def test_share_type_access_and_access_level_commands(d):
    """A private type shared with a project and back; a rule's level
    changed with ``share access set --access-level`` (2.88)."""
    project = 'e1284adea3ee4d2482af5ed214f3ad90'
    openstack(d, 'share', 'type', 'create', 'osc-private', 'false',
              '--public', 'false')
    openstack(d, 'share', 'type', 'access', 'create', 'osc-private',
              project)
    listed = json.loads(openstack(d, 'share', 'type', 'access', 'list',
                                  'osc-private', '-f', 'json'))
    assert [row['Project ID'] for row in listed] == [project]
    openstack(d, 'share', 'type', 'access', 'delete', 'osc-private',
              project)
    assert json.loads(openstack(d, 'share', 'type', 'access', 'list',
                                'osc-private', '-f', 'json')) == []
    openstack(d, 'share', 'type', 'delete', 'osc-private')

    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name',
                         'osc-acl', '-f', 'value', '-c', 'id')
    wait_field(d, 'osc-acl', 'status', 'available')
    exports = os.path.join(os.path.dirname(os.path.dirname(
        _local(d, share_id))), 'exports')
    rule = json.loads(openstack(d, 'share', 'access', 'create', 'osc-acl',
                                'ip', '10.9.8.7', '--access-level', 'ro',
                                '-f', 'json'))
    wait_field(d, 'osc-acl', 'access_rules_status', 'active')
    with open(exports) as f:
        assert '10.9.8.7(ro)' in f.read()
    openstack(d, 'share', 'access', 'set', rule['id'], '--access-level',
              'rw')
    wait_field(d, 'osc-acl', 'access_rules_status', 'active')
    # The back end exports the new level.
    with open(exports) as f:
        text = f.read()
    assert '10.9.8.7(rw)' in text and '10.9.8.7(ro)' not in text
    shown = json.loads(openstack(d, 'share', 'access', 'show', rule['id'],
                                 '-f', 'json'))
    assert (shown['access_level'], shown['state']) == ('rw', 'active')
    openstack(d, 'share', 'delete', 'osc-acl', '--wait')
