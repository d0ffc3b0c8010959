"""Bad share requests: Manila's fault bodies, never a 5xx."""

import uuid

from tests.api import base


class TestSharesNegative:
    def test_unknown_share_is_404(self, member):
        status, body = member.show_share(str(uuid.uuid4()))
        base.assert_fault(status, body, 404, 'itemNotFound')

    def test_size_must_be_a_positive_integer(self, member, share_type):
        for size in (0, -1, 'big', 1.5):
            status, body = member.create_share(
                size=size, share_type=share_type['id'])
            base.assert_fault(status, body, 400, 'badRequest')

    def test_unknown_protocol_is_400(self, member, share_type):
        status, body = member.create_share(share_proto='NOPE',
                                           share_type=share_type['id'])
        base.assert_fault(status, body, 400, 'badRequest')

    def test_unknown_share_type_is_404(self, member):
        status, body = member.create_share(share_type=str(uuid.uuid4()))
        base.assert_fault(status, body, 404, 'itemNotFound')

    def test_unknown_zone_is_404(self, member, share_type):
        status, body = member.create_share(share_type=share_type['id'],
                                           availability_zone='nowhere')
        base.assert_fault(status, body, 404, 'itemNotFound')

    def test_body_that_is_not_json_is_400(self, member):
        status, body, _ = member.request(
            'POST', '/v2/shares', headers={'Content-Type':
                                           'application/json'},
            body=None)
        base.assert_fault(status, body, 400, 'badRequest')

    def test_reader_cannot_create(self, reader, share_type):
        status, body = reader.create_share(share_type=share_type['id'])
        base.assert_fault(status, body, 403, 'forbidden', 'policy')

    def test_member_cannot_reset_status(self, member, resources):
        share = resources.create_share(member)
        status, body = member.share_action(share['id'], 'reset_status',
                                           {'status': 'error'})
        base.assert_fault(status, body, 403, 'forbidden', 'policy')

    def test_second_delete_is_refused_while_deleting(self, member,
                                                     resources):
        share = resources.create_share(member)
        status, _ = member.delete_share(share['id'])
        assert status == 202
        status, body = member.delete_share(share['id'])
        if status != 404:   # unless the first delete has finished
            base.assert_fault(status, body, 403, 'forbidden',
                              'status must be one of')
