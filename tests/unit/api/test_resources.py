"""The v2 resources end to end through the app, real SQLite behind."""

import pytest

from manila_lite.common import states
from tests.unit import rows
from tests.unit.api.conftest import fault

NEW = '2.99'


def _share(client, **extra):
    body = {'size': 1, 'share_proto': 'NFS', 'name': 'sh1'}
    body.update(extra)
    resp = client('POST', '/v2/shares', {'share': body}, version=NEW)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share']


def _make_available(db, admin_ctx, share_id, host='node1@local1#p1'):
    share = db.share_get(admin_ctx, share_id)
    rows.share_instance_update(admin_ctx, share.instance.id, {
        'status': states.STATUS_AVAILABLE, 'host': host,
        'availability_zone': 'az1'})
    db.export_locations_replace(admin_ctx, share.instance.id, [
        {'path': '127.0.0.1:/srv/x', 'preferred': True},
        {'path': '/srv/x', 'is_admin_only': True}])
    return share.instance.id


def test_share_detail_fields_follow_the_version(client):
    share = _share(client, metadata={'k': 'v'})
    assert share['status'] == 'creating'
    assert share['metadata'] == {'k': 'v'}
    assert share['share_type'] == client.default_type['id']
    assert share['share_type_name'] == 'default'
    for key in ('task_state', 'access_rules_status', 'replication_type',
                'has_replicas', 'user_id', 'progress', 'is_soft_deleted',
                'snapshot_inherit_share_access_support'):
        assert key in share, key
    assert 'export_location' not in share
    assert share['links'][0]['href'].endswith('/v2/admin/shares/%s'
                                              % share['id'])
    old = client('GET', '/v2/shares/%s' % share['id'],
                 version='2.0').json_body_or_none['share']
    assert old['share_type'] == 'default'
    assert old['export_locations'] == []
    for key in ('task_state', 'user_id', 'snapshot_support',
                'share_type_name'):
        assert key not in old, key
    mid = client('GET', '/v2/shares/%s' % share['id'],
                 version='2.10').json_body_or_none['share']
    assert 'access_rules_status' in mid and 'has_replicas' not in mid


@pytest.mark.parametrize('field,value', [
    ('encryption_key_ref', '2d2bd7d4-1bd4-4c9f-a1a6-6d3b6ed0b1c1'),
    ('mount_point_name', 'projects'),
])
def test_unsupported_share_fields_are_refused(client, field, value):
    """A share asked to be encrypted (or mounted at a chosen name) is
    refused with 400 and nothing is created; null is accepted."""
    resp = client('POST', '/v2/shares', {'share': {
        'size': 1, 'share_proto': 'NFS', field: value}}, version=NEW)
    name, code, message = fault(resp)
    assert (resp.status_int, name, code) == (400, 'badRequest', 400)
    assert field in message
    listed = client('GET', '/v2/shares', version=NEW).json_body_or_none
    assert listed['shares'] == []
    assert _share(client, **{field: None})['id']


def test_list_summary_detail_filters_and_count(client):
    a = _share(client, name='alpha')
    _share(client, name='beta')
    resp = client('GET', '/v2/shares', version=NEW)
    assert {s['name'] for s in resp.json_body_or_none['shares']} == {
        'alpha', 'beta'}
    assert set(resp.json_body_or_none['shares'][0]) == {'id', 'name',
                                                        'links'}
    resp = client('GET', '/v2/shares/detail?name=alpha', version=NEW)
    assert [s['id'] for s in resp.json_body_or_none['shares']] == [a['id']]
    resp = client('GET', '/v2/shares/detail?with_count=true&limit=1',
                  version=NEW)
    body = resp.json_body_or_none
    assert body['count'] == 2 and len(body['shares']) == 1
    assert 'offset=1' in body['shares_links'][0]['href']
    resp = client('GET', '/v2/shares?limit=abc')
    assert fault(resp)[:2] == ('badRequest', 400)
    resp = client('GET', '/v2/shares?is_soft_deleted=maybe', version=NEW)
    assert fault(resp)[:2] == ('badRequest', 400)
    resp = client('GET', '/v2/shares?sort_key=bogus')
    assert fault(resp)[:2] == ('badRequest', 400)


