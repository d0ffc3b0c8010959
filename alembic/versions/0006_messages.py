"""User messages

Revision ID: 0006_messages
Revises: 0004_access_metadata
Create Date: 2026-11-27 17:20:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0006_messages"
down_revision = "0005_share_type_projects"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "messages",
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("request_id", sa.String(length=255), nullable=True),
        sa.Column("resource_type", sa.String(length=255), nullable=True),
        sa.Column("resource_id", sa.String(length=36), nullable=True),
        sa.Column("action_id", sa.String(length=10), nullable=False),
        sa.Column("detail_id", sa.String(length=10), nullable=True),
        sa.Column("message_level", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("messages_project_id_idx", "messages", ["project_id"])
    op.create_index("messages_expires_at_idx", "messages", ["expires_at"])
