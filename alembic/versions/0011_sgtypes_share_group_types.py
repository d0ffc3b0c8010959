"""Share group types, their group specs, share types and projects

Revision ID: 0011_sgtypes_share_group_types
Revises: 0010_writable_copy_passes
Create Date: 2026-11-27 22:40:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0011_sgtypes_share_group_types"
down_revision = "0010_writable_copy_passes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_group_types",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "share_group_type_specs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_group_type_id", sa.String(length=36),
                  nullable=False),
        sa.Column("spec_key", sa.String(length=255), nullable=False),
        sa.Column("spec_value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["share_group_type_id"],
                                ["share_group_types.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("share_group_type_id", "spec_key",
                            name="uniq_share_group_type_specs0type0key"),
    )
    op.create_table(
        "share_group_type_share_types",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_group_type_id", sa.String(length=36),
                  nullable=False),
        sa.Column("share_type_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["share_group_type_id"],
                                ["share_group_types.id"]),
        sa.ForeignKeyConstraint(["share_type_id"], ["share_types.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("share_group_type_id", "share_type_id",
                            name="uniq_share_group_type_share_types0gt0st"),
    )
    op.create_table(
        "share_group_type_projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_group_type_id", sa.String(length=36),
                  nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["share_group_type_id"],
                                ["share_group_types.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("share_group_type_id", "project_id",
                            name="uniq_share_group_type_projects0gt0project"),
    )
