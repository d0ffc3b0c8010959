"""Shares: create, show, list, update, metadata, export locations,
delete; and project isolation."""

from tests.api import base


class TestShares:
    def test_create_show_list_update_delete(self, member, resources,
                                            share_type):
        share = resources.create_share(member, name='api-share',
                                       description='made by the API tests')
        assert share['status'] == 'available'
        assert share['share_type'] == share_type['id']
        assert share['size'] == 1 and share['share_proto'] == 'NFS'
        assert share['project_id'] == member.project_id

        status, body = member.list_shares()
        assert status == 200
        assert {'id': share['id'], 'name': 'api-share'} == {
            k: v for k, v in next(
                s for s in body['shares'] if s['id'] == share['id']).items()
            if k in ('id', 'name')}
        status, body = member.list_shares(detail=True,
                                          query='?name=api-share')
        assert [s['id'] for s in body['shares']] == [share['id']]

        status, body = member.update_share(share['id'],
                                           display_name='renamed')
        assert status == 200 and body['share']['name'] == 'renamed'

        status, _ = member.delete_share(share['id'])
        assert status == 202
        resources.wait_share(member, share['id'], 'status', None)

    def test_export_locations_hide_admin_only_paths(self, admin, member,
                                                    resources):
        share = resources.create_share(member)
        status, body = member.export_locations(share['id'])
        assert status == 200
        mine = body['export_locations']
        assert mine and all(el['path'] for el in mine)
        # Admin-only fields and locations are for admins.
        assert not any('is_admin_only' in el or 'share_instance_id' in el
                       for el in mine)
        status, body = admin.export_locations(share['id'])
        assert status == 200
        every = body['export_locations']
        assert {el['path'] for el in mine} == {
            el['path'] for el in every if not el['is_admin_only']}
        assert all('share_instance_id' in el for el in every)

    def test_metadata_round_trip(self, member, resources):
        share = resources.create_share(member, metadata={'team': 'storage'})
        status, body = member.set_metadata(share['id'], {'tier': 'gold'})
        assert status == 200, body
        status, body = member.get_metadata(share['id'])
        assert body['metadata'] == {'team': 'storage', 'tier': 'gold'}

    def test_reader_sees_but_cannot_change(self, member, reader, resources):
        share = resources.create_share(member)
        status, body = reader.show_share(share['id'])
        assert status == 200 and body['share']['id'] == share['id']
        status, body = reader.update_share(share['id'], display_name='x')
        base.assert_fault(status, body, 403, 'forbidden', 'policy')
        status, body = reader.delete_share(share['id'])
        base.assert_fault(status, body, 403, 'forbidden', 'policy')


class TestProjectIsolation:
    def test_another_project_cannot_see_or_touch(self, member, alt,
                                                 resources):
        share = resources.create_share(member)
        status, body = alt.show_share(share['id'])
        base.assert_fault(status, body, 404, 'itemNotFound')
        status, body = alt.delete_share(share['id'])
        base.assert_fault(status, body, 404, 'itemNotFound')
        status, body = alt.list_shares(detail=True)
        assert share['id'] not in {s['id'] for s in body['shares']}
        # Upstream checks share:get on the share for its export
        # locations: a 403 there, not the show's 404.
        status, body = alt.export_locations(share['id'])
        base.assert_fault(status, body, 403, 'forbidden')

    def test_admin_sees_every_project(self, admin, member, resources):
        share = resources.create_share(member)
        status, body = admin.list_shares(query='?all_tenants=1')
        assert share['id'] in {s['id'] for s in body['shares']}
