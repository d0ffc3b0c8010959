"""Where a share created from a snapshot goes, as upstream: by default
on the snapshot's pool, in its zone, of its type; with
``use_scheduler_creating_share_from_snapshot`` wherever the scheduler
finds a pool of the snapshot's backend or replication domain
(manila-tempest-plugin ``SharesFromSnapshotAcrossPools``)."""

import os

import pytest

from manila_lite.scheduler import host_manager
from manila_lite.scheduler.filters import create_from_snapshot
from manila_lite.scheduler.weighers import host_affinity
from manila_lite.share import from_snapshot
from tests import files
from tests.unit.api.conftest import fault
from tests.unit.test_embedded import local_path
from tests.unit.test_embedded import wait_for

V = '2.98'


def _type(stack, name, **specs):
    specs.update(driver_handles_share_servers='False',
                 snapshot_support='True',
                 create_share_from_snapshot_support='True')
    resp = stack('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': specs}}, version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share_type']['id']


def _create(stack, **share):
    share.update(share_proto='NFS', size=1)
    return stack('POST', '/v2/shares', {'share': share}, version=V)


def _available(stack, resp):
    assert resp.status_int == 200, resp.body
    return wait_for(stack, '/v2/shares/' + resp.json_body_or_none[
        'share']['id'], 'share', 'status', 'available')


def _name_pool(stack, type_id, pool):
    assert stack('POST', '/v2/types/%s/extra_specs' % type_id, {
        'extra_specs': {'pool_name': pool}}, version=V).status_int == 200


@pytest.fixture
def snapshot(stack):
    """A snapshot of a share on local1#pool1 (az1) holding a few files;
    ``(snapshot id, type id, file contents)``."""
    type_id = _type(stack, 'snap', pool_name='pool1')
    share = _available(stack, _create(stack, share_type=type_id,
                                      availability_zone='az1'))
    assert share['host'] == stack.conf.host + '@local1#pool1'
    path = local_path(stack, share['id'])
    for i in range(3):
        with open(os.path.join(path, 'f%d' % i), 'wb') as f:
            f.write(os.urandom(100 + i))
    before = files.contents(path)
    resp = stack('POST', '/v2/snapshots', {'snapshot': {
        'share_id': share['id']}}, version=V)
    assert resp.status_int == 202, resp.body
    snap_id = resp.json_body_or_none['snapshot']['id']
    wait_for(stack, '/v2/snapshots/' + snap_id, 'snapshot', 'status',
             'available')
    return snap_id, type_id, before


def test_default_takes_snapshot_pool_type_and_zone(
        stack, snapshot):
    snap_id, type_id, before = snapshot
    # The type now names another pool: without the option it is ignored.
    _name_pool(stack, type_id, 'pool2')
    share = _available(stack, _create(stack, snapshot_id=snap_id))
    assert share['host'] == stack.conf.host + '@local1#pool1'
    assert share['share_type'] == type_id
    assert share['availability_zone'] == 'az1'
    assert files.contents(local_path(stack, share['id'])) == before


def test_default_refuses_another_zone_or_type(stack, snapshot):
    snap_id, _type_id, _before = snapshot
    resp = _create(stack, snapshot_id=snap_id, availability_zone='az2')
    assert resp.status_int == 400
    assert fault(resp) == ('badRequest', 400, 'Invalid input received: '
                           + from_snapshot.AZ_MISMATCH)
    other = _type(stack, 'other')
    resp = _create(stack, snapshot_id=snap_id, share_type=other)
    assert resp.status_int == 400
    assert fault(resp) == ('badRequest', 400, 'Invalid input received: '
                           + from_snapshot.TYPE_MISMATCH)


def test_scheduler_places_in_another_pool_of_the_backend(
        stack, snapshot):
    stack.conf.set_override('use_scheduler_creating_share_from_snapshot',
                            True)
    snap_id, type_id, before = snapshot
    _name_pool(stack, type_id, 'pool2')
    share = _available(stack, _create(stack, snapshot_id=snap_id))
    assert share['host'] == stack.conf.host + '@local1#pool2'
    assert share['snapshot_id'] == snap_id
    assert files.contents(local_path(stack, share['id'])) == before


def test_scheduler_places_in_another_zone_of_the_domain(
        stack, snapshot):
    stack.conf.set_override('use_scheduler_creating_share_from_snapshot',
                            True)
    snap_id, type_id, before = snapshot
    assert stack('DELETE', '/v2/types/%s/extra_specs/pool_name' % type_id,
                 version=V).status_int == 202
    share = _available(stack, _create(stack, snapshot_id=snap_id,
                                      availability_zone='az2'))
    assert share['host'].startswith(stack.conf.host + '@local2#')
    assert share['availability_zone'] == 'az2'
    assert files.contents(local_path(stack, share['id'])) == before


def _pool(host, zone, domain):
    backend, _sep, name = host.partition('#')
    return host_manager.PoolState(
        host=host, backend_host=backend, pool_name=name,
        availability_zone=zone,
        capabilities={'replication_domain': domain})


def test_filter_and_weigher():
    spec = {'snapshot_id': 's', 'snapshot_host': 'n@b1#p1',
            'snapshot_replication_domain': 'd1',
            'snapshot_availability_zone': 'az1'}
    same_pool = _pool('n@b1#p1', 'az1', 'd1')
    same_backend = _pool('n@b1#p2', 'az1', 'd1')
    same_zone = _pool('n@b2#p1', 'az1', 'd1')
    other_zone = _pool('n@b3#p1', 'az2', 'd1')
    other_domain = _pool('n@b4#p1', 'az1', 'd2')
    no_domain = _pool('n@b5#p1', 'az1', None)
    assert [create_from_snapshot.passes(p, spec) for p in (
        same_pool, same_backend, same_zone, other_zone, other_domain,
        no_domain)] == [True, True, True, True, False, False]
    assert [host_affinity.weigh(p, spec) for p in (
        same_pool, same_backend, same_zone, other_zone)] == [
        100.0, 75.0, 50.0, 25.0]
    # Not from a snapshot: every pool passes, no pool is preferred.
    assert create_from_snapshot.passes(other_domain, {})
    assert host_affinity.weigh(same_pool, {}) == 0.0
    # The snapshot's backend without a domain: only that backend.
    lone = dict(spec, snapshot_replication_domain=None)
    assert create_from_snapshot.passes(same_backend, lone)
    assert not create_from_snapshot.passes(same_zone, lone)
