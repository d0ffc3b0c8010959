"""What a non-admin sees of a share's export paths and host up to 2.8.

Upstream (manila/api/views/shares.py with the Share model's
``export_location`` and ``export_locations`` properties) puts every
export path of the share in the body up to 2.8, admin-only ones
included: the model's properties do not filter on ``is_admin_only``,
only the export locations API (2.9+) does. ``host`` and
``share_server_id`` are added for a host admin alone, at every
version. We match both.
"""

import pytest

from tests.unit.api.test_resources import _make_available

PATHS = ['127.0.0.1:/srv/x', '/srv/x']


def _member_share(client, db, admin_ctx):
    resp = client.member('POST', '/v2/shares', {'share': {
        'size': 1, 'share_proto': 'NFS', 'name': 'mine'}}, version='2.7')
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    _make_available(db, admin_ctx, share_id)
    return share_id


@pytest.mark.parametrize('version', ['2.0', '2.7', '2.8'])
def test_member_up_to_2_8_sees_every_path_but_no_host(client, db,
                                                      admin_ctx, version):
    share_id = _member_share(client, db, admin_ctx)
    for path in ('/v2/shares/' + share_id, '/v2/shares/detail'):
        resp = client.member('GET', path, version=version)
        assert resp.status_int == 200, resp.body
        body = resp.json_body_or_none
        share = body['share'] if 'share' in body else body['shares'][0]
        assert share['export_locations'] == PATHS
        assert share['export_location'] == PATHS[0]
        assert 'host' not in share
        assert 'share_server_id' not in share


def test_admin_up_to_2_8_sees_paths_and_host(client, db, admin_ctx):
    share_id = _member_share(client, db, admin_ctx)
    share = client('GET', '/v2/shares/' + share_id,
                   version='2.8').json_body_or_none['share']
    assert share['export_locations'] == PATHS
    assert share['host'] == 'node1@local1#p1'
    assert 'share_server_id' in share


def test_member_from_2_9_gets_no_paths_in_the_body_and_no_admin_path(
        client, db, admin_ctx):
    share_id = _member_share(client, db, admin_ctx)
    share = client.member('GET', '/v2/shares/' + share_id,
                          version='2.9').json_body_or_none['share']
    assert 'export_locations' not in share
    assert 'export_location' not in share
    assert 'host' not in share
    resp = client.member('GET', '/v2/shares/%s/export_locations' % share_id,
                         version='2.9')
    assert [el['path'] for el in resp.json_body_or_none[
        'export_locations']] == PATHS[:1]
