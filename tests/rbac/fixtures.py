"""Fresh resources of one project for the RBAC matrix, written straight
to the database (``db_api`` must be configured): a private share type
shared with ``SHARED_WITH``, a share of a public type, an export
location, a snapshot, an access rule and a replica with its export
location, each of share, snapshot, rule and replica with metadata under
the same key, an empty share group, a user message and a deletion lock
(owned by ``user_id``) on a share of its own, on the hosts of a share service
``<node>@local1`` that the factory registers (no real service needs to
run: only who may call what is under test)."""

import uuid

from manila_lite.common import context
from manila_lite.common import states
from manila_lite.db import api as db_api
from manila_lite.db import backups as backups_db
from manila_lite.db import messages as messages_db
from manila_lite.db import resource_locks as locks_db
from manila_lite.db import share_group_types as sgt_db
from manila_lite.db import share_groups as groups_db
from manila_lite.db import share_type_access as type_access
from manila_lite.db import snapshot_access as snap_access_db

#: The project the private share type fixture is shared with.
SHARED_WITH = '6f1c1fa4f0bb4d6c9f7b1b7a0e1d2c3b'


def factory(project_id, user_id, node):
    ctx = context.get_admin_context()
    db_api.service_create_or_update(
        ctx, host=node + '@local1', binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az1')

    def fixtures():
        stype = db_api.share_type_create(
            ctx, {'name': 'rbac-%s' % uuid.uuid4().hex[:8],
                  'is_public': True},
            {'driver_handles_share_servers': 'False', 'foo': 'bar',
             'replication_type': 'readable'})
        private_type = db_api.share_type_create(
            ctx, {'name': 'rbac-%s' % uuid.uuid4().hex[:8],
                  'is_public': False},
            {'driver_handles_share_servers': 'False'})
        type_access.add(ctx, private_type.id, SHARED_WITH)
        share = db_api.share_create(
            ctx, dict(project_id=project_id, user_id=user_id, size=1,
                      share_proto='NFS', share_type_id=stype.id,
                      replication_type='readable'),
            dict(status=states.STATUS_AVAILABLE, host=node + '@local1#pool1',
                 availability_zone='az1', share_type_id=stype.id,
                 replica_state=states.REPLICA_STATE_ACTIVE),
            {'k': 'v'})
        inst = share.instances[0]
        db_api.export_locations_replace(ctx, inst.id, [
            {'path': '10.0.0.1:/p/%s' % inst.id, 'preferred': True}])
        snapshot = db_api.snapshot_create(
            ctx, dict(share_id=share.id, project_id=project_id, size=1),
            dict(share_instance_id=inst.id,
                 status=states.STATUS_AVAILABLE),
            {'k': 'v'})
        # A mountable snapshot (2.32) with an export location and a rule.
        mount_type = db_api.share_type_create(
            ctx, {'name': 'rbac-%s' % uuid.uuid4().hex[:8],
                  'is_public': True},
            {'driver_handles_share_servers': 'False',
             'mount_snapshot_support': 'True'})
        mount_share = db_api.share_create(
            ctx, dict(project_id=project_id, user_id=user_id, size=1,
                      share_proto='NFS', share_type_id=mount_type.id),
            dict(status=states.STATUS_AVAILABLE, host=node + '@local1#pool1',
                 availability_zone='az1', share_type_id=mount_type.id))
        mount_snap = db_api.snapshot_create(
            ctx, dict(share_id=mount_share.id, project_id=project_id,
                      size=1),
            dict(share_instance_id=mount_share.instances[0].id,
                 status=states.STATUS_AVAILABLE))
        mount_inst = mount_snap.instances[0]
        snap_access_db.export_locations_replace(ctx, mount_inst.id, [
            {'path': '10.0.0.1:/s/%s' % mount_inst.id,
             'is_admin_only': False}])
        snap_rule = snap_access_db.snapshot_access_create(
            ctx, mount_snap.id, 'ip', '10.2.2.2')
        rule = db_api.access_create(ctx, dict(
            share_id=share.id, access_type='ip', access_to='10.1.1.1',
            access_level='rw', state=states.ACCESS_STATE_ACTIVE),
            {'k': 'v'})
        replica = db_api.replica_create(ctx, share.id, dict(
            status=states.STATUS_AVAILABLE, host=node + '@local2#pool1',
            replica_state=states.REPLICA_STATE_IN_SYNC,
            availability_zone='az2', share_type_id=stype.id),
            metadata={'k': 'v'})
        db_api.export_locations_replace(ctx, replica.id, [
            {'path': '10.0.0.2:/p/%s' % replica.id, 'preferred': True}])
        message = messages_db.message_create(ctx, dict(
            project_id=project_id, resource_type='SHARE',
            resource_id=share.id, action_id='001', detail_id='002',
            message_level='ERROR'))
        # Its own share: a lock on {share_id} would refuse its deletion.
        locked = db_api.share_create(
            ctx, dict(project_id=project_id, user_id=user_id, size=1,
                      share_proto='NFS', share_type_id=stype.id),
            dict(status=states.STATUS_AVAILABLE, host=node + '@local1#pool1',
                 availability_zone='az1', share_type_id=stype.id))
        lock = locks_db.lock_create(ctx, dict(
            user_id=user_id, project_id=project_id, lock_context='user',
            resource_id=locked.id, resource_type='share',
            resource_action='delete'))
        # A share of its own: a backup's share has no snapshot.
        backed_up = db_api.share_create(
            ctx, dict(project_id=project_id, user_id=user_id, size=1,
                      share_proto='NFS', share_type_id=stype.id),
            dict(status=states.STATUS_AVAILABLE, host=node + '@local1#pool1',
                 availability_zone='az1', share_type_id=stype.id))
        backup = backups_db.backup_create_for_share(ctx, dict(
            project_id=project_id, user_id=user_id,
            share_id=backed_up.id, size=1,
            status=states.BACKUP_CREATING, store='local'),
            backed_up.instances[0].id)
        backups_db.backup_finish(
            ctx, backup.id, states.BACKUP_AVAILABLE, {},
            sources={states.BACKUP_CREATING},
            instance_id=backed_up.instances[0].id,
            instance_status=states.STATUS_AVAILABLE,
            instance_sources={states.STATUS_BACKUP_CREATING})
        group_type = sgt_db.create(
            ctx, 'rbac-%s' % uuid.uuid4().hex[:8], [private_type.id],
            {'gk': 'gv'}, True)
        private_group_type = sgt_db.create(
            ctx, 'rbac-%s' % uuid.uuid4().hex[:8], [private_type.id], {},
            False)
        sgt_db.access_add(ctx, private_group_type.id, SHARED_WITH)
        group = groups_db.share_group_create(ctx, dict(
            project_id=project_id, user_id=user_id, host=node + '@local1',
            status=states.STATUS_CREATING, availability_zone='az1',
            share_group_type_id=group_type.id), [private_type.id])
        groups_db.share_group_transition(ctx, group.id,
                                         event='create_done')
        return {
            'share_group_id': group.id,
            'share_group_type_id': group_type.id, 'group_spec_key': 'gk',
            'private_share_group_type_id': private_group_type.id,
            'lock_id': lock.id,
            'project_id': project_id, 'quota_class': 'default',
            'message_id': message.id,
            'backup_id': backup.id, 'backed_up_share_id': backed_up.id,
            'node': node, 'share_id': share.id, 'share_type_id': stype.id,
            'private_share_type_id': private_type.id,
            'metadata_key': 'k', 'spec_key': 'foo',
            'snapshot_id': snapshot.id, 'access_id': rule.id,
            'mountable_snapshot_id': mount_snap.id,
            'mountable_snapshot_instance_id': mount_inst.id,
            'snapshot_access_id': snap_rule.id,
            'snapshot_export_location_id': (
                snap_access_db.export_locations_of_instances(
                    ctx, [mount_inst.id])[0].id),
            'share_instance_id': inst.id,
            'snapshot_instance_id': snapshot.instances[0].id,
            'replica_id': replica.id,
            'export_location_id': db_api.share_get(
                ctx, share.id).instances[0].export_locations[0].uuid,
            'replica_export_location_id': db_api.replica_get(
                ctx, replica.id).export_locations[0].uuid,
        }
    return fixtures
