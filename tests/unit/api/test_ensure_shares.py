"""POST /v2/services/ensure-shares through the app with the real share
service API: both body shapes, every refusal with its fault body, and
the services list fields and filter around it."""

import datetime
from unittest import mock

import oslo_messaging as messaging
from oslo_utils import timeutils
import pytest

from manila_lite.common import states
from manila_lite.share import rpcapi as share_rpcapi
from tests.unit.api.conftest import fault

HOST = 'node1@local1'
PATH = '/v2/services/ensure-shares'
V = '2.86'


@pytest.fixture
def share_service(db, admin_ctx):
    row = db.service_create_or_update(
        admin_ctx, host=HOST, binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az1')
    db.service_heartbeat(admin_ctx, row.id)
    return row


def _ensuring(db, admin_ctx, service):
    return db.service_get(admin_ctx, service.id).ensuring


@pytest.mark.parametrize('body', [
    {'host': HOST},
    {'ensure_shares': {'host': HOST}},
], ids=['flat-client-shape', 'wrapped-server-shape'])
@pytest.mark.parametrize('prefix', ['/v2', '/v2/admin'])
def test_accepted_and_service_marked_ensuring(client, db, admin_ctx,
                                              share_service, body, prefix):
    path = prefix + '/services/ensure-shares'
    resp = client('POST', path, body, version=V)
    assert resp.status_int == 202, resp.body
    assert resp.body == b''
    assert resp.headers['X-OpenStack-Manila-API-Version'] == V
    assert _ensuring(db, admin_ctx, share_service) is True


def test_cast_goes_to_that_backend(client, share_service):
    with mock.patch.object(share_rpcapi.ShareAPI, 'ensure_shares',
                           autospec=True) as cast:
        resp = client('POST', PATH, {'host': HOST}, version=V)
    assert resp.status_int == 202
    cast.assert_called_once_with(mock.ANY, mock.ANY, HOST)


def test_bus_down_is_503_and_flag_rolled_back(client, db, admin_ctx,
                                              share_service):
    with mock.patch.object(share_rpcapi.ShareAPI, 'ensure_shares',
                           autospec=True,
                           side_effect=messaging.MessageDeliveryFailure()):
        resp = client('POST', PATH, {'host': HOST}, version=V)
    assert fault(resp)[:2] == ('serviceUnavailable', 503)
    assert _ensuring(db, admin_ctx, share_service) is False


def test_unknown_host_is_404(client, share_service):
    resp = client('POST', PATH, {'host': 'node9@local1'}, version=V)
    assert resp.status_int == 404
    name, code, message = fault(resp)
    assert (name, code) == ('itemNotFound', 404)
    assert 'node9@local1' in message


def test_non_share_binary_does_not_match(client, db, admin_ctx):
    row = db.service_create_or_update(
        admin_ctx, host='node1', binary=states.BINARY_SCHEDULER,
        topic='manila-scheduler')
    db.service_heartbeat(admin_ctx, row.id)
    resp = client('POST', PATH, {'host': 'node1'}, version=V)
    assert fault(resp)[:2] == ('itemNotFound', 404)


def test_stopped_service_is_409(client, db, admin_ctx, share_service):
    db.service_update(admin_ctx, share_service.id, {'stopped': True})
    resp = client('POST', PATH, {'host': HOST}, version=V)
    assert resp.status_int == 409
    name, code, message = fault(resp)
    assert (name, code) == ('conflictingRequest', 409)
    assert HOST in message
    assert _ensuring(db, admin_ctx, share_service) is False


def test_stale_heartbeat_is_409(client, conf, db, admin_ctx,
                                share_service):
    stale = timeutils.utcnow() - datetime.timedelta(
        seconds=conf.service_down_time + 5)
    db.service_update(admin_ctx, share_service.id, {'updated_at': stale})
    assert db.service_get(admin_ctx, share_service.id).updated_at == stale
    resp = client('POST', PATH, {'host': HOST}, version=V)
    assert fault(resp)[:2] == ('conflictingRequest', 409)


def test_already_ensuring_is_409(client, db, admin_ctx, share_service):
    assert db.service_set_ensuring(admin_ctx, share_service.id, True)
    resp = client('POST', PATH, {'host': HOST}, version=V)
    assert resp.status_int == 409
    name, code, message = fault(resp)
    assert (name, code) == ('conflictingRequest', 409)
    assert 'already' in message


def test_second_request_conflicts_with_the_first(client, share_service):
    assert client('POST', PATH, {'host': HOST},
                  version=V).status_int == 202
    resp = client('POST', PATH, {'ensure_shares': {'host': HOST}},
                  version=V)
    assert fault(resp)[:2] == ('conflictingRequest', 409)


def test_member_is_forbidden_before_any_lookup(client, db, admin_ctx,
                                               share_service):
    for host in (HOST, 'nowhere@x'):
        resp = client.member('POST', PATH, {'host': host}, version=V)
        assert resp.status_int == 403
        assert fault(resp)[:2] == ('forbidden', 403)
    assert _ensuring(db, admin_ctx, share_service) is False


@pytest.mark.parametrize('version', ['2.85', '2.7', None])
def test_below_2_86_is_bare_404(client, db, admin_ctx, share_service,
                                version):
    resp = client('POST', PATH, {'host': HOST}, version=version)
    assert resp.status_int == 404
    assert fault(resp)[:2] == ('itemNotFound', 404)
    assert _ensuring(db, admin_ctx, share_service) is False


def test_other_methods_are_405(client, share_service):
    resp = client('GET', PATH, version=V)
    assert resp.status_int == 405
    assert 'POST' in resp.headers['Allow']


@pytest.mark.parametrize('body', [
    None,
    {},
    {'host': ''},
    {'host': '   '},
    {'host': 42},
    {'host': None},
    {'host': [HOST]},
    {'host': 'x' * 256},
    {'host': HOST, 'extra': 1},
    {'hots': HOST},
    {'ensure_shares': {}},
    {'ensure_shares': None},
    {'ensure_shares': HOST},
    {'ensure_shares': {'host': ''}},
    {'ensure_shares': {'host': HOST, 'binary': 'manila-share'}},
    {'ensure_shares': {'host': HOST}, 'host': HOST},
    [HOST],
    HOST,
], ids=lambda b: repr(b)[:40])
def test_malformed_body_is_400(client, db, admin_ctx, share_service, body):
    if body is None:
        resp = client('POST', PATH, version=V)
    else:
        resp = client('POST', PATH, body, version=V)
    assert resp.status_int == 400, resp.body
    assert fault(resp)[:2] == ('badRequest', 400)
    assert _ensuring(db, admin_ctx, share_service) is False


def test_unparsable_json_is_400(client, share_service):
    resp = client('POST', PATH, raw=b'{"host": ', version=V)
    assert resp.status_int == 400
    assert fault(resp)[:2] == ('badRequest', 400)


def test_services_list_shows_ensuring_from_2_86(client, db, admin_ctx,
                                                share_service):
    assert client('POST', PATH, {'host': HOST},
                  version=V).status_int == 202

    def listed(version, query=''):
        resp = client('GET', '/v2/services' + query, version=version)
        assert resp.status_int == 200, resp.body
        return resp.json_body_or_none['services']

    old = [s for s in listed('2.85') if s['host'] == HOST]
    assert len(old) == 1 and 'ensuring' not in old[0]
    new = [s for s in listed(V) if s['host'] == HOST]
    assert new[0]['ensuring'] is True
    assert new[0]['state'] == 'up'
    assert new[0]['zone'] == 'az1'


def test_services_ensuring_filter_from_2_93(client, db, admin_ctx,
                                            share_service):
    other = db.service_create_or_update(
        admin_ctx, host='node1@local2', binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az1')
    db.service_heartbeat(admin_ctx, other.id)
    assert client('POST', PATH, {'host': HOST},
                  version=V).status_int == 202

    def hosts(version, query):
        resp = client('GET', '/v2/services' + query, version=version)
        assert resp.status_int == 200, resp.body
        return sorted(s['host'] for s in resp.json_body_or_none['services'])

    assert hosts('2.93', '?ensuring=true') == [HOST]
    assert hosts('2.93', '?ensuring=False') == ['node1@local2']
    # Upstream never 400s on a bad filter value: it matches nothing.
    assert hosts('2.93', '?ensuring=maybe') == []
    # Below 2.93 the filter is ignored.
    assert hosts('2.92', '?ensuring=true') == [HOST, 'node1@local2']
