"""Shares record the size an extend in flight was charged for

Revision ID: 0012_share_pending_size
Revises: 0011_sgtypes_share_group_types
Create Date: 2026-11-28 00:20:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0012_share_pending_size"
down_revision = "0011_sgtypes_share_group_types"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("shares") as batch:
        batch.add_column(sa.Column("pending_size", sa.Integer(),
                                   nullable=True))
