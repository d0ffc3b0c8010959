"""Migrations and models agree on MariaDB and PostgreSQL."""

from manila_lite.db import migration
from tests.unit.db.test_migrations import schema_diff


def test_sync_matches_models_on_real_databases(conf, real_db_url):
    migration.upgrade(conf, connection=real_db_url)
    assert migration.version(conf, real_db_url) == migration.head()
    assert schema_diff(real_db_url) == []
