"""The whole suite in one process, as manila-lite-all runs it: the WSGI
app, scheduler, two local backends in two zones and the data service
over the in-process transport, real directories on disk."""

import os
import stat
import time

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.share import api as share_api


def wait_for(client, path, key, field, wanted, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        resp = client('GET', path, version='2.98')
        if wanted is None and resp.status_int == 404:
            return None
        body = resp.json_body_or_none
        if body and body[key][field] == wanted:
            return body[key]
        if time.monotonic() > deadline:
            raise AssertionError('%s %s never became %s: %s'
                                 % (path, field, wanted, body))
        time.sleep(0.05)


def local_path(client, share_id):
    resp = client('GET', '/v2/shares/%s/export_locations' % share_id,
                  version='2.98')
    paths = [el['path'] for el in resp.json_body_or_none['export_locations']
             if el['is_admin_only']]
    return paths[0]


def test_share_lifecycle_moves_real_directories(stack):
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'name': 'one',
        'availability_zone': 'az2'}}, version='2.98')
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    share = wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
                     'available')
    assert share['availability_zone'] == 'az2'
    assert share['host'].startswith(stack.conf.host + '@local2#')
    path = local_path(stack, share_id)
    assert os.path.isdir(path)
    with open(os.path.join(path, 'data.txt'), 'w') as f:
        f.write('hello')

    resp = stack('POST', '/v2/shares/%s/action' % share_id, {
        'allow_access': {'access_type': 'ip', 'access_to': '10.0.0.0/24',
                         'access_level': 'ro'}}, version='2.98')
    assert resp.status_int == 200, resp.body
    wait_for(stack, '/v2/shares/' + share_id, 'share',
             'access_rules_status', 'active')
    exports = os.path.join(os.path.dirname(os.path.dirname(path)),
                           'exports')
    with open(exports) as f:
        assert '%s 10.0.0.0/24(ro)' % path in f.read()

    resp = stack('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share_id, 'name': 'snap'}}, version='2.98')
    assert resp.status_int == 202, resp.body
    snap_id = resp.json_body_or_none['snapshot']['id']
    wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot', 'status',
             'available')
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'snapshot_id': snap_id}},
        version='2.98')
    assert resp.status_int == 200, resp.body
    clone_id = resp.json_body_or_none['share']['id']
    wait_for(stack, '/v2/shares/' + clone_id, 'share', 'status',
             'available')
    clone_path = local_path(stack, clone_id)
    with open(os.path.join(clone_path, 'data.txt')) as f:
        assert f.read() == 'hello'
    assert os.stat(clone_path).st_mode & stat.S_IWUSR

    for sid in (clone_id,):
        assert stack('DELETE', '/v2/shares/' + sid,
                     version='2.98').status_int == 202
        wait_for(stack, '/v2/shares/' + sid, 'share', 'status', None)
    # A share with snapshots cannot go (upstream's 403).
    assert stack('DELETE', '/v2/shares/' + share_id,
                 version='2.98').status_int == 403
    assert stack('DELETE', '/v2/snapshots/' + snap_id,
                 version='2.98').status_int == 202
    wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot', 'status', None)
    assert stack('DELETE', '/v2/shares/' + share_id,
                 version='2.98').status_int == 202
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status', None)
    assert not os.path.exists(path)
    assert not os.path.exists(clone_path)


def test_no_pool_fits_means_error(stack):
    # No quota stands in the way: the scheduler is what refuses.
    stack.conf.set_override('gigabytes', -1, group='quota')
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 10 ** 7}}, version='2.98')
    assert resp.status_int == 200
    share_id = resp.json_body_or_none['share']['id']
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status', 'error')
    assert stack('DELETE', '/v2/shares/' + share_id,
                 version='2.98').status_int == 202
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status', None)


def test_ensure_applies_new_export_host(stack):
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': 'az1'}},
        version='2.98')
    share_id = resp.json_body_or_none['share']['id']
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    stack.conf.set_override('local_export_host', '192.0.2.7',
                            group='local1')
    ctx = context.get_admin_context()
    share_api.API(stack.conf).ensure_shares(
        ctx, '%s@local1' % stack.conf.host)
    deadline = time.monotonic() + 10
    while True:
        resp = stack('GET', '/v2/shares/%s/export_locations' % share_id,
                     version='2.98')
        paths = [el['path']
                 for el in resp.json_body_or_none['export_locations']]
        if any(p.startswith('192.0.2.7:') for p in paths):
            break
        assert time.monotonic() < deadline, paths
        time.sleep(0.05)
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             states.STATUS_AVAILABLE)
