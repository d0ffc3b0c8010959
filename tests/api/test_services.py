"""Services and the ensure-shares action (admin)."""

from tests.api import base
from tests.api import waiters


class TestServices:
    def test_list_shows_every_binary_up(self, admin):
        status, body = admin.list_services()
        assert status == 200
        binaries = {s['binary'] for s in body['services']
                    if s['state'] == 'up'}
        assert {'manila-scheduler', 'manila-share', 'manila-data'} <= binaries

    def test_filters(self, admin):
        _, body = admin.list_services('?binary=manila-share')
        assert body['services']
        assert {s['binary'] for s in body['services']} == {'manila-share'}

    def test_ensure_shares_keeps_shares_available(self, admin, member,
                                                  resources):
        base.requires(admin, '2.86')
        share = resources.create_share(member)
        _, body = admin.show_share(share['id'])
        backend = body['share']['host'].split('#')[0]
        status, body = admin.ensure_shares(backend)
        assert status == 202, body

        def service(host):
            status, body = admin.list_services('?host=' + host)
            return status, {'service': body['services'][0]}

        # The service reports ensuring until the run ends; a second run
        # may follow.
        for _ in range(2):
            waiters.wait_for(service, backend, 'service', 'ensuring', False,
                             resources.config.timeout)
            status, body = admin.show_share(share['id'])
            assert body['share']['status'] == 'available'
            status, body = admin.ensure_shares(backend)
            assert status == 202, body
        waiters.wait_for(service, backend, 'service', 'ensuring', False,
                         resources.config.timeout)


class TestServicesNegative:
    def test_member_may_not_list(self, member):
        status, body = member.list_services()
        base.assert_fault(status, body, 403, 'forbidden', 'policy')

    def test_ensure_unknown_host_is_404(self, admin):
        status, body = admin.ensure_shares('nohost@nobackend')
        base.assert_fault(status, body, 404, 'itemNotFound')
