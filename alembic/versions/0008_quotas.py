"""Quotas: limits, quota classes, usages

Revision ID: 0008_quotas
Revises: 0007_locks_resource_locks
Create Date: 2026-11-27 21:10:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0008_quotas"
down_revision = "0007_locks_resource_locks"
branch_labels = None
depends_on = None


def _stamps():
    return [sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=True)]


def upgrade():
    op.create_table(
        "quotas",
        *_stamps(),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("share_type_id", sa.String(length=36), nullable=False),
        sa.Column("resource", sa.String(length=255), nullable=False),
        sa.Column("hard_limit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "user_id", "share_type_id",
                            "resource", name="uniq_quotas0scope0resource"),
    )
    op.create_table(
        "quota_classes",
        *_stamps(),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("class_name", sa.String(length=255), nullable=False),
        sa.Column("resource", sa.String(length=255), nullable=False),
        sa.Column("hard_limit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("class_name", "resource",
                            name="uniq_quota_classes0class0resource"),
    )
    op.create_table(
        "quota_usages",
        *_stamps(),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("share_type_id", sa.String(length=36), nullable=False),
        sa.Column("resource", sa.String(length=255), nullable=False),
        sa.Column("in_use", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "user_id", "share_type_id",
                            "resource",
                            name="uniq_quota_usages0scope0resource"),
    )
