"""Share type access: the projects of private share types

Revision ID: 0005_share_type_projects
Revises: 0004_access_metadata
Create Date: 2026-11-27 16:00:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0005_share_type_projects"
down_revision = "0004_access_metadata"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_type_projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_type_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["share_type_id"],
            ["share_types.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "share_type_id",
            "project_id",
            name="uniq_share_type_projects0type0project",
        ),
    )
