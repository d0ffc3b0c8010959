"""Helpers shared by the API tests: resource creation with cleanup,
fault checks, microversion gates."""

import pytest

from tests.api import waiters


def assert_fault(status, body, code, name=None, words=None):
    """Manila's fault body: ``{name: {"code": code, "message": ...}}``."""
    assert status == code, (status, body)
    assert isinstance(body, dict) and len(body) == 1, body
    (key, fault), = body.items()
    if name:
        assert key == name, body
    assert fault['code'] == code, body
    assert isinstance(fault['message'], str) and fault['message'], body
    if words:
        assert words.lower() in fault['message'].lower(), body


def version_tuple(text):
    major, minor = text.split('.')
    return int(major), int(minor)


def requires(client, version):
    """Skip unless the deployment serves ``version`` (tempest's
    skip_checks for microversions)."""
    status, body, _ = client.request('GET', '/', version=None,
                                     authenticated=False)
    newest = max((v['version'] for v in body['versions'] if v['version']),
                 key=version_tuple)
    if version_tuple(newest) < version_tuple(version):
        pytest.skip('deployment serves up to %s, test needs %s'
                    % (newest, version))


#: Migration task states in which only a cancel lets the share go.
CANCELLABLE = ('data_copying_completed', 'migration_driver_phase1_done')
#: Task states a migration rests in or ends with.
SETTLED = (None, 'migration_success', 'migration_cancelled',
           'migration_error') + CANCELLABLE


class Resources:
    def __init__(self, config, share_type, admin):
        self.config = config
        self.share_type = share_type
        self.admin = admin
        self._cleanups = []

    def add_cleanup(self, func, *args):
        self._cleanups.append((func, args))

    def cleanup(self):
        while self._cleanups:
            func, args = self._cleanups.pop()
            func(*args)

    def wait_share(self, client, share_id, field, wanted):
        return waiters.wait_for(client.show_share, share_id, 'share', field,
                                wanted, self.config.timeout)

    def wait_replica(self, client, replica_id, field, wanted):
        return waiters.wait_for(client.show_replica, replica_id,
                                'share_replica', field, wanted,
                                self.config.timeout)

    def create_share(self, client, wait=True, **fields):
        fields.setdefault('share_type', self.share_type['id'])
        status, body = client.create_share(**fields)
        assert status == 200, body
        share = body['share']
        self.add_cleanup(self._delete_share, client, share['id'])
        if wait:
            share = self.wait_share(client, share['id'], 'status',
                                    'available')
        return share

    def _delete_share(self, client, share_id):
        # A test that failed half-way may leave a migration running.
        share = waiters.wait_for(self.admin.show_share, share_id, 'share',
                                 'task_state', SETTLED,
                                 self.config.timeout, errors=())
        if share and share['task_state'] in CANCELLABLE:
            self.admin.share_action(share_id, 'migration_cancel')
            waiters.wait_for(self.admin.show_share, share_id, 'share',
                             'task_state', 'migration_cancelled',
                             self.config.timeout, errors=())
        for replica in self._replicas_of(client, share_id):
            if replica['replica_state'] != 'active':
                client.delete_replica(replica['id'])
                waiters.wait_for(client.show_replica, replica['id'],
                                 'share_replica', 'status', None,
                                 self.config.timeout, errors=())
        status, body = client.delete_share(share_id)
        assert status in (202, 404), body
        waiters.wait_for(client.show_share, share_id, 'share', 'status',
                         None, self.config.timeout, errors=())

    def _replicas_of(self, client, share_id):
        status, body = client.list_replicas(share_id, detail=True)
        return body['share_replicas'] if status == 200 else []

    def create_replica(self, client, share_id, zone=None, wait=True):
        status, body = client.create_replica(share_id, zone)
        assert status == 202, body
        replica = body['share_replica']
        if wait:
            replica = self.wait_replica(client, replica['id'],
                                        'replica_state', 'in_sync')
        return replica

    def other_zone(self, client, zone):
        """A zone for a replica, not ``zone``."""
        if self.config.replica_zone:
            return self.config.replica_zone
        _, body = client.list_zones()
        names = sorted({z['name'] for z in body['availability_zones']}
                       - {zone})
        if not names:
            pytest.skip('the deployment has one availability zone')
        return names[0]

    def migration_destination(self, admin, host):
        """Where to move a share now on ``host`` (host@backend#pool)."""
        if self.config.migration_host:
            return self.config.migration_host
        backend, _, pool = host.partition('#')
        _, body = admin.list_services('?binary=manila-share')
        others = sorted(s['host'] for s in body['services']
                        if s['host'] != backend and s['state'] == 'up')
        if not others:
            pytest.skip('the deployment has one share backend')
        return '%s#%s' % (others[0], pool)
