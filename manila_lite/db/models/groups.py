"""Share group types and share groups."""

from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import orm

from manila_lite.db.models.base import Base
from manila_lite.db.models.base import TimestampMixin
from manila_lite.db.models.base import _id_column


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
