"""Work a share service was promised but never did is re-driven from
the database: a row left creating or deleting (its message lost to a
broker restart, or its handler to a database cut) is finished by the
periodic recovery once unchanged for ``transition_redrive_after``
seconds, never earlier, and never twice at once."""

import datetime
import os
import threading

from oslo_utils import timeutils
import pytest

from manila_lite.common import config
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.share import manager as share_manager
from tests.unit.test_embedded import wait_for

AFTER = 60


def _manager(conf, ctx):
    config.register_backend_opts(conf, 'b1')
    conf.set_override('share_driver', 'local', group='b1')
    conf.set_override('transition_redrive_after', AFTER)
    mgr = share_manager.ShareManager(conf, 'node1@b1', 'b1')
    mgr.init_host(ctx)
    return mgr


def _instance(db, ctx, status):
    stype = db.share_type_ensure(ctx, 'default',
                                 {'driver_handles_share_servers': 'False'})
    share = db.share_create(
        ctx, dict(project_id='p1', size=1, share_proto='NFS',
                  share_type_id=stype.id),
        dict(status=status, host='node1@b1#pool1', availability_zone='az1',
             share_type_id=stype.id))
    return share.id, share.instances[0].id


def _age(db, ctx, instance_id, seconds):
    db.share_instance_update(ctx, instance_id, {
        'updated_at': timeutils.utcnow() - datetime.timedelta(
            seconds=seconds)})


def _periodic(mgr, ctx):
    mgr._redrive_at = 0.0   # due now, whatever the monotonic clock says
    mgr.periodic_tasks(ctx)


def test_a_create_whose_message_was_lost_is_redriven_once_stale(
        conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _instance(db, admin_ctx, states.STATUS_CREATING)

    _age(db, admin_ctx, inst, AFTER / 2)
    _periodic(mgr, admin_ctx)
    # Maybe still queued behind other work: not overtaken.
    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_CREATING)

    _age(db, admin_ctx, inst, AFTER + 1)
    _periodic(mgr, admin_ctx)
    share = db.share_get(admin_ctx, share_id)
    assert share.status == states.STATUS_AVAILABLE
    path, = [el.path for el in share.export_locations if el.is_admin_only]
    assert os.path.isdir(path)


def test_a_delete_whose_message_was_lost_is_finished_once_stale(
        conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _instance(db, admin_ctx, states.STATUS_CREATING)
    mgr.create_share_instance(admin_ctx, inst)
    path, = [el.path for el in db.share_get(admin_ctx,
                                            share_id).export_locations
             if el.is_admin_only]
    db.share_instance_transition(admin_ctx, inst, states.STATUS_DELETING)

    _periodic(mgr, admin_ctx)
    assert os.path.isdir(path)

    _age(db, admin_ctx, inst, AFTER + 1)
    _periodic(mgr, admin_ctx)
    assert not os.path.exists(path)
    with pytest.raises(exceptions.ShareNotFound):
        db.share_get(admin_ctx, share_id)


def test_an_ensuring_share_is_left_to_the_running_ensure(
        conf, db, admin_ctx):
    """Only start-up settles ``ensuring``: periodically, an ensure of
    this process holds it, however long it takes."""
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _instance(db, admin_ctx, states.STATUS_CREATING)
    mgr.create_share_instance(admin_ctx, inst)
    db.share_instance_transition(admin_ctx, inst, states.STATUS_ENSURING)
    _age(db, admin_ctx, inst, AFTER * 10)
    _periodic(mgr, admin_ctx)
    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_ENSURING)


def test_a_redriven_handler_never_runs_twice_at_once(conf, db, admin_ctx):
    mgr = _manager(conf, admin_ctx)
    share_id, inst = _instance(db, admin_ctx, states.STATUS_CREATING)
    entered, release = threading.Event(), threading.Event()
    calls = []
    create = mgr.driver.create_share

    def slow_create(*args, **kwargs):
        calls.append(args[1].id)
        entered.set()
        assert release.wait(30)
        return create(*args, **kwargs)

    mgr.driver.create_share = slow_create
    first = threading.Thread(target=mgr.create_share_instance,
                             args=(admin_ctx, inst))
    first.start()
    try:
        assert entered.wait(30)
        # The re-drive (and a redelivered message) meet the running one.
        _age(db, admin_ctx, inst, AFTER + 1)
        _periodic(mgr, admin_ctx)
        assert mgr.create_share_instance(admin_ctx,
                                         share_instance_id=inst) is None
        assert calls == [inst]
    finally:
        release.set()
        first.join(30)
    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_AVAILABLE)
    # Once it ended, the same id may run again (and finds nothing to do).
    mgr.create_share_instance(admin_ctx, inst)
    assert calls == [inst]


def test_a_promote_whose_message_was_lost_is_promoted_again(
        stack):
    """The API set the replica ``replication_change`` and its promote
    never ran (a lost cast, a killed share service): the replica's
    share service promotes it once the row is stale."""
    stack.conf.set_override('replica_state_update_interval', 1)
    resp = stack('POST', '/v2/types', {'share_type': {
        'name': 'rep', 'extra_specs': {
            'driver_handles_share_servers': False,
            'replication_type': 'readable'}}}, version='2.98')
    assert resp.status_int == 200, resp.body
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': 'rep',
        'availability_zone': 'az1'}}, version='2.98')
    share_id = resp.json_body_or_none['share']['id']
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    resp = stack('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version='2.98')
    replica_id = resp.json_body_or_none['share_replica']['id']
    wait_for(stack, '/v2/share-replicas/' + replica_id, 'share_replica',
             'replica_state', 'in_sync')

    from manila_lite.common import context
    from manila_lite.db import api as db_api
    db_api.share_instance_transition(
        context.get_admin_context(), replica_id,
        states.STATUS_REPLICATION_CHANGE,
        sources={states.STATUS_AVAILABLE})
    stack.conf.set_override('transition_redrive_after', 1)
    wait_for(stack, '/v2/share-replicas/' + replica_id, 'share_replica',
             'replica_state', 'active')
    wait_for(stack, '/v2/share-replicas/' + replica_id, 'share_replica',
             'status', 'available')


def test_an_ensure_whose_message_was_lost_is_run_once_stale(
        conf, db, admin_ctx):
    """The API flags the service ``ensuring`` before its cast; with the
    cast lost (or the API killed between the two) nothing cleared the
    flag and every later ensure request was refused with 409. The share
    service runs the ensure once the flag has been unowned for
    ``transition_redrive_after`` seconds; then a new request is
    accepted."""
    mgr = _manager(conf, admin_ctx)
    service = db.service_create_or_update(
        admin_ctx, host='node1@b1', binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az1')
    mgr.service_id = service.id
    assert db.service_set_ensuring(admin_ctx, service.id, True)

    _periodic(mgr, admin_ctx)
    _periodic(mgr, admin_ctx)
    # Maybe still queued: not overtaken.
    assert db.service_get(admin_ctx, service.id).ensuring
    assert mgr._ensure_thread is None

    mgr._ensure_unowned_since -= AFTER   # seen unowned for AFTER s
    _periodic(mgr, admin_ctx)
    mgr._ensure_thread.join(timeout=30)
    assert not mgr._ensure_thread.is_alive()
    assert not db.service_get(admin_ctx, service.id).ensuring
    # A new ensure request wins the flag again.
    assert db.service_set_ensuring(admin_ctx, service.id, True)
