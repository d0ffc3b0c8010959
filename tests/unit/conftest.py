"""Fixtures shared by unit tests: a private config, a real SQLite
database in a temporary directory, the in-process RPC transport and a
few request contexts."""

from oslo_config import cfg
import pytest

from manila_lite.common import config
from manila_lite.common import context
from manila_lite.common import coordination
from manila_lite.common import rpc
from manila_lite.db import api as db_api


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
