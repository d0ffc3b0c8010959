"""The scheduler places a share group on one backend serving every
share type of the group (in the zone asked for), records that backend
and zone and makes the group ``available``; with no such backend the
group is ``error`` with a user message naming it."""

from manila_lite.common import states
from manila_lite.db import messages as msg_db
from manila_lite.db import share_groups as group_db
from manila_lite.scheduler import manager

DHSS = {'driver_handles_share_servers': 'False'}


def _group(db, ctx, *type_specs, zone=None):
    types = [db.share_type_ensure(ctx, 't%d' % i, dict(DHSS, **specs))
             for i, specs in enumerate(type_specs)]
    group = group_db.share_group_create(ctx, dict(
        project_id='p1', status=states.STATUS_CREATING, host='',
        availability_zone=zone), [t.id for t in types])
    spec = {'share_group_id': group.id, 'availability_zone': zone,
            'project_id': 'p1',
            'share_types': [{'share_type_id': t.id,
                             'extra_specs': dict(DHSS, **specs)}
                            for t, specs in zip(types, type_specs,
                                                strict=True)]}
    return group.id, spec


def test_group_goes_to_the_backend_serving_every_type(conf, db, admin_ctx,
                                                      two_zones):
    gid, spec = _group(db, admin_ctx, {},
                       {'replication_type': 'readable'})
    manager.SchedulerManager(conf).create_share_group(admin_ctx, gid, spec)
    group = group_db.share_group_get(admin_ctx, gid)
    assert (group.status, group.host, group.availability_zone) == (
        states.STATUS_AVAILABLE, 'n2@b2', 'az2')


def test_group_zone_follows_the_types_zones(conf, db, admin_ctx,
                                            two_zones):
    gid, spec = _group(db, admin_ctx, {'availability_zones': 'az1'})
    manager.SchedulerManager(conf).create_share_group(admin_ctx, gid, spec)
    group = group_db.share_group_get(admin_ctx, gid)
    assert (group.status, group.host, group.availability_zone) == (
        states.STATUS_AVAILABLE, 'n1@b1', 'az1')


def test_no_backend_serves_every_type(conf, db, admin_ctx, two_zones):
    gid, spec = _group(db, admin_ctx, {'availability_zones': 'az1'},
                       {'replication_type': 'readable'})
    manager.SchedulerManager(conf).create_share_group(admin_ctx, gid, spec)
    group = group_db.share_group_get(admin_ctx, gid)
    assert (group.status, group.host) == (states.STATUS_ERROR, '')
    [message] = msg_db.message_get_all(admin_ctx, filters={
        'resource_id': gid})
    assert message.resource_type == 'SHARE_GROUP'


def test_a_group_deleted_meanwhile_is_left_alone(conf, db, admin_ctx,
                                                 two_zones):
    gid, spec = _group(db, admin_ctx, {}, zone='az1')
    group_db.share_group_transition(admin_ctx, gid, event='force_delete')
    manager.SchedulerManager(conf).create_share_group(admin_ctx, gid, spec)
    group = group_db.share_group_get(admin_ctx, gid)
    assert (group.status, group.host) == (states.STATUS_DELETING, '')
