"""Share groups, the share types each allows, a share's group

Revision ID: 0014_groups_share_groups
Revises: 0013_copy_verify_algorithm
Create Date: 2026-11-28 00:10:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0014_groups_share_groups"
down_revision = "0013_copy_verify_algorithm"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_groups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=255), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("availability_zone", sa.String(length=255),
                  nullable=True),
        sa.Column("share_group_type_id", sa.String(length=36),
                  nullable=True),
        sa.Column("share_network_id", sa.String(length=36), nullable=True),
        sa.Column("share_server_id", sa.String(length=36), nullable=True),
        sa.Column("source_share_group_snapshot_id", sa.String(length=36),
                  nullable=True),
        sa.Column("consistent_snapshot_support", sa.String(length=36),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["share_group_type_id"],
                                ["share_group_types.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("share_groups_project_id_idx", "share_groups",
                    ["project_id", "created_at"])
    op.create_table(
        "share_group_share_type_mappings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_group_id", sa.String(length=36), nullable=False),
        sa.Column("share_type_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["share_group_id"], ["share_groups.id"]),
        sa.ForeignKeyConstraint(["share_type_id"], ["share_types.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("share_group_id", "share_type_id",
                            name="uniq_share_group_share_type_mappings0sg0st"),
    )
    with op.batch_alter_table("shares") as batch:
        batch.add_column(sa.Column("share_group_id", sa.String(length=36),
                                   nullable=True))