def test_update_and_delete(client, db, admin_ctx):
    share = _share(client)
    path = '/v2/shares/%s' % share['id']
    resp = client('PUT', path, {'share': {'display_name': 'renamed',
                                          'description': 'd'}})
    assert resp.json_body_or_none['share']['name'] == 'renamed'
    resp = client('PUT', path, {'share': {'size': 3}})
    assert resp.status_int == 400
    # A never-scheduled share is removed at once.
    rows.share_instance_update(admin_ctx, db.share_get(
        admin_ctx, share['id']).instance.id, {'status': 'available'})
    assert client('DELETE', path).status_int == 202
    assert client('GET', path).status_int == 404


def test_metadata_endpoints(client):
    share = _share(client, metadata={'a': '1'})
    base = '/v2/shares/%s/metadata' % share['id']
    assert client('GET', base).json_body_or_none == {'metadata': {'a': '1'}}
    resp = client('POST', base, {'metadata': {'b': '2'}})
    assert resp.json_body_or_none == {'metadata': {'a': '1', 'b': '2'}}
    resp = client('PUT', base, {'metadata': {'c': '3'}})
    assert resp.json_body_or_none == {'metadata': {'c': '3'}}
    assert client('GET', base + '/c').json_body_or_none == {
        'meta': {'c': '3'}}
    assert client('GET', base + '/zz').status_int == 404
    resp = client('PUT', base + '/c', {'meta': {'c': '4'}})
    assert resp.json_body_or_none == {'meta': {'c': '4'}}
    assert client('PUT', base + '/c', {'meta': {'d': '4'}}).status_int == 400
    assert client('DELETE', base + '/c').status_int == 200
    assert client('GET', base).json_body_or_none == {'metadata': {}}
    assert client('POST', base, {'metadata': 'x'}).status_int == 400


def test_export_locations_hide_admin_only_paths(client, db, admin_ctx):
    share = _share(client, name='el')
    _make_available(db, admin_ctx, share['id'])
    path = '/v2/shares/%s/export_locations' % share['id']
    admin = client('GET', path, version=NEW).json_body_or_none
    assert len(admin['export_locations']) == 2
    assert 'is_admin_only' in admin['export_locations'][0]
    el_id = admin['export_locations'][0]['id']
    one = client('GET', path + '/' + el_id, version=NEW).json_body_or_none
    assert one['export_location']['path'] in ('127.0.0.1:/srv/x', '/srv/x')
    assert 'created_at' in one['export_location']
    assert client('GET', path + '/nope', version=NEW).status_int == 404


def test_share_types(client):
    tid = client.default_type['id']
    resp = client('GET', '/v2/types/default', version=NEW)
    body = resp.json_body_or_none
    assert body['share_type']['id'] == tid
    assert body['share_type']['is_default'] is True
    assert body['volume_type'] == body['share_type']
    assert body['share_type']['required_extra_specs'] == {
        'driver_handles_share_servers': 'false'}
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'gold', 'description': 'fast', 'extra_specs': {
            'driver_handles_share_servers': False,
            'snapshot_support': True}}}, version=NEW)
    gold = resp.json_body_or_none['share_type']
    assert gold['description'] == 'fast'
    assert gold['extra_specs']['snapshot_support'] == 'True'
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'gold', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}})
    assert fault(resp)[:2] == ('conflictingRequest', 409)
    resp = client('POST', '/v2/types', {'share_type': {'name': 'x',
                                                       'extra_specs': {}}})
    assert resp.status_int == 400
    names = {t['name'] for t in client('GET', '/v2/types').json_body_or_none[
        'share_types']}
    assert names == {'default', 'gold'}
    path = '/v2/types/%s' % gold['id']
    assert client('PUT', path, {'share_type': {'name': 'g2'}},
                  version='2.49').status_int == 404
    resp = client('PUT', path, {'share_type': {'name': 'g2'}},
                  version='2.50')
    assert resp.json_body_or_none['share_type']['name'] == 'g2'
    specs = path + '/extra_specs'
    resp = client('POST', specs, {'extra_specs': {'foo': 'bar'}})
    assert resp.json_body_or_none == {'extra_specs': {'foo': 'bar'}}
    assert client('GET', specs + '/foo').json_body_or_none == {'foo': 'bar'}
    # One spec updated through its own URL; the body must name it.
    resp = client('PUT', specs + '/foo', {'foo': 'baz'})
    assert (resp.status_int, resp.json_body_or_none) == (200, {'foo': 'baz'})
    assert client('GET', specs + '/foo').json_body_or_none == {'foo': 'baz'}
    resp = client('PUT', specs + '/foo', {'other': 'x'})
    assert fault(resp) == ('badRequest', 400,
                           'Request body and URI mismatch')
    assert client('PUT', specs + '/foo',
                  {'foo': 'a', 'bar': 'b'}).status_int == 400
    assert client('GET', specs + '/foo').json_body_or_none == {'foo': 'baz'}
    assert client('DELETE', specs + '/foo').status_int == 202
    assert client('GET', specs + '/foo').status_int == 404
    assert 'foo' not in client('GET', specs).json_body_or_none[
        'extra_specs']
    assert client('DELETE', path).status_int == 202
    assert client('GET', path).status_int == 404
    # A member sees only tenant-visible specs.
    resp = client.member('GET', '/v2/types/%s' % tid)
    assert resp.status_int == 200


