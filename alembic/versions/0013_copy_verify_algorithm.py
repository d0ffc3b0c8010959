"""Copy jobs record the digest their verification used

Revision ID: 0013_copy_verify_algorithm
Revises: 0012_share_pending_size
Create Date: 2026-11-28 00:10:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0013_copy_verify_algorithm"
down_revision = "0012_share_pending_size"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("data_copy_jobs") as batch:
        batch.add_column(sa.Column("verify_algorithm", sa.String(32),
                                   nullable=True))
