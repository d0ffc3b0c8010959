"""The suite as separate processes over RabbitMQ, on MariaDB and on
PostgreSQL, driven over HTTP."""

import os


def test_share_lifecycle_across_processes(deployment):
    d = deployment
    status, body = d.request('GET', '/', version=None)
    assert status == 300
    v2 = [v for v in body['versions'] if v['status'] == 'CURRENT'][0]
    assert (v2['min_version'], v2['version']) == ('2.0', '2.99')

    services = d.wait_services(4)
    zones = {s['host']: s['zone'] for s in services
             if s['binary'] == 'manila-share'}
    assert zones == {d.host + '@local1': 'az1', d.host + '@local2': 'az2'}

    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'default', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}})
    assert status == 200, body

    status, body = d.request('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'name': 'fs1',
        'availability_zone': 'az2'}})
    assert status == 200, body
    share_id = body['share']['id']
    share = d.wait_for('/v2/shares/' + share_id, 'share', 'status',
                       'available')
    assert share['host'].startswith(d.host + '@local2#')
    status, body = d.request(
        'GET', '/v2/shares/%s/export_locations' % share_id)
    assert status == 200
    local = [el['path'] for el in body['export_locations']
             if el['is_admin_only']][0]
    assert local.startswith(os.path.join(d.workdir, 'local2'))
    assert os.path.isdir(local)

    status, body = d.request('GET', '/v2/shares/detail?name=fs1')
    assert [s['id'] for s in body['shares']] == [share_id]

    status, _ = d.request('DELETE', '/v2/shares/' + share_id)
    assert status == 202
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', None)
    assert not os.path.exists(local)


def test_member_cannot_list_services(deployment):
    status, body = deployment.request(
        'GET', '/v2/services', headers={'X-Roles': 'member,reader'},
        token='alice:proj-a')
    assert status == 403
    assert body['forbidden']['code'] == 403
