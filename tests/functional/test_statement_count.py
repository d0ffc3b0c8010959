"""No N+1 queries on MariaDB and PostgreSQL (schema built by the
alembic migrations): the API in process over the real database."""

import pytest

from manila_lite.api import app as app_mod
from manila_lite.db import api as db_api
from manila_lite.db import migration
from tests import statement_count
from tests.functional import infra
from tests.unit.api.conftest import Client


@pytest.mark.parametrize('kind', ['mysql', 'postgresql'])
def test_statement_counts_do_not_grow_with_rows(conf, kind):
    db = infra.TempDatabase(kind)
    url = db.create()
    try:
        conf.set_override('connection', url, group='database')
        migration.upgrade(conf, connection=url)
        db_api.configure(conf, url)
        client = Client(app_mod.build_app(conf))
        counts = statement_count.check_constant(client)
        assert max(counts.values()) <= 12, counts
    finally:
        db_api.dispose()
        db.drop()
