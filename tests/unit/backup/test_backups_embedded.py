"""Share backups end to end in one process (as manila-lite-all): the
API, the share services and the data service over the in-process
transport, real trees on disk."""

import os
import stat

import pytest

from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for

V = '2.85'
EXP = {'X-OpenStack-Manila-API-Experimental': 'True'}


def call(client, method, path, body=None, **kwargs):
    kwargs.setdefault('version', V)
    kwargs.setdefault('headers', EXP)
    return client(method, path, body, **kwargs)


def make_share(client):
    resp = client('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'name': 'b'}}, version=V)
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    wait_for(client, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    return share_id


def wait_backup(client, backup_id, status, timeout=20):
    return wait_for_exp(client, '/v2/share-backups/' + backup_id,
                        'share_backup', 'status', status, timeout)


def wait_for_exp(client, path, key, field, wanted, timeout=20):
    import time

    deadline = time.monotonic() + timeout
    while True:
        resp = call(client, 'GET', path)
        body = resp.json_body_or_none
        if wanted is None and resp.status_int == 404:
            return None
        if body and body[key][field] == wanted:
            return body[key]
        if time.monotonic() > deadline:
            raise AssertionError('%s never had %s=%s: %s'
                                 % (path, field, wanted, body))
        time.sleep(0.05)


def fill(root, n=20):
    os.makedirs(os.path.join(root, 'dir', 'sub'), exist_ok=True)
    for i in range(n):
        with open(os.path.join(root, 'dir', 'f%02d' % i), 'wb') as f:
            f.write(os.urandom(1000 + i))
    with open(os.path.join(root, 'dir', 'sub', 'ro'), 'wb') as f:
        f.write(b'read only')
    os.chmod(os.path.join(root, 'dir', 'sub', 'ro'), 0o444)
    os.symlink('/etc/passwd', os.path.join(root, 'link-out'))


def snapshot_tree(root):
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode):
                with open(path, 'rb') as f:
                    data = f.read()
            elif stat.S_ISLNK(st.st_mode):
                data = os.readlink(path)
            else:
                data = None
            out[os.path.relpath(path, root)] = (
                stat.S_IMODE(st.st_mode), stat.S_IFMT(st.st_mode),
                st.st_uid, st.st_gid, st.st_mtime_ns
                if not stat.S_ISDIR(st.st_mode) else None, data)
    return out


def test_backup_incremental_restore_delete(stack):
    share_id = make_share(stack)
    root = local_path(stack, share_id)
    fill(root)
    before = snapshot_tree(root)

    resp = call(stack, 'POST', '/v2/share-backups', {'share_backup': {
        'share_id': share_id, 'name': 'first', 'description': 'd',
        'backup_options': {}}})
    assert resp.status_int == 202, resp.body
    first = resp.json_body_or_none['share_backup']
    assert first['status'] == 'creating'
    first = wait_backup(stack, first['id'], 'available')
    assert first['progress'] == '100'
    assert first['bytes_shared'] == 0
    assert first['bytes_copied'] > 20000
    share = wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
                     'available')
    assert share['status'] == 'available'

    # One file changed: the second backup copies it only.
    with open(os.path.join(root, 'dir', 'f03'), 'wb') as f:
        f.write(b'changed')
    resp = call(stack, 'POST', '/v2/share-backups', {'share_backup': {
        'share_id': share_id, 'name': 'second'}})
    assert resp.status_int == 202, resp.body
    second = wait_backup(stack, resp.json_body_or_none['share_backup']['id'],
                         'available')
    assert second['bytes_copied'] == len(b'changed') + 0
    assert second['bytes_shared'] == first['bytes_copied'] - 1003

    # Deleting the first leaves the second whole.
    resp = call(stack, 'DELETE', '/v2/share-backups/' + first['id'])
    assert resp.status_int == 202, resp.body
    wait_backup(stack, first['id'], None)

    # Change the share, restore the second backup: equal to its tree.
    with open(os.path.join(root, 'dir', 'f05'), 'wb') as f:
        f.write(b'later')
    os.unlink(os.path.join(root, 'dir', 'f06'))
    with open(os.path.join(root, 'extra'), 'wb') as f:
        f.write(b'extra')
    expected = dict(before)
    expected_f03 = snapshot_tree(root)['dir/f03']
    expected['dir/f03'] = expected_f03
    resp = call(stack, 'POST', '/v2/share-backups/%s/action' % second['id'],
                {'restore': None})
    assert resp.status_int == 202, resp.body
    assert resp.json_body_or_none == {'restore': {
        'backup_id': second['id'], 'share_id': share_id}}
    done = wait_for_exp(stack, '/v2/share-backups/' + second['id'],
                        'share_backup', 'restore_progress', '100')
    assert done['status'] == 'available'
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    assert snapshot_tree(root) == expected


@pytest.mark.parametrize('kind', ['error', 'snapshot'])
def test_create_refused_unless_share_available(stack, kind):
    share_id = make_share(stack)
    if kind == 'error':
        resp = stack('POST', '/v2/shares/%s/action' % share_id,
                     {'reset_status': {'status': 'error'}}, version=V)
        assert resp.status_int == 202, resp.body
        message = ("Share %s is in 'error' state, but it must be in "
                   "'available' state to create a backup." % share_id)
    else:
        resp = stack('POST', '/v2/snapshots', {'snapshot': {
            'share_id': share_id}}, version=V)
        assert resp.status_int == 202, resp.body
        message = ('Cannot backup share %s while it has snapshots.'
                   % share_id)
    resp = call(stack, 'POST', '/v2/share-backups', {'share_backup': {
        'share_id': share_id}})
    assert resp.status_int == 400
    assert resp.json_body_or_none == {'badRequest': {
        'code': 400, 'message': message}}


def test_update_answers_200_and_renames(stack):
    """manila-tempest-plugin's test_update_share_backup expects 200."""
    share_id = make_share(stack)
    resp = call(stack, 'POST', '/v2/share-backups', {'share_backup': {
        'share_id': share_id}})
    backup_id = resp.json_body_or_none['share_backup']['id']
    wait_backup(stack, backup_id, 'available')
    resp = call(stack, 'PUT', '/v2/share-backups/' + backup_id,
                {'share_backup': {'name': 'new', 'description': 'text'}})
    assert resp.status_int == 200, resp.body
    body = resp.json_body_or_none['share_backup']
    assert (body['name'], body['description']) == ('new', 'text')


def test_backups_need_the_experimental_header(stack):
    resp = stack('GET', '/v2/share-backups', version=V)
    assert resp.status_int == 404
    resp = call(stack, 'GET', '/v2/share-backups', version='2.79')
    assert resp.status_int == 404


def test_missing_share_and_unknown_backup(stack):
    resp = call(stack, 'POST', '/v2/share-backups', {'share_backup': {
        'share_id': 'nope'}})
    assert resp.status_int == 400
    assert resp.json_body_or_none == {'badRequest': {
        'code': 400, 'message': 'No share exists with ID nope.'}}
    resp = call(stack, 'POST', '/v2/share-backups', {'share_backup': {}})
    assert resp.json_body_or_none == {'badRequest': {
        'code': 400,
        'message': "'share_id' is missing from the request body."}}
    resp = call(stack, 'GET', '/v2/share-backups/nope')
    assert resp.status_int == 404
    assert resp.json_body_or_none == {'itemNotFound': {
        'code': 404, 'message': 'No backup exists with ID nope.'}}
