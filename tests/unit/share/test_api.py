"""share/api/ against a real SQLite database and the in-process RPC
transport; a recording endpoint stands in for the scheduler and the
share services, so the tests see the casts that were really sent."""

import threading

import oslo_messaging as messaging
import pytest

from manila_lite.common import exceptions
from manila_lite.common import rpc
from manila_lite.common import states
from manila_lite.share import api as share_api
from tests.unit import rows


class Recorder:
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.calls = []
        self.event = threading.Event()

    def _record(self, name, kwargs):
        self.calls.append((name, kwargs))
        self.event.set()

    def create_share_instance(self, ctxt, **kwargs):
        self._record('create_share_instance', kwargs)

    def delete_share_instance(self, ctxt, **kwargs):
        self._record('delete_share_instance', kwargs)

    def create_snapshot(self, ctxt, **kwargs):
        self._record('create_snapshot', kwargs)

    def update_access(self, ctxt, **kwargs):
        self._record('update_access', kwargs)

    def wait(self, count):
        for _ in range(100):
            if len(self.calls) >= count:
                return self.calls
            self.event.wait(0.05)
            self.event.clear()
        return self.calls


@pytest.fixture
def rpc_servers(conf, db):
    sched, share = Recorder(), Recorder()
    servers = [
        rpc.get_server(conf, messaging.Target(
            topic=conf.scheduler_topic, server='node1'), [sched]),
        rpc.get_server(conf, messaging.Target(
            topic=conf.share_topic, server='node1@b1'), [share]),
    ]
    for server in servers:
        server.start()
    yield sched, share
    for server in servers:
        server.stop()
        server.wait()


@pytest.fixture
def api(conf, db, admin_ctx):
    api = share_api.API(conf)
    api.share_type_create(admin_ctx, name='default', extra_specs={
        'driver_handles_share_servers': 'False',
        'snapshot_support': 'True'})
    return api


def _make_available(db, ctx, share, host='node1@b1#p1'):
    rows.share_instance_update(ctx, share.instance.id, {
        'status': states.STATUS_AVAILABLE, 'host': host})
    return db.share_get(ctx, share.id)


def test_create_records_share_and_casts_to_scheduler(api, rpc_servers,
                                                     member_ctx):
    sched, _ = rpc_servers
    share = api.share_create(member_ctx, size=2, share_proto='nfs',
                             name='s1', metadata={'a': 'b'})
    assert share.status == states.STATUS_CREATING
    assert share.share_proto == 'NFS'
    assert share.project_id == 'proj-a'
    assert share.share_type.name == 'default'
    assert share.metadata_dict == {'a': 'b'}
    (name, kwargs), = sched.wait(1)
    assert name == 'create_share_instance'
    assert kwargs['share_instance_id'] == share.instance.id
    assert kwargs['request_spec']['size'] == 2
    assert kwargs['request_spec']['extra_specs'] == {
        'driver_handles_share_servers': 'False', 'snapshot_support': 'True'}


def test_create_with_unknown_type_or_zone(api, member_ctx):
    with pytest.raises(exceptions.ShareTypeNotFound):
        api.share_create(member_ctx, size=1, share_proto='NFS',
                         share_type='nope')
    with pytest.raises(exceptions.AvailabilityZoneNotFound):
        api.share_create(member_ctx, size=1, share_proto='NFS',
                         availability_zone='az-nowhere')


def test_create_without_default_type(conf, db, member_ctx):
    with pytest.raises(exceptions.InvalidShareType):
        share_api.API(conf).share_create(member_ctx, size=1,
                                         share_proto='NFS')


def test_share_type_requires_dhss(api, admin_ctx):
    with pytest.raises(exceptions.InvalidShareType):
        api.share_type_create(admin_ctx, name='x', extra_specs={})
    with pytest.raises(exceptions.InvalidShareType):
        api.share_type_create(admin_ctx, name='x', extra_specs={
            'driver_handles_share_servers': 'maybe'})


def test_projects_are_isolated(api, db, member_ctx, other_ctx, admin_ctx):
    share = api.share_create(member_ctx, size=1, share_proto='NFS')
    with pytest.raises(exceptions.ShareNotFound):
        api.share_get(other_ctx, share.id)
    with pytest.raises(exceptions.ShareNotFound):
        api.share_delete(other_ctx, share.id)
    assert api.share_list(other_ctx, filters={}) == []
    assert api.share_list(other_ctx, filters={'all_tenants': True}) == []
    assert [s.id for s in api.share_list(
        admin_ctx, filters={'all_tenants': True})] == [share.id]
    api.share_update(member_ctx, share.id, is_public=True)
    assert api.share_get(other_ctx, share.id).id == share.id
    # Visible now, so changing it is refused by policy (403), as
    # upstream, rather than hidden.
    with pytest.raises(exceptions.PolicyNotAuthorized):
        api.share_update(other_ctx, share.id, name='stolen')
    assert api.share_get(member_ctx, share.id).name is None


def test_delete_refused_while_creating(api, member_ctx):
    share = api.share_create(member_ctx, size=1, share_proto='NFS')
    with pytest.raises(exceptions.ShareDeleteRefused) as err:
        api.share_delete(member_ctx, share.id)
    assert err.value.code == 403


def test_delete_casts_to_the_share_host(api, db, rpc_servers, member_ctx):
    _, share_rec = rpc_servers
    share = _make_available(
        db, member_ctx, api.share_create(member_ctx, size=1,
                                         share_proto='NFS'))
    api.share_delete(member_ctx, share.id)
    assert db.share_get(member_ctx, share.id).status == 'deleting'
    (name, kwargs), = share_rec.wait(1)
    assert name == 'delete_share_instance'
    assert kwargs == {'share_instance_id': share.instance.id,
                      'force': False}


