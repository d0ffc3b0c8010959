"""Version discovery, microversion negotiation and the headers every
/v2 reply carries."""

import pytest

from manila_lite.api import microversion
from tests.unit.api.conftest import fault

HDR = 'X-OpenStack-Manila-API-Version'


def _check_doc(body):
    (entry,) = body['versions']
    assert entry['id'] == 'v2.0'
    assert entry['status'] == 'CURRENT'
    assert entry['version'] == '2.99'
    assert entry['min_version'] == '2.0'
    assert entry['updated'] == '2015-08-27T11:33:21Z'
    assert {'rel': 'self', 'href': 'http://localhost/v2/'} in entry['links']
    assert entry['media-types'][0]['base'] == 'application/json'


def test_root_lists_versions_with_300_without_auth(client):
    resp = client('GET', '/', token=None)
    assert resp.status_int == 300
    _check_doc(resp.json_body_or_none)
    assert HDR not in resp.headers
    assert resp.headers['x-openstack-request-id'].startswith('req-')
    # tempest's manila client asserts the compute-era name on successes.
    assert (resp.headers['x-compute-request-id']
            == resp.headers['x-openstack-request-id'])


def test_v2_document_without_auth_has_version_headers(client):
    resp = client('GET', '/v2/', token=None, version='2.50')
    assert resp.status_int == 200
    _check_doc(resp.json_body_or_none)
    assert resp.headers[HDR] == '2.50'
    assert resp.headers['Vary'] == HDR


def test_v2_without_slash_redirects(client):
    resp = client('GET', '/v2', token=None)
    assert resp.status_int == 302
    assert resp.headers['Location'] == 'http://localhost/v2/'


def test_min_max_derive_from_versions_list():
    assert str(microversion.MIN_VERSION) == '2.0'
    assert str(microversion.MAX_VERSION) == '2.99'
    assert len(microversion.VERSIONS) == 100
    assert len(set(microversion.VERSIONS)) == 100


def test_no_header_means_minimum(client):
    resp = client('GET', '/v2/shares')
    assert resp.status_int == 200
    assert resp.headers[HDR] == '2.0'
    assert resp.headers['Vary'] == HDR


def test_standard_header_is_ignored(client):
    resp = client('GET', '/v2/shares', headers={
        'OpenStack-API-Version': 'shared-file-system 2.60'})
    assert resp.headers[HDR] == '2.0'


@pytest.mark.parametrize('value', ['latest', '2.x', '2', '02.1', '2.01',
                                   'v2.1', ''])
def test_malformed_version_is_400(client, value):
    # An empty header is malformed too (upstream parses what is sent).
    resp = client('GET', '/v2/shares', version=value)
    assert resp.status_int == 400
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert 'MajorNum.MinorNum' in message
    assert resp.headers[HDR] == '2.0'
    assert resp.headers['Vary'] == HDR
    assert resp.headers['x-openstack-request-id']
    assert (resp.headers['x-compute-request-id']
            == resp.headers['x-openstack-request-id'])


@pytest.mark.parametrize('value', ['1.0', '2.100', '3.0'])
def test_out_of_range_is_406_compute_fault(client, value):
    resp = client('GET', '/v2/shares', version=value)
    assert resp.status_int == 406
    name, code, message = fault(resp)
    assert (name, code) == ('computeFault', 406)
    assert message == ('Version %s is not supported by the API. Minimum is '
                       '2.0 and maximum is 2.99.' % value)
    assert resp.headers[HDR] == value
    assert resp.headers['Vary'] == HDR


def test_method_not_available_at_version_is_bare_404(client):
    resp = client('GET', '/v2/services', version='2.6')
    assert resp.status_int == 404
    assert fault(resp) == ('itemNotFound', 404,
                           'The resource could not be found.')
    assert resp.headers[HDR] == '2.6'
    assert client('GET', '/v2/services', version='2.7').status_int == 200
    assert client('GET', '/v2/os-services', version='2.6').status_int == 200
    assert client('GET', '/v2/os-services',
                  version='2.7').status_int == 404


def test_handler_range_gates_export_locations(client):
    share = client('POST', '/v2/shares', {'share': {
        'size': 1, 'share_proto': 'nfs'}}).json_body_or_none['share']
    path = '/v2/shares/%s/export_locations' % share['id']
    assert client('GET', path, version='2.8').status_int == 404
    resp = client('GET', path, version='2.9')
    assert resp.status_int == 200
    assert resp.json_body_or_none == {'export_locations': []}


def test_experimental_header_echoed(client):
    resp = client('GET', '/v2/shares', version='2.11', headers={
        'X-OpenStack-Manila-API-Experimental': 'true'})
    assert resp.status_int == 200
    assert resp.headers['X-OpenStack-Manila-API-Experimental'] == 'True'
    resp = client('GET', '/v2/shares', version='2.11')
    assert 'X-OpenStack-Manila-API-Experimental' not in resp.headers


def test_experimental_range_needs_the_header():
    vrange = microversion.VersionRange('2.22', '2.95', experimental=True)
    v = microversion.parse('2.50')
    assert not vrange.matches(microversion.RequestVersion(v, False))
    assert vrange.matches(microversion.RequestVersion(v, True))
    ga = microversion.VersionRange('2.96')
    assert ga.matches(microversion.RequestVersion(
        microversion.parse('2.96'), True))


def test_project_id_in_url_is_optional_and_checked(client):
    assert client('GET', '/v2/admin/shares').status_int == 200
    assert client('GET', '/v2/shares').status_int == 200
    resp = client('GET', '/v2/someone-else/shares')
    assert resp.status_int == 400
    assert fault(resp)[2] == 'Malformed request url'


def test_unknown_url_404_and_wrong_method_405(client):
    resp = client('GET', '/v2/nothing-here')
    assert fault(resp)[:2] == ('itemNotFound', 404)
    assert resp.headers[HDR] == '2.0'
    resp = client('PATCH', '/v2/shares')
    assert resp.status_int == 405
    assert fault(resp)[:2] == ('badMethod', 405)
    assert resp.headers['Allow'] == 'GET, POST'
    assert client('GET', '/nothing').status_int == 404


@pytest.mark.parametrize('accept', ['application/json', 'text/html', '*/*',
                                    'application/xml'])
def test_accept_header_does_not_matter(client, accept):
    # python-manilaclient sends Accept: application/json.
    resp = client('GET', '/', headers={'Accept': accept})
    assert resp.status_int == 300
    resp = client('GET', '/v2/shares', headers={'Accept': accept})
    assert resp.status_int == 200
