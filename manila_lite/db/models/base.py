"""The declarative base and the mixins every table module shares."""

from oslo_utils import timeutils
from oslo_utils import uuidutils
from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import orm
from sqlalchemy.dialects import mysql


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
