"""GET /v2/scheduler-stats/pools[/detail] through the app: pools come
from the capabilities share services store with their heartbeat (no
scheduler needs to run), filters as upstream's, admin only."""

import datetime

from oslo_utils import timeutils
import pytest

from manila_lite.common import states
from tests.unit.api.conftest import fault

POOLS = '/v2/scheduler-stats/pools'
DETAIL = POOLS + '/detail'


def _service(db, ctx, host, zone, pools, **caps):
    svc = db.service_create_or_update(
        ctx, host=host, binary=states.BINARY_SHARE, topic='manila-share',
        availability_zone=zone)
    backend = {'share_backend_name': host.split('@')[1],
               'driver_handles_share_servers': False,
               'snapshot_support': True, 'storage_protocol': 'NFS_CIFS',
               'replication_domain': 'local:n1', 'availability_zone': zone,
               'pools': pools}
    backend.update(caps)
    db.service_heartbeat(ctx, svc.id, backend)
    return svc


@pytest.fixture
def backends(db, admin_ctx):
    _service(db, admin_ctx, 'n1@local1', 'az1', [
        {'pool_name': 'alpha', 'free_capacity_gb': 5.0},
        {'pool_name': 'beta', 'free_capacity_gb': 7.0}])
    _service(db, admin_ctx, 'n1@local2', 'az2', [
        {'pool_name': 'alpha', 'free_capacity_gb': 9.0}],
        snapshot_support=False)


def _names(resp):
    assert resp.status_int == 200, resp.body
    return [p['name'] for p in resp.json_body_or_none['pools']]


def test_list_names_each_pool_by_its_parts(client, backends):
    resp = client('GET', POOLS)
    assert resp.json_body_or_none == {'pools': [
        {'name': 'n1@local1#alpha', 'host': 'n1', 'backend': 'local1',
         'pool': 'alpha'},
        {'name': 'n1@local1#beta', 'host': 'n1', 'backend': 'local1',
         'pool': 'beta'},
        {'name': 'n1@local2#alpha', 'host': 'n1', 'backend': 'local2',
         'pool': 'alpha'},
    ]}


def test_detail_holds_capabilities_as_the_scheduler_sees_them(
        client, backends):
    pools = client('GET', DETAIL).json_body_or_none['pools']
    first = pools[0]
    assert set(first) == {'name', 'host', 'backend', 'pool', 'capabilities'}
    caps = first['capabilities']
    # Backend-wide keys overlaid with the pool's own.
    assert caps['free_capacity_gb'] == 5.0
    assert caps['pool_name'] == 'alpha'
    assert caps['share_backend_name'] == 'local1'
    assert caps['replication_domain'] == 'local:n1'
    assert caps['availability_zone'] == 'az1'
    assert 'pools' not in caps


def test_down_and_disabled_services_offer_no_pools(client, db, admin_ctx,
                                                   backends, conf):
    old = timeutils.utcnow() - datetime.timedelta(
        seconds=conf.service_down_time + 5)
    svc = _service(db, admin_ctx, 'n2@dead', 'az1', [{'pool_name': 'p'}])
    db.service_update(admin_ctx, svc.id, {'updated_at': old})
    svc = _service(db, admin_ctx, 'n3@off', 'az1', [{'pool_name': 'p'}])
    db.service_update(admin_ctx, svc.id, {'disabled': True})
    assert 'n2@dead#p' not in _names(client('GET', POOLS))
    assert 'n3@off#p' not in _names(client('GET', POOLS))


@pytest.mark.parametrize('query,expected', [
    ('host=^n1$&backend=^local2$&pool=^alpha$', ['n1@local2#alpha']),
    ('pool=be', ['n1@local1#beta']),
    ('backend=local', ['n1@local1#alpha', 'n1@local1#beta',
                       'n1@local2#alpha']),
    ('host=foo&backend=bar&pool=shark', []),
    # A filter naming no field of a pool matches nothing (upstream).
    ('colour=blue', []),
    ("capabilities={'snapshot_support': 'False'}", ['n1@local2#alpha']),
    ('capabilities=share_backend_name:local1', ['n1@local1#alpha',
                                                'n1@local1#beta']),
])
@pytest.mark.parametrize('path', [POOLS, DETAIL])
def test_filters(client, backends, path, query, expected):
    assert _names(client('GET', path + '?' + query)) == expected


@pytest.mark.parametrize('key', ['name', 'id'])
def test_share_type_filter_matches_its_extra_specs(client, backends, key):
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'nosnap', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'snapshot_support': 'False'}}})
    stype = resp.json_body_or_none['share_type']
    query = '?share_type=%s' % stype[key]
    assert _names(client('GET', DETAIL + query, version='2.23')) == [
        'n1@local2#alpha']
    # A type with dhss false only fits every pool (created from 2.24:
    # below, snapshot_support is filled in as upstream does).
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'plain', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}}, version='2.24')
    query = '?share_type=%s' % resp.json_body_or_none['share_type'][key]
    assert len(_names(client('GET', POOLS + query, version='2.23'))) == 3


def test_share_type_of_unknown_backend_name_matches_nothing(client,
                                                            backends):
    client('POST', '/v2/types', {'share_type': {
        'name': 'elsewhere', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'share_backend_name': 'fake_name'}}})
    assert _names(client('GET', POOLS + '?share_type=elsewhere')) == []


def test_share_type_filter_is_a_plain_filter_before_2_23(client, backends):
    # Upstream passes it through as a field no pool has: nothing matches.
    resp = client('GET', POOLS + '?share_type=default', version='2.22')
    assert _names(resp) == []


def test_unknown_share_type_is_400(client, backends):
    resp = client('GET', POOLS + '?share_type=nope', version='2.23')
    assert fault(resp) == ('badRequest', 400, 'Share type nope not found.')


def test_bad_regex_is_400(client, backends):
    resp = client('GET', POOLS + '?host=(')
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert 'host is not a valid regular expression' in message


def test_bad_capabilities_is_400(client, backends):
    resp = client('GET', POOLS + '?capabilities=nonsense')
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert 'capabilities must be key:value' in message


@pytest.mark.parametrize('path', [POOLS, DETAIL])
def test_non_admin_is_403(client, backends, path):
    resp = client.member('GET', path)
    name, code, message = fault(resp)
    assert (name, code) == ('forbidden', 403)
    assert "Policy doesn't allow scheduler_stats:pools:" in message


def test_no_share_service_is_an_empty_list(client):
    assert client('GET', DETAIL).json_body_or_none == {'pools': []}
