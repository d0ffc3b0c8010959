"""Fixtures shared by the whole tree: a private config, a real SQLite
database in a temporary directory, the in-process RPC transport, a few
request contexts, the all-in-one stack, and one real Keystone."""

from oslo_config import cfg
import pytest

from manila_lite.api import app as app_mod
from manila_lite.common import config
from manila_lite.common import context
from manila_lite.common import coordination
from manila_lite.common import rpc
from manila_lite.db import api as db_api
from tests.unit.api import conftest as api_conftest


@pytest.fixture
def conf(tmp_path):
    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    conf([], project='manila-lite', default_config_files=[])
    conf.set_override('state_path', str(tmp_path / 'state'))
    conf.set_override('transport_url', 'fake:/')
    conf.set_override('host', 'node1')
    yield conf
    rpc.cleanup()
    coordination.stop()


@pytest.fixture
def db(conf, tmp_path):
    db_api.configure(conf, 'sqlite:///%s' % (tmp_path / 'test.sqlite'))
    db_api.create_all()
    yield db_api
    db_api.dispose()


@pytest.fixture
def admin_ctx():
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin', 'member', 'reader'])


@pytest.fixture
def member_ctx():
    return context.RequestContext(user_id='alice', project_id='proj-a',
                                  roles=['member', 'reader'])


@pytest.fixture
def other_ctx():
    return context.RequestContext(user_id='bob', project_id='proj-b',
                                  roles=['member', 'reader'])


@pytest.fixture
def stack(conf, db):
    from manila_lite.cmd import all as all_cmd

    conf.set_override('report_interval', 1)
    conf.set_override('periodic_interval', 1)
    services = all_cmd.prepare(conf)
    for svc in services:
        svc.start()
    client = api_conftest.Client(app_mod.build_app(conf))
    client.conf = conf
    yield client
    for svc in reversed(services):
        svc.stop()


@pytest.fixture(scope='session')
def keystone(tmp_path_factory):
    """One real Keystone per test process (tests/functional/keystone.py),
    shared by the functional and the API tests."""
    from tests.functional import keystone as keystone_mod

    server = keystone_mod.start_or_skip(str(tmp_path_factory.mktemp('ks')))
    yield server
    server.stop()
