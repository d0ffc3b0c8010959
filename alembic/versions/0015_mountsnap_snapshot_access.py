"""Mountable snapshots: snapshot export locations and access rules

Revision ID: 0015_mountsnap_snapshot_access
Revises: 0014_groups_share_groups
Create Date: 2026-11-28 00:15:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0015_mountsnap_snapshot_access"
down_revision = "0014_groups_share_groups"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_snapshot_instance_export_locations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("share_snapshot_instance_id", sa.String(length=36),
                  nullable=False),
        sa.Column("path", sa.String(length=2000), nullable=False),
        sa.Column("is_admin_only", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["share_snapshot_instance_id"],
                                ["share_snapshot_instances.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("snapshot_export_locations_instance_idx",
                    "share_snapshot_instance_export_locations",
                    ["share_snapshot_instance_id"])
    op.create_table(
        "share_snapshot_access_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("share_snapshot_id", sa.String(length=36),
                  nullable=False),
        sa.Column("access_type", sa.String(length=255), nullable=False),
        sa.Column("access_to", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["share_snapshot_id"],
                                ["share_snapshots.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("snapshot_access_rules_snapshot_idx",
                    "share_snapshot_access_rules", ["share_snapshot_id"])
