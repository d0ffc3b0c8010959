"""Alembic environment of manila_lite.

The URL comes from ``manila_lite.db.migration`` (which reads
``[database] connection``); ``target_metadata`` is the models' metadata
so ``alembic revision --autogenerate`` and the sync test compare
against them.
"""

import sqlalchemy as sa

from alembic import context
from manila_lite.db import models

config = context.config
target_metadata = models.Base.metadata


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = sa.create_engine(
        config.get_main_option("sqlalchemy.url"), poolclass=sa.pool.NullPool
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
