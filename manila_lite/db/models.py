"""SQLAlchemy models: the whole persistent state of manila_lite.

Only the db modules (queries) and ``alembic/`` (migrations) import
this module. A model change ships with its alembic revision; a test compares
the two on SQLite, MariaDB and PostgreSQL.

Rows are deleted for real when their resource is deleted (no soft-delete
columns): lists stay small and indexes stay selective.
"""

from oslo_utils import timeutils
from oslo_utils import uuidutils
from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import Double
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import orm
from sqlalchemy.dialects import mysql

from manila_lite.common import states


class Base(orm.DeclarativeBase):
    pass


def _id_column():
    return Column(String(36), primary_key=True,
                  default=uuidutils.generate_uuid)


#: A DateTime that keeps microseconds on MySQL/MariaDB as well.
PRECISE_DATETIME = DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                           'mariadb')


class TimestampMixin:
    created_at = Column(DateTime, nullable=False, default=timeutils.utcnow)
    updated_at = Column(DateTime, onupdate=timeutils.utcnow)


def _shown(column):
    """A property of a share or snapshot: ``column`` of the instance it
    shows (None without one)."""
    def get(self):
        inst = self.instance
        return getattr(inst, column) if inst is not None else None
    return property(get)


class MetadataMixin:
    """A metadata table: ``key: value`` strings of the rows of another
    table, a key once per row (named by the table's foreign key)."""

    id = Column(Integer, primary_key=True, autoincrement=True)
    key = Column(String(255), nullable=False)
    value = Column(String(1023), nullable=False)

    @orm.declared_attr.directive
    def __table_args__(cls):
        owner, = (name for name, column in vars(cls).items()
                  if isinstance(column, Column) and column.foreign_keys)
        return (UniqueConstraint(owner, 'key',
                                 name='uniq_%s0key' % cls.__tablename__),)


class HasMetadata:
    """A table with a metadata table (``metadata_of``: the relationship
    to its rows)."""

    metadata_of: str

    @property
    def metadata_dict(self):
        return {m.key: m.value for m in getattr(self, self.metadata_of)}


