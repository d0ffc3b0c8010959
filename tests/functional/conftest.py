"""Fixtures of the functional tests: deployments of real processes over
RabbitMQ and a real database (conf and db come from tests/conftest.py)."""

import pytest

from tests.functional import deployment as dep
from tests.functional import infra


@pytest.fixture(params=['mysql', 'postgresql'])
def real_db_url(request):
    db = infra.TempDatabase(request.param)
    url = db.create()
    yield url
    db.drop()


@pytest.fixture
def deployment(real_db_url, tmp_path):
    d = dep.Deployment(str(tmp_path), real_db_url)
    try:
        d.start_all()
        yield d
    finally:
        d.stop_all()


@pytest.fixture
def d(tmp_path):
    db = infra.TempDatabase('mysql')
    url = db.create()
    deployment = dep.Deployment(str(tmp_path), url)
    try:
        deployment.start_all()
        for name in ('default', 'gold'):
            status, body = deployment.request('POST', '/v2/types', {
                'share_type': {'name': name, 'extra_specs': {
                    'driver_handles_share_servers': 'false'}}})
            assert status == 200, body
            deployment.__dict__['type_' + name] = body['share_type']['id']
        yield deployment
    finally:
        deployment.stop_all()
        db.drop()
