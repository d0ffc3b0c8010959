"""The real ``openstack share revert``, ``share delete --soft`` and
``share restore`` (python-manilaclient) against the multi-process
deployment: the bytes a revert leaves, the recycle bin's list."""

import os
import time

from tests.files import contents
from tests.functional.test_migration import _local
from tests.functional.test_osc import openstack
from tests.functional.test_osc import wait_field


def _names(d, *args):
    return openstack(d, 'share', 'list', *args, '-f', 'value',
                     '-c', 'Name').split()


def _wait_snapshot(d, name):
    deadline = time.monotonic() + 60
    while openstack(d, 'share', 'snapshot', 'show', name, '-f', 'value',
                    '-c', 'status') != 'available':
        assert time.monotonic() < deadline, name
        time.sleep(0.5)


def test_share_revert_command(d):
    openstack(d, 'share', 'type', 'create', 'revertible', 'false',
              '--extra-specs', 'snapshot_support=True',
              'revert_to_snapshot_support=True')
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'rv',
                         '--share-type', 'revertible',
                         '--availability-zone', 'az1', '-f', 'value',
                         '-c', 'id')
    wait_field(d, 'rv', 'status', 'available')
    assert openstack(d, 'share', 'show', 'rv', '-f', 'value', '-c',
                     'revert_to_snapshot_support') == 'True'
    path = _local(d, share_id)
    os.makedirs(os.path.join(path, 'sub'))
    for i in range(3):
        with open(os.path.join(path, 'sub', 'f%d' % i), 'wb') as f:
            f.write(os.urandom(5000))
    before = contents(path)
    openstack(d, 'share', 'snapshot', 'create', 'rv', '--name', 'rv-snap')
    _wait_snapshot(d, 'rv-snap')
    with open(os.path.join(path, 'sub', 'f0'), 'wb') as f:
        f.write(b'changed after the snapshot')
    os.remove(os.path.join(path, 'sub', 'f1'))
    with open(os.path.join(path, 'extra'), 'wb') as f:
        f.write(b'new')

    openstack(d, 'share', 'revert', 'rv-snap', '--wait')
    wait_field(d, 'rv', 'status', 'available')
    assert contents(path) == before
    _wait_snapshot(d, 'rv-snap')
    openstack(d, 'share', 'snapshot', 'delete', 'rv-snap', '--wait')
    openstack(d, 'share', 'delete', 'rv', '--wait')


def test_share_soft_delete_and_restore_commands(d):
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'bin',
                         '--availability-zone', 'az1', '-f', 'value',
                         '-c', 'id')
    wait_field(d, 'bin', 'status', 'available')
    path = _local(d, share_id)
    with open(os.path.join(path, 'kept'), 'wb') as f:
        f.write(b'kept in the bin')

    openstack(d, 'share', 'delete', 'bin', '--soft')
    wait_field(d, share_id, 'is_soft_deleted', 'True')
    assert 'bin' not in _names(d)
    assert 'bin' in _names(d, '--soft-deleted')
    with open(os.path.join(path, 'kept'), 'rb') as f:
        assert f.read() == b'kept in the bin'

    openstack(d, 'share', 'restore', share_id)
    wait_field(d, share_id, 'is_soft_deleted', 'False')
    assert 'bin' in _names(d)
    assert 'bin' not in _names(d, '--soft-deleted')
    openstack(d, 'share', 'delete', 'bin', '--wait')
