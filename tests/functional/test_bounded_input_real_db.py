"""The bounded query values of tests/unit/api/test_bounded_input.py on
MariaDB and PostgreSQL: each database takes the largest offset
accepted, and no filter value reaches a query that would fail there
(PostgreSQL refuses to compare a string column with an integer)."""

from urllib.parse import quote

import pytest

from manila_lite.api import app as app_mod
from manila_lite.common import rpc
from manila_lite.db import api as db_api
from tests.unit.api.conftest import Client

LISTS = ['/v2/shares', '/v2/shares/detail', '/v2/snapshots',
         '/v2/share-replicas/detail']


@pytest.fixture
def client(conf, real_db_url):
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


def test_offsets_and_metadata_filters_on_a_real_database(client):  # noqa
    for path in LISTS:
        for query, status in [
                ('offset=2147483647', 200), ('offset=2147483648', 400),
                ('offset=%d' % 10 ** 30, 400),
                ('limit=%d' % 10 ** 30, 200),
                ('limit=%d&offset=1' % 2 ** 63, 200),
                ('metadata=' + quote("{'k': 'v'}"), 200),
                ('metadata=' + quote("{'k': 1}"), 400),
                ('metadata=' + quote('{(1,2):3}'), 400),
                ('metadata=' + quote("{'k': ['v']}"), 400)]:
            resp = client('GET', '%s?%s' % (path, query), version='2.98')
            assert resp.status_int == status, (path, query, resp.body)
