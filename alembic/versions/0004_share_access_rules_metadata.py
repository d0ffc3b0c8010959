"""Share access rule metadata

Revision ID: 0004_access_metadata
Revises: 0003_snapshot_metadata
Create Date: 2026-11-23 14:00:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0004_access_metadata"
down_revision = "0003_snapshot_metadata"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_access_rules_metadata",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("access_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=1023), nullable=False),
        sa.ForeignKeyConstraint(
            ["access_id"],
            ["share_access_rules.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "access_id",
            "key",
            name="uniq_share_access_rules_metadata0key",
        ),
    )
