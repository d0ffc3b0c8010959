"""Services, share types, shares with their instances, export
locations, snapshots and access rules (and their metadata)."""

from oslo_utils import timeutils
from oslo_utils import uuidutils
from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import orm

from manila_lite.common import states
from manila_lite.db.models.base import Base
from manila_lite.db.models.base import HasMetadata
from manila_lite.db.models.base import MetadataMixin
from manila_lite.db.models.base import TimestampMixin
from manila_lite.db.models.base import _id_column
from manila_lite.db.models.base import _shown


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
