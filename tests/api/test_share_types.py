"""Share types and their extra specs (admin creates, everyone lists)."""

import uuid

from tests.api import base


def _name():
    return 'api-type-%s' % uuid.uuid4().hex[:8]


class TestShareTypes:
    def test_create_show_list_delete(self, admin, member):
        status, body = admin.create_share_type(
            _name(), {'driver_handles_share_servers': 'false',
                      'snapshot_support': 'true'})
        assert status == 200, body
        stype = body['share_type']
        try:
            assert stype['extra_specs']['driver_handles_share_servers'] \
                == 'false'
            assert stype['required_extra_specs'] == {
                'driver_handles_share_servers': 'false'}
            status, body = member.show_share_type(stype['id'])
            assert status == 200 and body['share_type']['name'] == \
                stype['name']
            status, body = member.list_share_types()
            assert stype['id'] in {t['id'] for t in body['share_types']}
        finally:
            status, _ = admin.delete_share_type(stype['id'])
        assert status == 202
        status, _ = member.show_share_type(stype['id'])
        assert status == 404

    def test_extra_specs_are_set_and_shown(self, admin):
        status, body = admin.create_share_type(
            _name(), {'driver_handles_share_servers': 'false'})
        type_id = body['share_type']['id']
        try:
            status, body = admin.set_extra_specs(type_id, {'color': 'blue'})
            assert status == 200, body
            assert body['extra_specs']['color'] == 'blue'
            _, body = admin.show_share_type(type_id)
            assert body['share_type']['extra_specs']['color'] == 'blue'
        finally:
            admin.delete_share_type(type_id)


class TestShareTypesNegative:
    def test_member_cannot_create(self, member):
        status, body = member.create_share_type(
            _name(), {'driver_handles_share_servers': 'false'})
        base.assert_fault(status, body, 403, 'forbidden', 'policy')

    def test_missing_required_spec_is_400(self, admin):
        status, body = admin.create_share_type(_name(), {})
        base.assert_fault(status, body, 400, 'badRequest')

    def test_duplicate_name_is_409(self, admin, share_type):
        status, body = admin.create_share_type(
            share_type['name'], {'driver_handles_share_servers': 'false'})
        base.assert_fault(status, body, 409, 'conflictingRequest')

    def test_unknown_type_is_404(self, member):
        status, body = member.show_share_type(str(uuid.uuid4()))
        base.assert_fault(status, body, 404, 'itemNotFound')

    def test_type_in_use_cannot_be_deleted(self, admin, member,
                                           resources):
        status, body = admin.create_share_type(
            _name(), {'driver_handles_share_servers': 'false'})
        type_id = body['share_type']['id']
        resources.add_cleanup(admin.delete_share_type, type_id)
        resources.create_share(member, share_type=type_id)
        status, body = admin.delete_share_type(type_id)
        base.assert_fault(status, body, 400, 'badRequest', 'still in use')
