"""Run the alembic migrations in the top-level ``alembic/`` directory.

``manila-lite-manage db sync`` and the all-in-one call ``upgrade``; the
alembic configuration is built here (no alembic.ini), pointed at the
``[database] connection`` of the given ``conf``. From a source tree the
scripts are found next to the package; an installed package finds the
copy pbr placed under ``<prefix>/share/manila-lite/alembic``.
"""

import os
import site
import sys
import sysconfig

import sqlalchemy as sa

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script


def script_location():
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.path.join(here, "..", "..", "alembic")]
    # pbr's data_files land under the install scheme's data directory:
    # the venv or system prefix, or the user base for ``pip --user``.
    for prefix in (
        sysconfig.get_path("data"),
        sys.prefix,
        site.getuserbase(),
    ):
        candidates.append(
            os.path.join(prefix, "share", "manila-lite", "alembic")
        )
    for path in candidates:
        if os.path.isfile(os.path.join(path, "env.py")):
            return os.path.normpath(path)
    raise RuntimeError("alembic scripts not found in %s" % candidates)


def _config(connection):
    cfg = alembic_config.Config()
    cfg.set_main_option("script_location", script_location())
    cfg.set_main_option("sqlalchemy.url", connection.replace("%", "%%"))
    return cfg


def _url(conf, connection=None):
    return connection or conf.database.connection


def _ensure_sqlite_dir(url):
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)


def upgrade(conf, revision="head", connection=None):
    url = _url(conf, connection)
    _ensure_sqlite_dir(url)
    command.upgrade(_config(url), revision)


def version(conf, connection=None):
    """The database's current revision (None when never synced)."""
    url = _url(conf, connection)
    _ensure_sqlite_dir(url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return alembic_migration.MigrationContext.configure(
                conn
            ).get_current_revision()
    finally:
        engine.dispose()


def head():
    cfg = _config("sqlite://")
    return alembic_script.ScriptDirectory.from_config(cfg).get_current_head()
