"""Copy jobs record the passes of a writable migration

Revision ID: 0010_writable_copy_passes
Revises: 0009_backups
Create Date: 2026-11-27 21:00:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0010_writable_copy_passes"
down_revision = "0009_backups"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("data_copy_jobs") as batch:
        batch.add_column(sa.Column("sync_pass", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("final", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("bytes_copied", sa.BigInteger(),
                                   nullable=False, server_default="0"))
        batch.add_column(sa.Column("files_changed", sa.BigInteger(),
                                   nullable=False, server_default="0"))
        batch.add_column(sa.Column("elapsed", sa.Float(), nullable=True))
        # Double: epoch seconds need more than a FLOAT's 24 bits.
        batch.add_column(sa.Column("readonly_at", sa.Double(),
                                   nullable=True))
        batch.add_column(sa.Column("final_window", sa.Double(),
                                   nullable=True))
