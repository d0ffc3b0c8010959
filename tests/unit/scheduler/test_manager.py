"""The scheduler on real SQLite and the in-process transport: it places
an instance by zone, capacity and extra specs, records the pool and
casts to that pool's share service; when nothing fits the instance ends
in ``error`` and nothing is cast."""

import threading

import oslo_messaging as messaging
import pytest

from manila_lite.common import rpc
from manila_lite.common import states
from manila_lite.scheduler import manager


class Recorder:
    """Stands in for a share service: records the casts it receives."""

    def __init__(self):
        self.calls = []
        self.event = threading.Event()

    def create_share_instance(self, ctx, share_instance_id):
        self.calls.append(share_instance_id)
        self.event.set()


@pytest.fixture
def share_services(conf):
    started = {}

    def start(host):
        recorder = Recorder()
        server = rpc.get_server(conf, messaging.Target(
            topic=conf.share_topic, server=host), [recorder])
        server.start()
        started[host] = (server, recorder)
        return recorder

    yield start
    for server, _recorder in started.values():
        server.stop()
        server.wait()


def _instance(db, ctx, size=1):
    stype = db.share_type_ensure(ctx, 'default',
                                 {'driver_handles_share_servers': 'False'})
    share = db.share_create(
        ctx, dict(project_id='p1', size=size, share_proto='NFS',
                  share_type_id=stype.id),
        dict(status=states.STATUS_CREATING, host='',
             share_type_id=stype.id))
    return share.instances[0].id


def _spec(size=1, zone=None, **extra_specs):
    return {'size': size, 'share_proto': 'NFS', 'availability_zone': zone,
            'extra_specs': dict({'driver_handles_share_servers': 'False'},
                                **extra_specs)}


def test_zone_and_capacity_pick_the_pool(conf, db, admin_ctx, two_zones,
                                         share_services):
    b1 = share_services('n1@b1')
    share_services('n2@b2')
    inst = _instance(db, admin_ctx, size=3)
    manager.SchedulerManager(conf).create_share_instance(
        admin_ctx, inst, _spec(size=3, zone='az1'))
    row = db.share_instance_get(admin_ctx, inst)
    assert (row.host, row.availability_zone, row.status) == (
        'n1@b1#big', 'az1', states.STATUS_CREATING)
    assert b1.event.wait(5)
    assert b1.calls == [inst]


def test_without_a_zone_the_most_free_pool_wins(conf, db, admin_ctx,
                                                two_zones, share_services):
    b2 = share_services('n2@b2')
    inst = _instance(db, admin_ctx)
    manager.SchedulerManager(conf).create_share_instance(
        admin_ctx, inst, _spec())
    assert db.share_instance_get(admin_ctx, inst).host == 'n2@b2#p'
    assert b2.event.wait(5)


def test_extra_specs_select_the_backend(conf, db, admin_ctx, two_zones,
                                        share_services):
    share_services('n1@b1')
    inst = _instance(db, admin_ctx)
    sched = manager.SchedulerManager(conf)
    sched.create_share_instance(admin_ctx, inst,
                                _spec(share_backend_name='b1'))
    assert db.share_instance_get(admin_ctx, inst).host == 'n1@b1#big'
    other = _instance(db, admin_ctx)
    sched.create_share_instance(admin_ctx, other,
                                _spec(replication_type='readable'))
    assert db.share_instance_get(admin_ctx, other).host == 'n2@b2#p'


@pytest.mark.parametrize('spec', [
    _spec(size=60, zone='az1'),          # az1 has only 50 GiB free
    _spec(zone='az3'),                   # no such zone
    _spec(replication_type='dr'),        # nobody offers dr
])
def test_nothing_fits_errors_the_instance(conf, db, admin_ctx, two_zones,
                                          share_services, spec, caplog):
    recorders = [share_services('n1@b1'), share_services('n2@b2')]
    inst = _instance(db, admin_ctx)
    manager.SchedulerManager(conf).create_share_instance(admin_ctx, inst,
                                                         spec)
    row = db.share_instance_get(admin_ctx, inst)
    assert (row.status, row.host) == (states.STATUS_ERROR, '')
    assert 'No valid host was found' in caplog.text
    assert not any(r.event.wait(0.2) for r in recorders)


def test_down_or_disabled_backends_are_not_chosen(conf, db, admin_ctx,
                                                  two_zones):
    for svc in db.service_get_all(admin_ctx, binary=states.BINARY_SHARE):
        db.service_update(admin_ctx, svc.id, {'disabled': True})
    inst = _instance(db, admin_ctx)
    manager.SchedulerManager(conf).create_share_instance(admin_ctx, inst,
                                                         _spec())
    assert db.share_instance_get(admin_ctx, inst).status == 'error'


def test_instance_deleted_meanwhile_gets_no_host(conf, db, admin_ctx,
                                                 two_zones, share_services):
    b2 = share_services('n2@b2')
    inst = _instance(db, admin_ctx)
    db.share_instance_transition(admin_ctx, inst, event='force_delete')
    manager.SchedulerManager(conf).create_share_instance(admin_ctx, inst,
                                                         _spec())
    row = db.share_instance_get(admin_ctx, inst)
    assert (row.status, row.host) == (states.STATUS_DELETING, '')
    assert not b2.event.wait(0.2)
