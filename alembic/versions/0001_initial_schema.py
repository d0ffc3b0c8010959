"""Initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23 01:31:05.738115
"""

import sqlalchemy as sa

from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "data_copy_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("src_instance_id", sa.String(length=36), nullable=False),
        sa.Column("dest_instance_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("incremental", sa.Boolean(), nullable=False),
        sa.Column("verify", sa.Boolean(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("bytes_total", sa.BigInteger(), nullable=False),
        sa.Column("bytes_done", sa.BigInteger(), nullable=False),
        sa.Column("files_total", sa.BigInteger(), nullable=False),
        sa.Column("files_done", sa.BigInteger(), nullable=False),
        sa.Column("rate_bps", sa.Float(), nullable=False),
        sa.Column("current_path", sa.String(length=4096), nullable=True),
        sa.Column("checkpoint_path", sa.String(length=4096), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("data_copy_jobs", schema=None) as batch_op:
        batch_op.create_index(
            "data_copy_jobs_share_idx", ["share_id"], unique=False
        )
        batch_op.create_index(
            "data_copy_jobs_state_idx", ["state"], unique=False
        )

    op.create_table(
        "services",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("binary", sa.String(length=255), nullable=False),
        sa.Column("topic", sa.String(length=255), nullable=False),
        sa.Column("availability_zone", sa.String(length=255), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.String(length=255), nullable=True),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("ensuring", sa.Boolean(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("capabilities", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "host", "binary", name="uniq_services0host0binary"
        ),
    )
    op.create_table(
        "share_types",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "share_type_extra_specs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_type_id", sa.String(length=36), nullable=False),
        sa.Column("spec_key", sa.String(length=255), nullable=False),
        sa.Column("spec_value", sa.String(length=1023), nullable=False),
        sa.ForeignKeyConstraint(
            ["share_type_id"],
            ["share_types.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "share_type_id",
            "spec_key",
            name="uniq_share_type_extra_specs0type0key",
        ),
    )
    op.create_table(
        "shares",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("share_proto", sa.String(length=255), nullable=False),
        sa.Column("share_type_id", sa.String(length=36), nullable=True),
        sa.Column("snapshot_id", sa.String(length=36), nullable=True),
        sa.Column("share_network_id", sa.String(length=36), nullable=True),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("task_state", sa.String(length=255), nullable=True),
        sa.Column("replication_type", sa.String(length=255), nullable=True),
        sa.Column("snapshot_support", sa.Boolean(), nullable=False),
        sa.Column("is_soft_deleted", sa.Boolean(), nullable=False),
        sa.Column("scheduled_to_be_deleted_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["share_type_id"],
            ["share_types.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shares", schema=None) as batch_op:
        batch_op.create_index(
            "shares_created_at_idx", ["created_at"], unique=False
        )
        batch_op.create_index(
            "shares_project_id_idx", ["project_id", "created_at"], unique=False
        )

    op.create_table(
        "share_access_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("access_type", sa.String(length=255), nullable=False),
        sa.Column("access_to", sa.String(length=255), nullable=False),
        sa.Column("access_level", sa.String(length=2), nullable=False),
        sa.Column("access_key", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["share_id"],
            ["shares.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("share_access_rules", schema=None) as batch_op:
        batch_op.create_index(
            "share_access_rules_share_idx", ["share_id"], unique=False
        )

    op.create_table(
        "share_instances",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=255), nullable=False),
        sa.Column("replica_state", sa.String(length=255), nullable=True),
        sa.Column("availability_zone", sa.String(length=255), nullable=True),
        sa.Column("share_type_id", sa.String(length=36), nullable=True),
        sa.Column("share_network_id", sa.String(length=36), nullable=True),
        sa.Column("share_server_id", sa.String(length=36), nullable=True),
        sa.Column("cast_rules_to_readonly", sa.Boolean(), nullable=False),
        sa.Column(
            "access_rules_status", sa.String(length=255), nullable=False
        ),
        sa.Column("progress", sa.String(length=32), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("launched_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["share_id"],
            ["shares.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("share_instances", schema=None) as batch_op:
        batch_op.create_index(
            "share_instances_host_idx", ["host"], unique=False
        )
        batch_op.create_index(
            "share_instances_share_id_idx", ["share_id"], unique=False
        )

    op.create_table(
        "share_metadata",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=1023), nullable=False),
        sa.ForeignKeyConstraint(
            ["share_id"],
            ["shares.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("share_id", "key", name="uniq_share_metadata0key"),
    )
    op.create_table(
        "share_snapshots",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("share_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("share_proto", sa.String(length=255), nullable=True),
        sa.Column("share_size", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["share_id"],
            ["shares.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("share_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "share_snapshots_share_id_idx", ["share_id"], unique=False
        )

    op.create_table(
        "share_instance_export_locations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("share_instance_id", sa.String(length=36), nullable=False),
        sa.Column("path", sa.String(length=2000), nullable=False),
        sa.Column("is_admin_only", sa.Boolean(), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["share_instance_id"],
            ["share_instances.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    with op.batch_alter_table(
        "share_instance_export_locations", schema=None
    ) as batch_op:
        batch_op.create_index(
            "export_locations_instance_idx",
            ["share_instance_id"],
            unique=False,
        )

    op.create_table(
        "share_snapshot_instances",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("snapshot_id", sa.String(length=36), nullable=False),
        sa.Column("share_instance_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=255), nullable=False),
        sa.Column("progress", sa.String(length=32), nullable=True),
        sa.Column("provider_location", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["share_snapshots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table(
        "share_snapshot_instances", schema=None
    ) as batch_op:
        batch_op.create_index(
            "snapshot_instances_share_instance_idx",
            ["share_instance_id"],
            unique=False,
        )
