"""Resource locks

Revision ID: 0007_locks_resource_locks
Revises: 0006_messages
Create Date: 2026-11-27 21:15:00.000000
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from alembic import op

# Microseconds on MySQL/MariaDB too, as upstream's table.
DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql",
                                      "mariadb")

revision = "0007_locks_resource_locks"
down_revision = "0006_messages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "resource_locks",
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("updated_at", DATETIME, nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("lock_context", sa.String(length=10), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("resource_type", sa.String(length=255), nullable=False),
        sa.Column("resource_action", sa.String(length=255),
                  nullable=False),
        sa.Column("lock_reason", sa.String(length=1023), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("resource_locks_resource_id_idx", "resource_locks",
                    ["resource_id"])
    op.create_index("resource_locks_project_id_idx", "resource_locks",
                    ["project_id"])
