"""Share replicas (experimental 2.11-2.55, GA from 2.56)."""

from tests.api import base


class TestReplicas:
    def test_create_list_promote_resync_delete(self, admin, member,
                                               resources):
        share = resources.create_share(member)
        assert share['replication_type'] == 'readable'
        zone = resources.other_zone(member, share['availability_zone'])
        replica = resources.create_replica(member, share['id'], zone)
        assert replica['availability_zone'] == zone
        assert replica['share_id'] == share['id']

        status, body = member.list_replicas(share['id'], detail=True)
        assert status == 200
        states = {r['id']: r['replica_state']
                  for r in body['share_replicas']}
        assert states[replica['id']] == 'in_sync'
        assert sorted(states.values()) == ['active', 'in_sync']
        (first,) = [rid for rid, s in states.items() if s == 'active']
        status, body = member.show_share(share['id'])
        assert body['share']['has_replicas'] is True

        status, _ = member.replica_action(replica['id'], 'promote')
        assert status == 202
        resources.wait_replica(member, replica['id'], 'replica_state',
                               'active')
        resources.wait_replica(member, first, 'replica_state',
                               ('in_sync', 'out_of_sync'))
        shown = resources.wait_share(member, share['id'], 'status',
                                     'available')
        assert shown['availability_zone'] == zone

        # Resync is the admin's.
        status, _ = admin.replica_action(first, 'resync')
        assert status == 202
        resources.wait_replica(member, first, 'replica_state', 'in_sync')

        status, _ = member.delete_replica(first)
        assert status == 202
        resources.wait_replica(member, first, 'status', None)
        status, body = member.show_share(share['id'])
        assert body['share']['has_replicas'] is False

    def test_experimental_range_needs_the_header(self, member, resources):
        share = resources.create_share(member)
        status, _, _ = member.request(
            'GET', '/v2/share-replicas?share_id=' + share['id'],
            version='2.55')
        assert status == 404
        status, body, headers = member.request(
            'GET', '/v2/share-replicas?share_id=' + share['id'],
            version='2.55',
            headers={'X-OpenStack-Manila-API-Experimental': 'True'})
        assert status == 200 and len(body['share_replicas']) == 1

    def test_admin_only_fields(self, admin, member, resources):
        share = resources.create_share(member)
        zone = resources.other_zone(member, share['availability_zone'])
        replica = resources.create_replica(member, share['id'], zone)
        _, body = member.show_replica(replica['id'])
        assert 'host' not in body['share_replica']
        _, body = admin.show_replica(replica['id'])
        assert body['share_replica']['host']


class TestReplicasNegative:
    def test_unknown_replica_is_404(self, member):
        status, body = member.show_replica(
            '00000000-0000-4000-8000-000000000000')
        base.assert_fault(status, body, 404, 'itemNotFound')

    def test_active_replica_cannot_be_deleted(self, member, resources):
        share = resources.create_share(member)
        _, body = member.list_replicas(share['id'])
        (active,) = body['share_replicas']
        status, body = member.delete_replica(active['id'])
        base.assert_fault(status, body, 400, 'badRequest', 'active')

    def test_share_without_replication_type_is_400(self, admin, member,
                                                    resources):
        status, body = admin.create_share_type(
            'api-norepl-%s' % resources.share_type['id'][:8],
            {'driver_handles_share_servers': 'false'})
        type_id = body['share_type']['id']
        resources.add_cleanup(admin.delete_share_type, type_id)
        share = resources.create_share(member, share_type=type_id)
        status, body = member.create_replica(share['id'])
        base.assert_fault(status, body, 400, 'badRequest')

    def test_unknown_zone_is_400(self, member, resources):
        share = resources.create_share(member)
        status, body = member.create_replica(share['id'], 'nowhere')
        base.assert_fault(status, body, 400, 'badRequest', 'nowhere')

    def test_member_cannot_reset_replica_state(self, member, resources):
        share = resources.create_share(member)
        zone = resources.other_zone(member, share['availability_zone'])
        replica = resources.create_replica(member, share['id'], zone)
        status, body = member.replica_action(
            replica['id'], 'reset_replica_state',
            {'replica_state': 'out_of_sync'})
        base.assert_fault(status, body, 403, 'forbidden', 'policy')

    def test_another_project_cannot_see_replicas(self, member, alt,
                                                 resources):
        share = resources.create_share(member)
        _, body = member.list_replicas(share['id'])
        (active,) = body['share_replicas']
        status, body = alt.show_replica(active['id'])
        base.assert_fault(status, body, 404, 'itemNotFound')
