"""Bad input gets upstream's status and fault body, never a 500."""

import pytest

from manila_lite.api import validation
from tests.unit.api.conftest import fault


def _create(client, share, **kwargs):
    return client('POST', '/v2/shares', {'share': share}, **kwargs)


def test_malformed_json_is_400(client):
    resp = client('POST', '/v2/shares', raw=b'{"share": ')
    assert resp.status_int == 400
    assert fault(resp) == ('badRequest', 400, 'Malformed request body')


def test_non_json_content_type_is_415(client):
    resp = client('POST', '/v2/shares', raw=b'size=1',
                  content_type='application/x-www-form-urlencoded')
    assert resp.status_int == 415
    assert fault(resp)[:2] == ('badMediaType', 415)


def test_missing_body_is_400(client):
    resp = client('POST', '/v2/shares')
    assert fault(resp)[:2] == ('badRequest', 400)
    assert "'share' is a required property" in fault(resp)[2]


@pytest.mark.parametrize('size', [0, -1, 'abc', '0', 1.5, None, '', True])
def test_bad_share_size_is_400(client, size):
    resp = _create(client, {'size': size, 'share_proto': 'NFS'})
    assert resp.status_int == 400, resp.body
    assert fault(resp)[:2] == ('badRequest', 400)


def test_size_as_digit_string_is_accepted(client):
    resp = _create(client, {'size': '2', 'share_proto': 'NFS'})
    assert resp.status_int == 200
    assert resp.json_body_or_none['share']['size'] == 2


def test_unknown_keys_are_400(client):
    resp = _create(client, {'size': 1, 'share_proto': 'NFS', 'bogus': 1})
    assert fault(resp)[:2] == ('badRequest', 400)
    assert 'bogus' in fault(resp)[2]
    resp = client('POST', '/v2/shares', {
        'share': {'size': 1, 'share_proto': 'NFS'}, 'extra': {}})
    assert fault(resp)[:2] == ('badRequest', 400)


def test_wrong_types_are_400(client):
    resp = _create(client, {'size': 1, 'share_proto': 'NFS',
                            'metadata': ['a']})
    assert fault(resp)[:2] == ('badRequest', 400)
    resp = _create(client, {'size': 1, 'share_proto': 'NFS',
                            'is_public': 'maybe'})
    assert fault(resp)[:2] == ('badRequest', 400)
    resp = client('POST', '/v2/shares', {'share': 'x'})
    assert fault(resp)[:2] == ('badRequest', 400)


def test_protocol_must_be_enabled_case_insensitively(client):
    resp = _create(client, {'size': 1, 'share_proto': 'nfs'})
    assert resp.json_body_or_none['share']['share_proto'] == 'NFS'
    resp = _create(client, {'size': 1, 'share_proto': 'CEPHFS'})
    assert resp.status_int == 400
    assert 'Invalid share protocol provided: CEPHFS' in fault(resp)[2]


def test_unknown_share_type_is_404(client):
    resp = _create(client, {'size': 1, 'share_proto': 'NFS',
                            'share_type': 'no-such-type'})
    assert resp.status_int == 404
    assert fault(resp)[:2] == ('itemNotFound', 404)


def test_scheduler_hints_only_from_2_65(client):
    share = {'size': 1, 'share_proto': 'NFS', 'scheduler_hints': {}}
    assert _create(client, share, version='2.64').status_int == 400
    assert _create(client, share, version='2.65').status_int == 200


def test_schemas_refuse_overlaps_and_empty_ranges():
    with pytest.raises(ValueError):
        validation.Schemas(('2.5', {}), ('2.5', {}))
    with pytest.raises(ValueError):
        validation.Schemas(('2.9', {}), ('2.5', {}))
    schemas = validation.Schemas(('2.0', {'type': 'object'}),
                                 ('2.10', {'type': 'array'}))
    from manila_lite.api import microversion as mv
    assert schemas.pick(mv.parse('2.9')) == {'type': 'object'}
    assert schemas.pick(mv.parse('2.10')) == {'type': 'array'}
    assert schemas.pick(mv.parse('2.99')) == {'type': 'array'}


def test_oversized_body_is_413(client):
    big = b'{"share": {"name": "' + b'x' * 200000 + b'"}}'
    resp = client('POST', '/v2/shares', raw=big)
    assert resp.status_int == 413


def test_unexpected_error_is_generic_500(client, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError('secret internals')

    from manila_lite.share import api as share_api
    monkeypatch.setattr(share_api.API, 'share_list', boom)
    resp = client('GET', '/v2/shares')
    assert resp.status_int == 500
    name, code, message = fault(resp)
    assert (name, code) == ('computeFault', 500)
    assert 'secret' not in message
    assert resp.headers['X-OpenStack-Manila-API-Version'] == '2.0'
