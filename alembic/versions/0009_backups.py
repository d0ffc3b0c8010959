"""Share backups

Revision ID: 0009_backups
Revises: 0008_quotas
Create Date: 2026-11-27 21:00:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0009_backups"
down_revision = "0008_quotas"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_backups",
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=255), nullable=False),
        sa.Column("progress", sa.String(length=32), nullable=True),
        sa.Column("restore_progress", sa.String(length=32), nullable=True),
        sa.Column("availability_zone", sa.String(length=255),
                  nullable=True),
        sa.Column("backup_type", sa.String(length=255), nullable=True),
        sa.Column("backup_options", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("topic", sa.String(length=255), nullable=True),
        sa.Column("store", sa.String(length=255), nullable=False),
        sa.Column("previous_backup_id", sa.String(length=36),
                  nullable=True),
        sa.Column("restore_share_id", sa.String(length=36), nullable=True),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("bytes_total", sa.BigInteger(), nullable=False),
        sa.Column("bytes_done", sa.BigInteger(), nullable=False),
        sa.Column("files_total", sa.BigInteger(), nullable=False),
        sa.Column("files_done", sa.BigInteger(), nullable=False),
        sa.Column("bytes_copied", sa.BigInteger(), nullable=False),
        sa.Column("bytes_shared", sa.BigInteger(), nullable=False),
        sa.Column("fail_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("share_backups_share_idx", "share_backups",
                    ["share_id", "created_at"])
    op.create_index("share_backups_project_idx", "share_backups",
                    ["project_id"])
    op.create_index("share_backups_status_idx", "share_backups",
                    ["status"])