def test_share_type_in_use_cannot_be_deleted(client):
    _share(client)
    resp = client('DELETE', '/v2/types/%s' % client.default_type['id'])
    # Upstream's answer, word for word.
    assert fault(resp) == ('badRequest', 400,
                           'Target share type is still in use.')


def test_snapshots(client, db, admin_ctx):
    share = _share(client, name='snapme')
    resp = client('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share['id']}})
    assert resp.status_int == 400  # share still creating
    _make_available(db, admin_ctx, share['id'])
    resp = client('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share['id'], 'name': 's1'}}, version=NEW)
    assert resp.status_int == 202
    snap = resp.json_body_or_none['snapshot']
    assert snap['status'] == 'creating' and snap['project_id'] == 'admin'
    # The back end's location: for administrators, from 2.12.
    assert 'provider_location' in snap
    assert 'provider_location' not in client(
        'GET', '/v2/snapshots/' + snap['id'],
        version='2.11').json_body_or_none['snapshot']
    listed = client('GET', '/v2/snapshots/detail').json_body_or_none
    assert [s['id'] for s in listed['snapshots']] == [snap['id']]
    path = '/v2/snapshots/%s' % snap['id']
    resp = client('PUT', path, {'snapshot': {'name': 's2'}})
    assert resp.json_body_or_none['snapshot']['name'] == 's2'
    assert client('POST', '/v2/snapshots', {'snapshot': {}}).status_int == \
        400
    assert client.member('GET', path).status_int == 404


def test_access_rules(client, db, admin_ctx):
    share = _share(client, name='acc')
    _make_available(db, admin_ctx, share['id'])
    action = '/v2/shares/%s/action' % share['id']
    resp = client('POST', action, {'allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.0/24'}}, version=NEW)
    assert resp.status_int == 200, resp.body
    rule = resp.json_body_or_none['access']
    assert rule['access_level'] == 'rw'
    assert rule['state'] == 'queued_to_apply'
    resp = client('POST', action, {'allow_access': {
        'access_type': 'ip', 'access_to': 'not-an-ip'}}, version=NEW)
    assert resp.status_int == 400
    resp = client('POST', action, {'os-allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.9'}}, version='2.7')
    assert resp.status_int == 404
    resp = client('GET', '/v2/share-access-rules?share_id=%s' % share['id'],
                  version=NEW)
    assert [r['id'] for r in resp.json_body_or_none['access_list']] == [
        rule['id']]
    resp = client('GET', '/v2/share-access-rules/%s' % rule['id'],
                  version=NEW)
    assert resp.json_body_or_none['access']['share_id'] == share['id']
    resp = client('POST', action, {'access_list': None}, version='2.44')
    assert len(resp.json_body_or_none['access_list']) == 1
    assert client('POST', action, {'access_list': None},
                  version='2.45').status_int == 404
    resp = client('POST', action, {'deny_access': {
        'access_id': rule['id']}}, version=NEW)
    assert resp.status_int == 202


@pytest.mark.parametrize('body,message', [
    ({'no_such': None}, 'There is no such action: no_such'),
    ({'a': 1, 'b': 2}, 'Malformed request body'),
    ([], 'Malformed request body'),
])
def test_action_errors(client, body, message):
    share = _share(client)
    resp = client('POST', '/v2/shares/%s/action' % share['id'], body)
    assert fault(resp) == ('badRequest', 400, message)