def test_delete_unscheduled_share_removes_it_at_once(api, db, member_ctx,
                                                     admin_ctx):
    share = api.share_create(member_ctx, size=1, share_proto='NFS')
    api.share_reset_status(admin_ctx, share.id, states.STATUS_ERROR)
    api.share_delete(member_ctx, share.id)
    with pytest.raises(exceptions.ShareNotFound):
        db.share_get(admin_ctx, share.id)


def test_delete_refused_with_snapshots(api, db, rpc_servers, member_ctx):
    share = _make_available(
        db, member_ctx, api.share_create(member_ctx, size=1,
                                         share_proto='NFS'))
    snap = api.snapshot_create(member_ctx, share.id, name='snap')
    assert snap.status == states.STATUS_CREATING
    with pytest.raises(exceptions.ShareDeleteRefused):
        api.share_delete(member_ctx, share.id)
    assert db.share_get(member_ctx, share.id).status == 'available'


def test_reset_status_validates_value(api, admin_ctx, member_ctx):
    share = api.share_create(member_ctx, size=1, share_proto='NFS')
    with pytest.raises(exceptions.InvalidInput):
        api.share_reset_status(admin_ctx, share.id, 'bogus')


def test_access_allow_validates_and_casts(api, db, rpc_servers,
                                          member_ctx):
    _, share_rec = rpc_servers
    share = api.share_create(member_ctx, size=1, share_proto='NFS')
    with pytest.raises(exceptions.InvalidShare):
        api.access_allow(member_ctx, share.id, access_type='ip',
                         access_to='10.0.0.1')
    share = _make_available(db, member_ctx, share)
    for bad in (('ip', '10.0.0.300'), ('user', 'ab'), ('cephx', 'x.y'),
                ('carrier-pigeon', 'x'), ('user', 'abcd\n')):
        with pytest.raises(exceptions.InvalidShareAccess):
            api.access_allow(member_ctx, share.id, access_type=bad[0],
                             access_to=bad[1])
    rule = api.access_allow(member_ctx, share.id, access_type='ip',
                            access_to='10.0.0.0/24', access_level='ro')
    assert rule.state == states.ACCESS_STATE_QUEUED_TO_APPLY
    with pytest.raises(exceptions.ShareAccessExists):
        api.access_allow(member_ctx, share.id, access_type='ip',
                         access_to='10.0.0.0/24')
    assert share_rec.wait(1)[0] == (
        'update_access', {'share_instance_id': share.instance.id})
    assert (db.share_get(member_ctx, share.id).instance.access_rules_status
            == states.ACCESS_RULES_STATUS_SYNCING)


def test_export_locations_hide_admin_only(api, db, member_ctx, admin_ctx):
    share = _make_available(
        db, member_ctx, api.share_create(member_ctx, size=1,
                                         share_proto='NFS'))
    db.export_locations_replace(admin_ctx, share.instance.id, [
        {'path': 'h:/s', 'preferred': True},
        {'path': '/srv/s', 'is_admin_only': True}])
    assert [el.path for el in api.share_export_location_list(
        member_ctx, share.id)] == ['h:/s']
    assert len(api.share_export_location_list(admin_ctx, share.id)) == 2
    admin_only = [el for el in api.share_export_location_list(
        admin_ctx, share.id) if el.is_admin_only][0]
    with pytest.raises(exceptions.NotAuthorized):
        api.share_export_location_get(member_ctx, share.id,
                                      admin_only.uuid)
    with pytest.raises(exceptions.ExportLocationNotFound):
        api.share_export_location_get(member_ctx, share.id, 'nope')


def test_services_and_zones(api, db, admin_ctx):
    svc = db.service_create_or_update(
        admin_ctx, host='node1@b1', binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az1')
    db.service_create_or_update(
        admin_ctx, host='node1@b2', binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az2')
    db.service_update(admin_ctx, svc.id, {'stopped': True})
    listed = api.service_list(admin_ctx, filters={})
    assert {s['host']: s['state'] for s in listed} == {
        'node1@b1': 'down', 'node1@b2': 'up'}
    assert [s['host'] for s in api.service_list(
        admin_ctx, filters={'zone': 'az2'})] == ['node1@b2']
    assert [s['host'] for s in api.service_list(
        admin_ctx, filters={'state': 'down'})] == ['node1@b1']
    assert [z['name'] for z in api.availability_zone_list(admin_ctx)] == [
        'az1', 'az2']


def test_component_apis_are_built_once_per_process(client, monkeypatch):
    """Replicas, migration and the other actions' APIs are built on
    first use and kept by the share API of the app, not per request."""
    from manila_lite.share import replica_api

    built = []
    real_init = replica_api.ReplicaAPI.__init__

    def counting_init(self, base):
        built.append(base)
        real_init(self, base)

    monkeypatch.setattr(replica_api.ReplicaAPI, '__init__', counting_init)
    for _ in range(3):
        resp = client('GET', '/v2/share-replicas', version='2.98')
        assert resp.status_int == 200, resp.body
        assert resp.json_body_or_none == {'share_replicas': []}
    assert len(built) == 1


def test_component_apis_share_the_public_base(api):
    for component in (api.migrations, api.replicas, api.resizes,
                      api.reverts, api.recycle_bin, api.instances,
                      api.locks, api.backups):
        assert component.share_api is api
    assert api.migrations.share_rpcapi is api.share_rpcapi
    assert api.migrations.scheduler_rpcapi is api.scheduler_rpcapi
