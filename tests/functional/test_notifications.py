"""Notifications consumed from RabbitMQ, as a billing or audit system
would: share create/delete, migration start/end and replica
create/promote/delete, each a versioned payload."""

import threading
import time

import oslo_messaging as messaging
import pytest

from manila_lite.common import rpc
from tests.functional import deployment as dep
from tests.functional import infra


class Collector:
    def __init__(self):
        self.events = []
        self.cond = threading.Condition()

    def _add(self, priority, event_type, payload):
        with self.cond:
            self.events.append((priority, event_type, payload))
            self.cond.notify_all()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._add('info', event_type, payload)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._add('error', event_type, payload)

    def wait(self, event_type, timeout=60, **match):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for _prio, etype, payload in self.events:
                    if etype == event_type and all(
                            payload.get(k) == v for k, v in match.items()):
                        return payload
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError('no %s %s among %s' % (
                        event_type, match, [e[1] for e in self.events]))
                self.cond.wait(left)


@pytest.fixture
def d(tmp_path):
    db = infra.TempDatabase('mysql')
    url = db.create()
    deployment = dep.Deployment(str(tmp_path), url)
    listener = None
    try:
        deployment.write_config()
        conf = deployment.client_conf()
        transport = rpc.get_notification_transport(conf)
        collector = Collector()
        listener = messaging.get_notification_listener(
            transport, [messaging.Target(
                topic='notifications-%s' % deployment.tag)],
            [collector], executor='threading')
        listener.start()
        deployment.start_all()
        deployment.collector = collector
        yield deployment
    finally:
        if listener is not None:
            listener.stop()
            listener.wait()
        deployment.stop_all()
        db.drop()


def _share(d, **extra):
    body = {'share_proto': 'NFS', 'size': 1, 'availability_zone': 'az1'}
    body.update(extra)
    status, reply = d.request('POST', '/v2/shares', {'share': body})
    assert status == 200, reply
    share_id = reply['share']['id']
    d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    return share_id


def test_share_migration_and_replica_notifications(d):
    events = d.collector
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'default', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}})
    assert status == 200, body
    share_id = _share(d, share_type='default')
    created = events.wait('share.create.end', share_id=share_id)
    assert created['payload_version'] == '1.0'
    assert created['host'].startswith(d.host + '@local1#')
    assert created['size'] == 1

    dest = '%s@local2#pool1' % d.host
    status, body = d.request('POST', '/v2/shares/%s/action' % share_id, {
        'migration_start': {
            'host': dest, 'writable': False, 'preserve_metadata': False,
            'nondisruptive': False, 'preserve_snapshots': False,
            'force_host_assisted_migration': True}})
    assert status == 202, body
    started = events.wait('share.migration.start', share_id=share_id)
    assert started['destination'] == dest
    d.wait_for('/v2/shares/' + share_id, 'share', 'task_state',
               'data_copying_completed')
    status, _ = d.request('POST', '/v2/shares/%s/action' % share_id,
                          {'migration_complete': None})
    assert status == 202
    events.wait('share.migration.end', share_id=share_id)

    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': 'rep', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'replication_type': 'dr'}}})
    assert status == 200, body
    rep_share = _share(d, share_type='rep')
    status, body = d.request('POST', '/v2/share-replicas', {
        'share_replica': {'share_id': rep_share,
                          'availability_zone': 'az2'}})
    assert status == 202, body
    replica = body['share_replica']['id']
    events.wait('share_replica.create.start', share_replica_id=replica)
    end = events.wait('share_replica.create.end', share_replica_id=replica)
    assert end['replica_state'] == 'in_sync'
    status, _ = d.request('POST', '/v2/share-replicas/%s/action' % replica,
                          {'promote': None})
    assert status == 202
    events.wait('share_replica.promote.start', share_replica_id=replica)
    promoted = events.wait('share_replica.promote.end',
                           share_replica_id=replica)
    assert promoted['replica_state'] == 'active'
    d.wait_for('/v2/share-replicas/' + replica, 'share_replica', 'status',
               'available')
    status, body = d.request('GET', '/v2/share-replicas?share_id=' +
                             rep_share)
    old = [r['id'] for r in body['share_replicas'] if r['id'] != replica][0]
    d.wait_for('/v2/share-replicas/' + old, 'share_replica', 'status',
               'available')
    status, _ = d.request('DELETE', '/v2/share-replicas/' + old)
    assert status == 202
    events.wait('share_replica.delete.end', share_replica_id=old)

    status, _ = d.request('DELETE', '/v2/shares/' + share_id)
    assert status == 202
    deleted = events.wait('share.delete.end', share_id=share_id)
    assert deleted['payload_version'] == '1.0'
