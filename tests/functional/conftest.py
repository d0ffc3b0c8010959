"""Fixtures of the functional tests: deployments of real processes over
RabbitMQ and a real database (conf and db come from tests/conftest.py)."""

import pytest

from manila_lite.api import app as app_mod
from manila_lite.common import rpc
from manila_lite.db import api as db_api
from tests.functional import deployment as dep
from tests.functional import infra
from tests.unit.api.conftest import Client


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
                    'driver_handles_share_servers': 'false',
                    'snapshot_support': 'true'}}})
            assert status == 200, body
            deployment.__dict__['type_' + name] = body['share_type']['id']
        yield deployment
    finally:
        deployment.stop_all()
        db.drop()


@pytest.fixture
def writable_d(tmp_path):
    """A deployment whose two local backends decline driver-assisted
    migration (as two vendors would), with small writable-migration pass
    thresholds: ``writable=True`` migrations between them are writable
    host-assisted ones."""
    db = infra.TempDatabase('mysql')
    url = db.create()
    deployment = dep.Deployment(str(tmp_path), url)
    deployment.extra_conf = [
        '[DEFAULT]',
        'migration_sync_bytes = 262144',
        'migration_sync_files = 20',
        'migration_sync_max_passes = 8',
        'migration_sync_interval = 1',
        '[local1]',
        'local_driver_assisted_migration = false',
        '[local2]',
        'local_driver_assisted_migration = false',
    ]
    try:
        deployment.start_all()
        status, body = deployment.request('POST', '/v2/types', {
            'share_type': {'name': 'default', 'extra_specs': {
                'driver_handles_share_servers': 'false'}}})
        assert status == 200, body
        yield deployment
    finally:
        deployment.stop_all()
        db.drop()


@pytest.fixture
def real_db_client(conf, real_db_url):
    """The API (no services: casts go nowhere) over a real database
    holding a type and a share with metadata."""
    conf.set_override('transport_url', 'fake:/')
    conf.set_override('host', 'node1')
    db_api.configure(conf, real_db_url)
    db_api.create_all()
    c = Client(app_mod.build_app(conf))
    assert c('POST', '/v2/types', {'share_type': {
        'name': 'default', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}}).status_int == 200
    assert c('POST', '/v2/shares', {'share': {
        'size': 1, 'share_proto': 'NFS', 'metadata': {'k': 'v'}}},
        version='2.98').status_int == 200
    yield c
    db_api.dispose()
    rpc.cleanup()
