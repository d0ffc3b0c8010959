"""Share snapshot metadata

Revision ID: 0003_snapshot_metadata
Revises: 0002_instance_metadata
Create Date: 2026-11-23 13:00:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0003_snapshot_metadata"
down_revision = "0002_instance_metadata"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_snapshot_metadata",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_snapshot_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=1023), nullable=False),
        sa.ForeignKeyConstraint(
            ["share_snapshot_id"],
            ["share_snapshots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "share_snapshot_id",
            "key",
            name="uniq_share_snapshot_metadata0key",
        ),
    )
