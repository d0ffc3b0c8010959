"""Fixtures shared by unit tests (conf, db and the contexts come from
tests/conftest.py): the API client over the real WSGI app, and a local
driver over a pool in a temporary directory."""

import pytest

from manila_lite.api import app as app_mod
from manila_lite.common import config
from manila_lite.share.drivers import local
from tests.unit.api.conftest import Client


@pytest.fixture
def client(conf, db, admin_ctx):
    app = app_mod.build_app(conf)
    c = Client(app)
    resp = c('POST', '/v2/types', {'share_type': {
        'name': 'default',
        'extra_specs': {'driver_handles_share_servers': 'false'}}})
    assert resp.status_int == 200, resp.body
    c.default_type = resp.json_body_or_none['share_type']
    return c


@pytest.fixture
def driver(conf, tmp_path):
    config.register_backend_opts(conf, 'b1', local.LOCAL_OPTS)
    # The node of test_local_driver._instance()'s host.
    conf.set_override('host', 'n')
    conf.set_override('local_pools', ['p1:%s' % (tmp_path / 'p1')],
                      group='b1')
    drv = local.LocalShareDriver(conf, 'b1')
    drv.do_setup(None)
    return drv
