"""Version discovery and microversion negotiation."""

from tests.api import base

HDR = 'X-OpenStack-Manila-API-Version'


class TestVersions:
    def test_root_lists_v2_without_authentication(self, member):
        status, body, _ = member.request('GET', '/', version=None,
                                         authenticated=False)
        assert status == 300
        (v2,) = [v for v in body['versions'] if v['id'] == 'v2.0']
        assert v2['status'] == 'CURRENT'
        assert v2['min_version'] == '2.0'
        assert base.version_tuple(v2['version']) >= (2, 98)

    def test_reply_echoes_the_requested_version(self, member):
        status, _, headers = member.request('GET', '/v2/shares',
                                            version='2.56')
        assert status == 200
        assert headers[HDR] == '2.56'
        assert HDR in headers['Vary']

    def test_no_header_means_the_minimum(self, member):
        status, _, headers = member.request(
            'GET', '/v2/shares', headers={HDR: None})
        assert status == 200
        assert headers[HDR] == '2.0'


class TestVersionsNegative:
    def test_malformed_version_is_400(self, member):
        status, body, _ = member.request('GET', '/v2/shares',
                                         version='2.x')
        base.assert_fault(status, body, 400, 'badRequest',
                          'MajorNum.MinorNum')

    def test_version_out_of_range_is_406(self, member):
        status, body, _ = member.request('GET', '/v2/shares',
                                         version='3.0')
        base.assert_fault(status, body, 406, 'computeFault',
                          'not supported by the API')

    def test_call_older_than_its_version_is_404(self, admin):
        status, body, _ = admin.request('GET', '/v2/services',
                                        version='2.6')
        base.assert_fault(status, body, 404, 'itemNotFound')