def test_reset_status_values_and_legacy_name(client):
    share = _share(client)
    action = '/v2/shares/%s/action' % share['id']
    resp = client('POST', action, {'os-reset_status': {'status': 'error'}},
                  version='2.6')
    assert resp.status_int == 202
    resp = client('POST', action, {'reset_status': {'status': 'bogus'}},
                  version='2.7')
    assert resp.status_int == 400
    resp = client('POST', action, {'reset_status': {}}, version='2.7')
    assert resp.status_int == 400
    resp = client('POST', action, {'force_delete': None}, version='2.7')
    assert resp.status_int == 202


def test_zones_and_services(client, db, admin_ctx):
    db.service_create_or_update(admin_ctx, host='node1@local1',
                                binary='manila-share', topic='manila-share',
                                availability_zone='az1')
    db.service_create_or_update(admin_ctx, host='node1',
                                binary='manila-scheduler',
                                topic='manila-scheduler',
                                availability_zone='az1')
    zones = client('GET', '/v2/availability-zones',
                   version=NEW).json_body_or_none['availability_zones']
    assert [z['name'] for z in zones] == ['az1']
    assert client('GET', '/v2/os-availability-zone').status_int == 200
    resp = client('GET', '/v2/services?binary=manila-share', version=NEW)
    (svc,) = resp.json_body_or_none['services']
    assert svc['host'] == 'node1@local1' and svc['state'] == 'up'
    assert svc['status'] == 'enabled' and svc['ensuring'] is False
    assert 'disabled_reason' in svc
    old = client('GET', '/v2/os-services').json_body_or_none['services']
    assert len(old) == 2 and 'ensuring' not in old[0]
    resp = client('GET', '/v2/services?status=bogus', version=NEW)
    assert resp.json_body_or_none == {'services': []}
    resp = client('GET', '/v2/services?ensuring=maybe', version=NEW)
    assert resp.json_body_or_none == {'services': []}
    resp = client('GET', '/v2/services?ensuring=false', version=NEW)
    assert len(resp.json_body_or_none['services']) == 2


def test_client_lookup_by_name_finds_the_share(client):
    # What `openstack share show <name>` asks for.
    share = _share(client, name='byname')
    resp = client('GET', '/v2/shares/detail?all_tenants=1&is_public=True',
                  version='2.98')
    assert [s['id'] for s in resp.json_body_or_none['shares']] == [
        share['id']]


def test_services_enable_and_disable(client, db, admin_ctx):
    db.service_create_or_update(admin_ctx, host='node1@local1',
                                binary='manila-share', topic='manila-share')
    target = {'host': 'node1@local1', 'binary': 'manila-share'}

    def listed(version='2.86'):
        services = client('GET', '/v2/services',
                          version=version).json_body_or_none['services']
        return next(s for s in services if s['host'] == 'node1@local1')

    resp = client('PUT', '/v2/services/disable',
                  dict(target, disabled_reason='disk swap'), version='2.86')
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none == dict(
        target, status='disabled', disabled_reason='disk swap',
        ensuring=False)
    shown = listed()
    assert (shown['status'], shown['disabled_reason']) == (
        'disabled', 'disk swap')
    # No reason below 2.83, nor on enable; both name a real service.
    resp = client('PUT', '/v2/services/disable',
                  dict(target, disabled_reason='x'), version='2.82')
    assert fault(resp)[:2] == ('badRequest', 400)
    resp = client('PUT', '/v2/services/enable',
                  dict(target, disabled_reason='x'), version='2.86')
    assert fault(resp)[:2] == ('badRequest', 400)
    resp = client('PUT', '/v2/services/enable',
                  {'host': 'nowhere@x', 'binary': 'manila-share'},
                  version='2.86')
    assert fault(resp)[:2] == ('itemNotFound', 404)
    assert client('PUT', '/v2/services/enable', {'host': 'node1@local1'},
                  version='2.86').status_int == 400
    assert listed()['status'] == 'disabled'
    # Before 2.7 the same calls live under os-services.
    resp = client('PUT', '/v2/os-services/enable', target, version='2.6')
    assert resp.json_body_or_none == dict(target, status='enabled')
    shown = listed()
    assert (shown['status'], shown['disabled_reason']) == ('enabled', None)
    assert client.member('PUT', '/v2/services/disable', target,
                         version='2.86').status_int == 403
    assert listed()['status'] == 'enabled'
