"""The alembic migrations build exactly the schema db/models declares
(SQLite here; MariaDB and PostgreSQL in tests/functional)."""

import sqlalchemy as sa

from alembic import autogenerate
from alembic import migration as alembic_migration
from manila_lite.db import migration
from manila_lite.db import models


def schema_diff(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = alembic_migration.MigrationContext.configure(
                conn, opts={'compare_type': True})
            return autogenerate.compare_metadata(ctx, models.Base.metadata)
    finally:
        engine.dispose()


def test_sync_reaches_head_and_matches_models(conf, tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'db' / 'm.sqlite')
    assert migration.version(conf, url) is None
    migration.upgrade(conf, connection=url)
    assert migration.version(conf, url) == migration.head()
    assert schema_diff(url) == []


def test_sync_is_idempotent(conf, tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'm.sqlite')
    migration.upgrade(conf, connection=url)
    migration.upgrade(conf, connection=url)
    assert migration.version(conf, url) == migration.head()