class Service(TimestampMixin, Base):
    __tablename__ = 'services'
    __table_args__ = (
        UniqueConstraint('host', 'binary', name='uniq_services0host0binary'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    host = Column(String(255), nullable=False)
    binary = Column(String(255), nullable=False)
    topic = Column(String(255), nullable=False)
    availability_zone = Column(String(255))
    disabled = Column(Boolean, nullable=False, default=False)
    disabled_reason = Column(String(255))
    #: ``stopped`` after a clean shutdown; up/down is derived from
    #: ``updated_at`` (the heartbeat) otherwise.
    stopped = Column(Boolean, nullable=False, default=False)
    ensuring = Column(Boolean, nullable=False, default=False)
    report_count = Column(Integer, nullable=False, default=0)
    #: JSON capabilities (pools) of a share service, read by the
    #: scheduler; kept here so any scheduler process sees every backend.
    capabilities = Column(Text)


class ShareType(TimestampMixin, Base):
    __tablename__ = 'share_types'
    id = _id_column()
    name = Column(String(255), nullable=False, unique=True)
    description = Column(String(255))
    is_public = Column(Boolean, nullable=False, default=True)
    extra_specs = orm.relationship(
        'ShareTypeExtraSpec', lazy='selectin', cascade='all, delete-orphan',
        back_populates='share_type')
    # Loaded only when a type is deleted (its rows go with it).
    projects = orm.relationship(
        'ShareTypeProject', lazy='select', cascade='all, delete-orphan')


class ShareTypeProject(Base):
    """A project that may see and use a private share type."""

    __tablename__ = 'share_type_projects'
    __table_args__ = (
        UniqueConstraint('share_type_id', 'project_id',
                         name='uniq_share_type_projects0type0project'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    share_type_id = Column(String(36), ForeignKey('share_types.id'),
                           nullable=False)
    project_id = Column(String(255), nullable=False)


class ShareTypeExtraSpec(Base):
    __tablename__ = 'share_type_extra_specs'
    __table_args__ = (
        UniqueConstraint('share_type_id', 'spec_key',
                         name='uniq_share_type_extra_specs0type0key'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    share_type_id = Column(String(36), ForeignKey('share_types.id'),
                           nullable=False)
    spec_key = Column(String(255), nullable=False)
    spec_value = Column(String(1023), nullable=False)
    share_type = orm.relationship('ShareType', back_populates='extra_specs')


class Share(HasMetadata, TimestampMixin, Base):
    __tablename__ = 'shares'
    __table_args__ = (
        Index('shares_project_id_idx', 'project_id', 'created_at'),
        Index('shares_created_at_idx', 'created_at'),
    )
    id = _id_column()
    project_id = Column(String(255), nullable=False)
    user_id = Column(String(255))
    name = Column(String(255))
    description = Column(String(255))
    size = Column(Integer, nullable=False)
    #: The size an extend in flight was charged to quotas for (None:
    #: no extend holds a charge): what finishing it keeps, and what
    #: abandoning it (a failure, a recovery, a reset) gives back.
    pending_size = Column(Integer)
    share_proto = Column(String(255), nullable=False)
    share_type_id = Column(String(36), ForeignKey('share_types.id'))
    snapshot_id = Column(String(36))
    share_network_id = Column(String(36))
    is_public = Column(Boolean, nullable=False, default=False)
    task_state = Column(String(255))
    replication_type = Column(String(255))
    snapshot_support = Column(Boolean, nullable=False, default=True)
    is_soft_deleted = Column(Boolean, nullable=False, default=False)
    scheduled_to_be_deleted_at = Column(DateTime)
    #: The share group it was created in (2.31), for good.
    share_group_id = Column(String(36))
    instances = orm.relationship(
        'ShareInstance', lazy='selectin', back_populates='share',
        cascade='all, delete-orphan', order_by='ShareInstance.created_at')
    metadata_of = 'share_metadata'
    share_metadata = orm.relationship(
        'ShareMetadata', lazy='selectin', cascade='all, delete-orphan')
    share_type = orm.relationship('ShareType', lazy='selectin')

    @property
    def instance(self):
        """The instance whose status, host and zone the share shows."""
        return states.pick_display_instance(self.instances)

    status = _shown('status')
    host = _shown('host')
    availability_zone = _shown('availability_zone')

    @property
    def export_locations(self):
        inst = self.instance
        return list(inst.export_locations) if inst is not None else []

    @property
    def has_replicas(self):
        return len(self.instances) > 1 and bool(self.replication_type)


class ShareMetadata(MetadataMixin, Base):
    __tablename__ = 'share_metadata'
    share_id = Column(String(36), ForeignKey('shares.id'), nullable=False)


class ShareInstance(HasMetadata, TimestampMixin, Base):
    __tablename__ = 'share_instances'
    __table_args__ = (
        Index('share_instances_share_id_idx', 'share_id'),
        Index('share_instances_host_idx', 'host'),
    )
    id = _id_column()
    share_id = Column(String(36), ForeignKey('shares.id'), nullable=False)
    #: ``host@backend#pool``; empty until scheduled.
    host = Column(String(255), nullable=False, default='')
    status = Column(String(255), nullable=False)
    replica_state = Column(String(255))
    availability_zone = Column(String(255))
    share_type_id = Column(String(36))
    share_network_id = Column(String(36))
    share_server_id = Column(String(36))
    cast_rules_to_readonly = Column(Boolean, nullable=False, default=False)
    access_rules_status = Column(String(255), nullable=False,
                                 default='active')
    progress = Column(String(32))
    #: Last time a non-active replica finished a sync (our extension).
    last_sync_at = Column(DateTime)
    launched_at = Column(DateTime)
    share = orm.relationship('Share', back_populates='instances')
    export_locations = orm.relationship(
        'ExportLocation', lazy='selectin', cascade='all, delete-orphan',
        order_by='ExportLocation.id')
    #: Shown as the replica's ``metadata`` (2.95+).
    metadata_of = 'instance_metadata'
    instance_metadata = orm.relationship(
        'ShareInstanceMetadata', lazy='selectin',
        cascade='all, delete-orphan', order_by='ShareInstanceMetadata.id')


class ShareInstanceMetadata(MetadataMixin, Base):
    """The metadata of a replica (a replica is an instance)."""

    __tablename__ = 'share_instance_metadata'
    share_instance_id = Column(String(36), ForeignKey('share_instances.id'),
                               nullable=False)


class ExportLocation(TimestampMixin, Base):
    __tablename__ = 'share_instance_export_locations'
    __table_args__ = (
        Index('export_locations_instance_idx', 'share_instance_id'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    uuid = Column(String(36), nullable=False, unique=True,
                  default=uuidutils.generate_uuid)
    share_instance_id = Column(String(36), ForeignKey('share_instances.id'),
                               nullable=False)
    path = Column(String(2000), nullable=False)
    is_admin_only = Column(Boolean, nullable=False, default=False)
    preferred = Column(Boolean, nullable=False, default=False)
    #: Set at creation too (as upstream shows it): clients parse it.
    updated_at = Column(DateTime, default=timeutils.utcnow,
                        onupdate=timeutils.utcnow)


class ShareSnapshot(HasMetadata, TimestampMixin, Base):
    __tablename__ = 'share_snapshots'
    __table_args__ = (Index('share_snapshots_share_id_idx', 'share_id'),)
    id = _id_column()
    share_id = Column(String(36), ForeignKey('shares.id'), nullable=False)
    project_id = Column(String(255), nullable=False)
    user_id = Column(String(255))
    name = Column(String(255))
    description = Column(String(255))
    size = Column(Integer, nullable=False)
    share_proto = Column(String(255))
    share_size = Column(Integer)
    instances = orm.relationship(
        'ShareSnapshotInstance', lazy='selectin',
        cascade='all, delete-orphan', back_populates='snapshot')
    metadata_of = 'snapshot_metadata'
    snapshot_metadata = orm.relationship(
        'ShareSnapshotMetadata', lazy='selectin',
        cascade='all, delete-orphan', order_by='ShareSnapshotMetadata.id')
    access_rules = orm.relationship(
        'ShareSnapshotAccessRule', lazy='select',
        cascade='all, delete-orphan')

    @property
    def instance(self):
        return self.instances[0] if self.instances else None

    status = _shown('status')


class ShareSnapshotMetadata(MetadataMixin, Base):
    """The metadata of a snapshot (2.73)."""

    __tablename__ = 'share_snapshot_metadata'
    share_snapshot_id = Column(String(36), ForeignKey('share_snapshots.id'),
                               nullable=False)


class ShareSnapshotInstance(TimestampMixin, Base):
    __tablename__ = 'share_snapshot_instances'
    __table_args__ = (
        Index('snapshot_instances_share_instance_idx', 'share_instance_id'),
    )
    id = _id_column()
    snapshot_id = Column(String(36), ForeignKey('share_snapshots.id'),
                         nullable=False)
    share_instance_id = Column(String(36), nullable=False)
    status = Column(String(255), nullable=False)
    progress = Column(String(32))
    provider_location = Column(String(255))
    snapshot = orm.relationship('ShareSnapshot', back_populates='instances')
    export_locations = orm.relationship(
        'ShareSnapshotExportLocation', lazy='selectin',
        cascade='all, delete-orphan',
        order_by='ShareSnapshotExportLocation.created_at')


class ShareSnapshotExportLocation(TimestampMixin, Base):
    """Where a mountable snapshot's instance is exported (2.32)."""

    __tablename__ = 'share_snapshot_instance_export_locations'
    __table_args__ = (
        Index('snapshot_export_locations_instance_idx',
              'share_snapshot_instance_id'),
    )
    id = _id_column()
    share_snapshot_instance_id = Column(
        String(36), ForeignKey('share_snapshot_instances.id'),
        nullable=False)
    path = Column(String(2000), nullable=False)
    is_admin_only = Column(Boolean, nullable=False, default=False)
    #: Set at creation too (as upstream shows it).
    updated_at = Column(DateTime, default=timeutils.utcnow,
                        onupdate=timeutils.utcnow)


class ShareSnapshotAccessRule(TimestampMixin, Base):
    """An access rule of a mountable snapshot (2.32): read-only by
    nature, so no ``access_level``; ``state`` moves through
    ``states.SNAPSHOT_ACCESS_EVENTS``."""

    __tablename__ = 'share_snapshot_access_rules'
    __table_args__ = (
        Index('snapshot_access_rules_snapshot_idx', 'share_snapshot_id'),
    )
    id = _id_column()
    share_snapshot_id = Column(String(36), ForeignKey('share_snapshots.id'),
                               nullable=False)
    access_type = Column(String(255), nullable=False)
    access_to = Column(String(255), nullable=False)
    state = Column(String(255), nullable=False)


class ShareAccessRule(HasMetadata, TimestampMixin, Base):
    __tablename__ = 'share_access_rules'
    __table_args__ = (Index('share_access_rules_share_idx', 'share_id'),)
    id = _id_column()
    share_id = Column(String(36), ForeignKey('shares.id'), nullable=False)
    access_type = Column(String(255), nullable=False)
    access_to = Column(String(255), nullable=False)
    access_level = Column(String(2), nullable=False, default='rw')
    access_key = Column(String(255))
    state = Column(String(255), nullable=False)
    metadata_of = 'access_metadata'
    access_metadata = orm.relationship(
        'ShareAccessRuleMetadata', lazy='selectin',
        cascade='all, delete-orphan', order_by='ShareAccessRuleMetadata.id')


class ShareAccessRuleMetadata(MetadataMixin, Base):
    """The metadata of an access rule (2.45)."""

    __tablename__ = 'share_access_rules_metadata'
    access_id = Column(String(36), ForeignKey('share_access_rules.id'),
                       nullable=False)


class DataCopyJob(TimestampMixin, Base):
    """One host-assisted copy between two share instances.

    The data service owning the job writes progress here at a bounded
    rate; the API reads it without calling the data service. A job whose
    owner stops heartbeating may be taken over by another data service.
    """

    __tablename__ = 'data_copy_jobs'
    __table_args__ = (
        Index('data_copy_jobs_share_idx', 'share_id'),
        Index('data_copy_jobs_state_idx', 'state'),
    )
    id = _id_column()
    share_id = Column(String(36), nullable=False)
    src_instance_id = Column(String(36), nullable=False)
    dest_instance_id = Column(String(36), nullable=False)
    state = Column(String(32), nullable=False)
    owner = Column(String(255))
    heartbeat_at = Column(DateTime)
    incremental = Column(Boolean, nullable=False, default=False)
    verify = Column(Boolean, nullable=False, default=False)
    #: The digest the verification used (None: not verified).
    verify_algorithm = Column(String(32))
    passes = Column(Integer, nullable=False, default=0)
    bytes_total = Column(BigInteger, nullable=False, default=0)
    bytes_done = Column(BigInteger, nullable=False, default=0)
    files_total = Column(BigInteger, nullable=False, default=0)
    files_done = Column(BigInteger, nullable=False, default=0)
    rate_bps = Column(Float, nullable=False, default=0.0)
    current_path = Column(String(4096))
    checkpoint_path = Column(String(4096))
    error_message = Column(Text)
    finished_at = Column(DateTime)
    #: Writable host-assisted migration: which pass of the migration
    #: this job is (1: the full copy, then incremental passes); None
    #: for a read-only migration's single copy.
    sync_pass = Column(Integer)
    #: The read-only final pass of a writable migration.
    final = Column(Boolean, nullable=False, default=False)
    #: What the pass wrote: bytes copied, and files copied or removed.
    bytes_copied = Column(BigInteger, nullable=False, default=0)
    files_changed = Column(BigInteger, nullable=False, default=0)
    #: Seconds the pass took (its last run, after a resume).
    elapsed = Column(Float)
    #: Final pass: when the source became read-only (seconds since the
    #: epoch: DATETIME columns may keep whole seconds only), and how long
    #: it had been read-only when the pass ended.
    readonly_at = Column(Double)
    final_window = Column(Double)


class Message(TimestampMixin, Base):
    """A user message: why an asynchronous request of a project failed.

    ``action_id``/``detail_id`` are upstream's codes (see
    ``common/messages.py``); the text is derived from them when shown.
    Rows go when their owner deletes them or after ``expires_at``.
    """

    __tablename__ = 'messages'
    __table_args__ = (
        Index('messages_project_id_idx', 'project_id'),
        Index('messages_expires_at_idx', 'expires_at'),
    )
    id = _id_column()
    project_id = Column(String(255), nullable=False)
    request_id = Column(String(255))
    resource_type = Column(String(255))
    resource_id = Column(String(36))
    action_id = Column(String(10), nullable=False)
    detail_id = Column(String(10))
    message_level = Column(String(255), nullable=False)
    expires_at = Column(DateTime)


class ResourceLock(TimestampMixin, Base):
    """A resource lock (2.81+): while it exists, ``resource_action`` is
    refused on the resource (``delete`` of a share or an access rule) or,
    for ``show`` on an access rule, the rule's ``access_to`` and
    ``access_key`` are hidden from everyone but the lock's owner and
    administrators.

    ``lock_context`` says who placed it (``user``, ``admin``,
    ``service``) and so who may lift it. Rows go when the lock is
    deleted or its resource is.
    """

    __tablename__ = 'resource_locks'
    __table_args__ = (
        Index('resource_locks_resource_id_idx', 'resource_id'),
        Index('resource_locks_project_id_idx', 'project_id'),
    )
    # Microseconds on MySQL too (as upstream's table): lists sort and
    # filter by creation time, often of locks placed within a second.
    created_at = Column(PRECISE_DATETIME, nullable=False,
                        default=timeutils.utcnow)
    updated_at = Column(PRECISE_DATETIME, onupdate=timeutils.utcnow)
    id = _id_column()
    user_id = Column(String(255), nullable=False)
    project_id = Column(String(255), nullable=False)
    lock_context = Column(String(10), nullable=False)
    resource_id = Column(String(36), nullable=False)
    resource_type = Column(String(255), nullable=False)
    resource_action = Column(String(255), nullable=False)
    lock_reason = Column(String(1023))
class Quota(TimestampMixin, Base):
    """A hard limit set by an admin: for a project (``user_id`` and
    ``share_type_id`` empty), a user of it, or a share type in it."""

    __tablename__ = 'quotas'
    __table_args__ = (
        UniqueConstraint('project_id', 'user_id', 'share_type_id',
                         'resource', name='uniq_quotas0scope0resource'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    project_id = Column(String(255), nullable=False)
    user_id = Column(String(255), nullable=False, default='')
    share_type_id = Column(String(36), nullable=False, default='')
    resource = Column(String(255), nullable=False)
    hard_limit = Column(Integer, nullable=False)


class QuotaClass(TimestampMixin, Base):
    """A hard limit of a quota class (``default`` holds the defaults)."""

    __tablename__ = 'quota_classes'
    __table_args__ = (
        UniqueConstraint('class_name', 'resource',
                         name='uniq_quota_classes0class0resource'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    class_name = Column(String(255), nullable=False)
    resource = Column(String(255), nullable=False)
    hard_limit = Column(Integer, nullable=False)


class QuotaUsage(TimestampMixin, Base):
    """What a scope (project, user of it, share type in it) consumes of
    a resource. Moved by conditional updates in the transaction that
    creates or deletes what it counts (``db/quotas.py``)."""

    __tablename__ = 'quota_usages'
    __table_args__ = (
        UniqueConstraint('project_id', 'user_id', 'share_type_id',
                         'resource', name='uniq_quota_usages0scope0resource'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    project_id = Column(String(255), nullable=False)
    user_id = Column(String(255), nullable=False, default='')
    share_type_id = Column(String(36), nullable=False, default='')
    resource = Column(String(255), nullable=False)
    in_use = Column(Integer, nullable=False, default=0)
    reserved = Column(Integer, nullable=False, default=0)


class ShareBackup(TimestampMixin, Base):
    """A backup of a share, and the data service's job making or
    restoring it (upstream's ``share_backups`` plus our job columns).

    The data service that claims the row (``owner``) copies the share
    into the backup store ``store`` (a stevedore plugin) and writes
    progress and a heartbeat here; a data service restarting resumes
    its own rows, and any data service adopts rows whose owner stopped
    heartbeating. ``previous_backup_id`` is the backup whose unchanged
    files this one hard-links to (decided once, at the first run).
    """

    __tablename__ = 'share_backups'
    __table_args__ = (
        Index('share_backups_share_idx', 'share_id', 'created_at'),
        Index('share_backups_project_idx', 'project_id'),
        Index('share_backups_status_idx', 'status'),
    )
    id = _id_column()
    project_id = Column(String(255), nullable=False)
    user_id = Column(String(255))
    share_id = Column(String(36), nullable=False)
    name = Column(String(255))
    description = Column(String(255))
    size = Column(Integer, nullable=False, default=0)
    status = Column(String(255), nullable=False)
    progress = Column(String(32))
    restore_progress = Column(String(32))
    availability_zone = Column(String(255))
    backup_type = Column(String(255))
    #: JSON object given at create (upstream's ``backup_options``).
    backup_options = Column(Text)
    host = Column(String(255))
    topic = Column(String(255))
    store = Column(String(255), nullable=False)
    previous_backup_id = Column(String(36))
    #: The share a restore in progress writes into.
    restore_share_id = Column(String(36))
    owner = Column(String(255))
    heartbeat_at = Column(DateTime)
    bytes_total = Column(BigInteger, nullable=False, default=0)
    bytes_done = Column(BigInteger, nullable=False, default=0)
    files_total = Column(BigInteger, nullable=False, default=0)
    files_done = Column(BigInteger, nullable=False, default=0)
    #: What the backup's own copy wrote, and what it shares (hard
    #: links) with ``previous_backup_id``.
    bytes_copied = Column(BigInteger, nullable=False, default=0)
    bytes_shared = Column(BigInteger, nullable=False, default=0)
    fail_reason = Column(Text)


class ShareGroupType(TimestampMixin, Base):
    """A share group type (its API only: share groups are not served)."""

    __tablename__ = 'share_group_types'
    id = _id_column()
    name = Column(String(255), nullable=False, unique=True)
    is_public = Column(Boolean, nullable=False, default=True)
    group_specs = orm.relationship(
        'ShareGroupTypeSpec', lazy='selectin', cascade='all, delete-orphan')
    share_types = orm.relationship(
        'ShareGroupTypeShareType', lazy='selectin',
        cascade='all, delete-orphan')
    # Loaded only when a type is deleted (its rows go with it).
    projects = orm.relationship(
        'ShareGroupTypeProject', lazy='select', cascade='all, delete-orphan')


class ShareGroupTypeSpec(Base):
    __tablename__ = 'share_group_type_specs'
    __table_args__ = (
        UniqueConstraint('share_group_type_id', 'spec_key',
                         name='uniq_share_group_type_specs0type0key'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    share_group_type_id = Column(
        String(36), ForeignKey('share_group_types.id'), nullable=False)
    spec_key = Column(String(255), nullable=False)
    spec_value = Column(String(255), nullable=False)


class ShareGroupTypeShareType(Base):
    """A share type a share group type supports."""

    __tablename__ = 'share_group_type_share_types'
    __table_args__ = (
        UniqueConstraint('share_group_type_id', 'share_type_id',
                         name='uniq_share_group_type_share_types0gt0st'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    share_group_type_id = Column(
        String(36), ForeignKey('share_group_types.id'), nullable=False)
    share_type_id = Column(String(36), ForeignKey('share_types.id'),
                           nullable=False)


class ShareGroupTypeProject(Base):
    """A project that may see and use a private share group type."""

    __tablename__ = 'share_group_type_projects'
    __table_args__ = (
        UniqueConstraint('share_group_type_id', 'project_id',
                         name='uniq_share_group_type_projects0gt0project'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    share_group_type_id = Column(
        String(36), ForeignKey('share_group_types.id'), nullable=False)
    project_id = Column(String(255), nullable=False)


class ShareGroup(TimestampMixin, Base):
    """A share group: shares created in it share its backend and zone."""

    __tablename__ = 'share_groups'
    __table_args__ = (
        Index('share_groups_project_id_idx', 'project_id', 'created_at'),
    )
    id = _id_column()
    project_id = Column(String(255), nullable=False)
    user_id = Column(String(255))
    name = Column(String(255))
    description = Column(String(255))
    status = Column(String(255), nullable=False)
    #: ``host@backend`` once the scheduler placed it; '' before.
    host = Column(String(255), nullable=False, default='')
    availability_zone = Column(String(255))
    share_group_type_id = Column(
        String(36), ForeignKey('share_group_types.id'))
    share_network_id = Column(String(36))
    share_server_id = Column(String(36))
    source_share_group_snapshot_id = Column(String(36))
    consistent_snapshot_support = Column(String(36))
    share_types = orm.relationship(
        'ShareGroupShareTypeMapping', lazy='selectin',
        cascade='all, delete-orphan')


class ShareGroupShareTypeMapping(Base):
    """A share type the shares of a group may have."""

    __tablename__ = 'share_group_share_type_mappings'
    __table_args__ = (
        UniqueConstraint('share_group_id', 'share_type_id',
                         name='uniq_share_group_share_type_mappings0sg0st'),
    )
    id = Column(Integer, primary_key=True, autoincrement=True)
    share_group_id = Column(String(36), ForeignKey('share_groups.id'),
                            nullable=False)
    share_type_id = Column(String(36), ForeignKey('share_types.id'),
                           nullable=False)
