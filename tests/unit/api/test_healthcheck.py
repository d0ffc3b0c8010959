"""/healthcheck answers without a token, and a disable file turns it to
503 (for draining a node behind a load balancer)."""

import json

from oslo_middleware.healthcheck import opts as health_opts

from manila_lite.api import app as app_mod
from tests.unit.api.conftest import Client


def test_healthcheck_without_auth(client):
    resp = client('GET', '/healthcheck', token=None)
    assert resp.status_int == 200
    resp = client('GET', '/healthcheck', token=None,
                  headers={'Accept': 'application/json'})
    assert resp.status_int == 200
    assert json.loads(resp.body)['reasons'] == []
    # Everything else still needs a token.
    assert client('GET', '/v2/shares', token=None).status_int == 401


def test_healthcheck_disable_by_file(conf, db, tmp_path):
    flag = tmp_path / 'disable'
    conf.register_opts(health_opts.HEALTHCHECK_OPTS, group='healthcheck')
    conf.register_opts(health_opts.DISABLE_BY_FILE_OPTS,
                       group='healthcheck')
    conf.set_override('backends', ['disable_by_file'], group='healthcheck')
    conf.set_override('disable_by_file_path', str(flag),
                      group='healthcheck')
    app = Client(app_mod.build_app(conf))
    assert app('GET', '/healthcheck', token=None).status_int == 200
    flag.write_text('')
    assert app('GET', '/healthcheck', token=None).status_int == 503
