"""Share instance (replica) metadata

Revision ID: 0002_instance_metadata
Revises: 0001_initial
Create Date: 2026-11-23 12:00:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0002_instance_metadata"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_instance_metadata",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_instance_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=1023), nullable=False),
        sa.ForeignKeyConstraint(
            ["share_instance_id"],
            ["share_instances.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "share_instance_id",
            "key",
            name="uniq_share_instance_metadata0key",
        ),
    )
