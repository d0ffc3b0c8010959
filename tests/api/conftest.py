"""Session fixtures: the deployment under test, clients per role, and
the resources the tests share (tempest's resource_setup)."""

import uuid

import pytest

from tests.api import base
from tests.api import clients
from tests.api import config as config_mod


def _own_deployment(request, tmp_path_factory):
    """No deployment named: start one here (multi-process, RabbitMQ,
    MariaDB, real Keystone) and describe it as the environment would."""
    from tests.functional import deployment as dep
    from tests.functional import infra
    from tests.functional import keystone as keystone_mod

    keystone = request.getfixturevalue('keystone')
    db = infra.TempDatabase('mysql')
    url = db.create()
    deployment = dep.Deployment(str(tmp_path_factory.mktemp('api')), url)
    keystone_mod.protect(deployment, keystone)
    try:
        deployment.start_all()
    except BaseException:
        deployment.stop_all()
        db.drop()
        raise
    keystone.register_share_service(deployment.url + '/v2')
    creds = {role: config_mod.Credentials(
        user, keystone_mod.PASSWORD, project)
        for role, user, project in (
            ('admin', 'admin', 'admin'), ('member', 'member', 'project-A'),
            ('reader', 'reader', 'project-A'), ('alt', 'other', 'project-B'))}
    config = config_mod.Config(auth_url=keystone.url + '/v3',
                               credentials=creds)

    def finish():
        deployment.stop_all()
        db.drop()
    return config, finish


@pytest.fixture(scope='session')
def api_config(request, tmp_path_factory):
    config = config_mod.from_environ()
    if config is not None:
        yield config
        return
    config, finish = _own_deployment(request, tmp_path_factory)
    try:
        yield config
    finally:
        finish()


def _client(config, role):
    return clients.SharesClient(config, role)


@pytest.fixture(scope='session')
def admin(api_config):
    return _client(api_config, 'admin')


@pytest.fixture(scope='session')
def member(api_config):
    return _client(api_config, 'member')


@pytest.fixture(scope='session')
def reader(api_config):
    return _client(api_config, 'reader')


@pytest.fixture(scope='session')
def alt(api_config):
    return _client(api_config, 'alt')


@pytest.fixture(scope='session')
def share_type(admin, api_config):
    """A public type every share of the suite uses: no share servers,
    snapshots, readable replication."""
    status, body = admin.create_share_type(
        'api-%s' % uuid.uuid4().hex[:8],
        {'driver_handles_share_servers': 'false',
         'snapshot_support': 'true', 'replication_type': 'readable'})
    assert status == 200, body
    yield body['share_type']
    admin.delete_share_type(body['share_type']['id'])


@pytest.fixture
def resources(api_config, share_type, admin):
    """Create through this; everything is deleted after the test, newest
    first, and waited for."""
    tracker = base.Resources(api_config, share_type, admin)
    yield tracker
    tracker.cleanup()
