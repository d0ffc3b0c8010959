"""The scheduler tells the requester why a share or replica found no
pool (a user message with upstream's action and detail ids: the filter
that left no pool, else "no valid host"), and purges expired messages
on its periodic run every ``message_reap_interval``."""

import datetime

from oslo_utils import timeutils
import pytest

from manila_lite.common import messages
from manila_lite.common import states
from manila_lite.db import messages as msg_db
from manila_lite.scheduler import manager
from tests.unit.scheduler import test_manager as helpers


def _share_instance(db, ctx):
    inst = helpers._instance(db, ctx)
    return inst, db.share_instance_get(ctx, inst).share_id


def _spec(share_id, **kwargs):
    spec = helpers._spec(**kwargs)
    spec.update(share_id=share_id, project_id='p1')
    return spec


@pytest.mark.parametrize('kwargs,detail', [
    (dict(size=60, zone='az1'), messages.Detail.FILTER_CAPACITY),
    (dict(zone='az3'), messages.Detail.FILTER_AVAILABILITY),
    (dict(vendor_name='foobar'), messages.Detail.FILTER_CAPABILITIES),
])
def test_no_pool_records_the_filter_that_emptied_it(
        conf, db, admin_ctx, two_zones, kwargs, detail):
    inst, share_id = _share_instance(db, admin_ctx)
    manager.SchedulerManager(conf).create_share_instance(
        admin_ctx, inst, _spec(share_id, **kwargs))
    assert db.share_instance_get(admin_ctx, inst).status == 'error'
    [msg] = msg_db.message_get_all(admin_ctx)
    assert (msg.project_id, msg.resource_type, msg.resource_id,
            msg.action_id, msg.detail_id, msg.message_level) == (
        'p1', 'SHARE', share_id, '001', detail[0], 'ERROR')
    assert msg.request_id == admin_ctx.request_id


def test_no_backend_at_all_is_no_valid_host(conf, db, admin_ctx,
                                            two_zones):
    for svc in db.service_get_all(admin_ctx, binary=states.BINARY_SHARE):
        db.service_update(admin_ctx, svc.id, {'disabled': True})
    inst, share_id = _share_instance(db, admin_ctx)
    manager.SchedulerManager(conf).create_share_instance(
        admin_ctx, inst, _spec(share_id))
    [msg] = msg_db.message_get_all(admin_ctx)
    assert (msg.action_id, msg.detail_id) == ('001', '002')
    assert messages.user_message(msg) == (
        'allocate host: No storage could be allocated for this share '
        'request. Trying again with a different size or share type may '
        'succeed.')


def test_instance_gone_meanwhile_records_nothing(conf, db, admin_ctx,
                                                 two_zones):
    inst, share_id = _share_instance(db, admin_ctx)
    db.share_instance_transition(admin_ctx, inst, event='force_delete')
    manager.SchedulerManager(conf).create_share_instance(
        admin_ctx, inst, _spec(share_id, zone='az3'))
    assert msg_db.message_get_all(admin_ctx) == []


def test_replica_without_a_replication_pool(conf, db, admin_ctx,
                                            two_zones):
    inst, share_id = _share_instance(db, admin_ctx)
    replica = db.replica_create(admin_ctx, share_id, dict(
        status=states.STATUS_CREATING, host='',
        replica_state=states.REPLICA_STATE_OUT_OF_SYNC))
    spec = _spec(share_id, replication_type='readable')
    spec['active_replica_host'] = 'n1@b1#big'
    # n2@b2 offers "readable" but is in no replication domain.
    manager.SchedulerManager(conf).create_replica(admin_ctx, replica.id,
                                                  spec)
    assert db.share_instance_get(admin_ctx, replica.id).status == 'error'
    [msg] = msg_db.message_get_all(admin_ctx)
    assert (msg.resource_type, msg.resource_id, msg.action_id,
            msg.detail_id) == ('SHARE_REPLICA', replica.id, '001', '014')
    assert messages.user_message(msg) == (
        "allocate host: No storage could be allocated for this share "
        "request, ShareReplication filter didn't succeed.")


def test_periodic_task_purges_expired_messages_per_interval(
        conf, db, admin_ctx):
    conf.set_override('message_reap_interval', 3600)
    ctx = admin_ctx.elevated()
    ctx.project_id = 'p1'
    old = msg_db.record(conf, ctx, messages.Action.CREATE,
                        messages.Resource.SHARE, 's1')
    keep = msg_db.record(conf, ctx, messages.Action.CREATE,
                         messages.Resource.SHARE, 's2')
    with db.writer(admin_ctx) as session:
        session.merge(old).expires_at = (
            timeutils.utcnow() - datetime.timedelta(seconds=1))
    sched = manager.SchedulerManager(conf)
    assert sched.reap_messages(admin_ctx) == 1
    assert [m.id for m in msg_db.message_get_all(admin_ctx)] == [keep.id]
    # Within the interval the periodic run does not purge again.
    with db.writer(admin_ctx) as session:
        session.merge(keep).expires_at = (
            timeutils.utcnow() - datetime.timedelta(seconds=1))
    sched.periodic_tasks(admin_ctx)
    assert [m.id for m in msg_db.message_get_all(admin_ctx)] == [keep.id]
    conf.set_override('message_reap_interval', 1)
    sched._last_reap -= 2
    sched.periodic_tasks(admin_ctx)
    assert msg_db.message_get_all(admin_ctx) == []
