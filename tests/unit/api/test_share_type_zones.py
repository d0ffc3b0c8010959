"""A share type's availability_zones spec as upstream: normalised on
create and set, an empty zone name 400, the extra_specs list filter
(2.43), a share in a zone the type does not offer 400, and the spec
ignored for placement below 2.48."""

import pytest

from manila_lite.api import app as app_mod
from tests.unit.api.conftest import fault

DHSS = {'driver_handles_share_servers': 'False'}


def _type(client, name, **specs):
    resp = client('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': dict(DHSS, **specs)}})
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']


@pytest.mark.parametrize('spec', ['az1,     az2, az 3  ', 'az1,az2,az 3',
                                  'az1   ,az2,   az 3'])
def test_zone_spec_is_normalised(client, spec):
    stype = _type(client, 'z', availability_zones=spec)
    assert stype['extra_specs']['availability_zones'] == 'az1,az2,az 3'
    resp = client('PUT', '/v2/types/%s/extra_specs/availability_zones'
                  % stype['id'], {'availability_zones': ' az9 , az8'})
    assert resp.json_body_or_none == {'availability_zones': 'az9,az8'}


@pytest.mark.parametrize('spec', ['az1,     az2, az 3,  ', 'az1,,az 3',
                                  ',az2,  az 3'])
def test_empty_zone_name_is_400(client, spec):
    resp = client('POST', '/v2/types', {'share_type': {
        'name': 'bad', 'extra_specs': dict(DHSS, availability_zones=spec)}})
    assert fault(resp) == ('badRequest', 400,
                           'Invalid extra_spec: availability_zones: %s'
                           % spec)


@pytest.mark.parametrize('wanted,listed', [
    ('az1', {'some', 'any'}), ('az 3, az1', {'some', 'any'}),
    ('az9', {'any'}),
])
def test_list_filter_by_zones(client, wanted, listed):
    ids = {_type(client, 'some', availability_zones='az1, az2, az 3')['id']:
           'some', _type(client, 'any')['id']: 'any'}
    resp = client('GET', "/v2/types?extra_specs={'availability_zones': "
                  "'%s'}" % wanted, version='2.43')
    got = {ids[t['id']] for t in resp.json_body_or_none['share_types']
           if t['id'] in ids}
    assert got == listed
    # Ignored below 2.43.
    resp = client('GET', "/v2/types?extra_specs={'availability_zones': "
                  "'az9'}", version='2.42')
    assert set(ids) <= {t['id'] for t in
                        resp.json_body_or_none['share_types']}


def test_share_in_a_zone_the_type_leaves_out_is_400(client, db, admin_ctx):
    db.service_create_or_update(admin_ctx, host='n1@b1',
                                binary='manila-share', topic='manila-share',
                                availability_zone='az1')
    stype = _type(client, 'z', availability_zones='az2')
    resp = client.member('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': stype['id'],
        'availability_zone': 'az1'}}, version='2.48')
    assert fault(resp) == (
        'badRequest', 400,
        'Invalid input received: Share type z(ID: %s) is not supported '
        'within the availability zone chosen az1.' % stype['id'])


@pytest.mark.parametrize('version,passed', [('2.47', False),
                                            ('2.48', True)])
def test_zone_spec_steers_placement_from_2_48(conf, db, admin_ctx, version,
                                              passed):
    from manila_lite.share import api as share_api
    from tests.unit.api.conftest import Client
    sent = []
    api = share_api.API(conf)
    api.scheduler_rpcapi.create_share_instance = (
        lambda ctx, inst, spec: sent.append(spec))
    c = Client(app_mod.build_app(conf, share_api=api))
    _type(c, 'default')
    stype = _type(c, 'z', availability_zones='az2')
    resp = c.member('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': stype['id']}},
        version=version)
    assert resp.status_int == 200, resp.body
    assert ('availability_zones' in sent[0]['extra_specs']) is passed
