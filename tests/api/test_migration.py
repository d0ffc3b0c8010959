"""Share migration, the admin's four actions (2.22+)."""

from tests.api import base


def _wait_task(resources, admin, share_id, wanted):
    return resources.wait_share(admin, share_id, 'task_state', wanted)


class TestMigration:
    def test_host_assisted_migration_start_progress_complete(
            self, admin, member, resources):
        share = resources.create_share(member)
        _, body = admin.show_share(share['id'])
        source = body['share']['host']
        dest = resources.migration_destination(admin, source)
        status, body = admin.migration_start(
            share['id'], dest, force_host_assisted_migration=True)
        assert status == 202, body
        _wait_task(resources, admin, share['id'], 'data_copying_completed')
        status, body = admin.migration_progress(share['id'])
        assert status == 200
        assert body['total_progress'] == 100
        assert body['task_state'] == 'data_copying_completed'
        status, _ = admin.share_action(share['id'], 'migration_complete')
        assert status == 202
        moved = _wait_task(resources, admin, share['id'],
                           'migration_success')
        assert moved['host'] == dest
        assert moved['status'] == 'available'
        # The owner sees the share where it is now, under the same id.
        status, body = member.show_share(share['id'])
        assert status == 200 and body['share']['status'] == 'available'

    def test_migration_cancel_keeps_the_share_where_it_was(
            self, admin, member, resources):
        share = resources.create_share(member)
        _, body = admin.show_share(share['id'])
        source = body['share']['host']
        status, body = admin.migration_start(
            share['id'], resources.migration_destination(admin, source),
            force_host_assisted_migration=True)
        assert status == 202, body
        _wait_task(resources, admin, share['id'], 'data_copying_completed')
        status, _ = admin.share_action(share['id'], 'migration_cancel')
        assert status == 202
        back = _wait_task(resources, admin, share['id'],
                          'migration_cancelled')
        assert back['host'] == source
        assert back['status'] == 'available'


class TestMigrationNegative:
    def test_member_may_not_migrate(self, member, resources):
        share = resources.create_share(member)
        status, body = member.migration_start(share['id'], 'h@b#p')
        base.assert_fault(status, body, 403, 'forbidden', 'policy')

    def test_unknown_destination_is_404(self, admin, member, resources):
        share = resources.create_share(member)
        status, body = admin.migration_start(share['id'], 'nohost@nob#nop')
        base.assert_fault(status, body, 404, 'itemNotFound')

    def test_same_host_is_200_and_nothing_moves(self, admin, member,
                                                resources):
        share = resources.create_share(member)
        _, body = admin.show_share(share['id'])
        host = body['share']['host']
        status, body = admin.migration_start(share['id'], host)
        assert (status, body) == (200, None)
        _, body = admin.show_share(share['id'])
        assert body['share']['task_state'] == 'migration_success'
        assert body['share']['host'] == host

    def test_required_flags_missing_is_400(self, admin, member, resources):
        share = resources.create_share(member)
        status, body = admin.share_action(share['id'], 'migration_start',
                                          {'host': 'h@b#p'})
        base.assert_fault(status, body, 400, 'badRequest')

    def test_complete_without_migration_is_400(self, admin, member,
                                               resources):
        share = resources.create_share(member)
        status, body = admin.share_action(share['id'], 'migration_complete')
        base.assert_fault(status, body, 400, 'badRequest')

    def test_progress_without_migration_is_400(self, admin, member,
                                               resources):
        share = resources.create_share(member)
        status, body = admin.migration_progress(share['id'])
        base.assert_fault(status, body, 400, 'badRequest')
