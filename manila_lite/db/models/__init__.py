"""SQLAlchemy models: the whole persistent state of manila_lite.

Only the db modules (queries) and ``alembic/`` (migrations) import
this module. A model change ships with its alembic revision; a test compares
the two on SQLite, MariaDB and PostgreSQL.

Rows are deleted for real when their resource is deleted (no soft-delete
columns): lists stay small and indexes stay selective.

The tables live in this package's modules by aggregate (base, shares,
operations, groups); callers use ``models.<Table>`` from here.
"""

from manila_lite.db.models.base import PRECISE_DATETIME
from manila_lite.db.models.base import Base
from manila_lite.db.models.base import HasMetadata
from manila_lite.db.models.base import MetadataMixin
from manila_lite.db.models.base import TimestampMixin
from manila_lite.db.models.groups import ShareGroup
from manila_lite.db.models.groups import ShareGroupShareTypeMapping
from manila_lite.db.models.groups import ShareGroupType
from manila_lite.db.models.groups import ShareGroupTypeProject
from manila_lite.db.models.groups import ShareGroupTypeShareType
from manila_lite.db.models.groups import ShareGroupTypeSpec
from manila_lite.db.models.operations import DataCopyJob
from manila_lite.db.models.operations import Message
from manila_lite.db.models.operations import Quota
from manila_lite.db.models.operations import QuotaClass
from manila_lite.db.models.operations import QuotaUsage
from manila_lite.db.models.operations import ResourceLock
from manila_lite.db.models.operations import ShareBackup
from manila_lite.db.models.shares import ExportLocation
from manila_lite.db.models.shares import Service
from manila_lite.db.models.shares import Share
from manila_lite.db.models.shares import ShareAccessRule
from manila_lite.db.models.shares import ShareAccessRuleMetadata
from manila_lite.db.models.shares import ShareInstance
from manila_lite.db.models.shares import ShareInstanceMetadata
from manila_lite.db.models.shares import ShareMetadata
from manila_lite.db.models.shares import ShareSnapshot
from manila_lite.db.models.shares import ShareSnapshotAccessRule
from manila_lite.db.models.shares import ShareSnapshotExportLocation
from manila_lite.db.models.shares import ShareSnapshotInstance
from manila_lite.db.models.shares import ShareSnapshotMetadata
from manila_lite.db.models.shares import ShareType
from manila_lite.db.models.shares import ShareTypeExtraSpec
from manila_lite.db.models.shares import ShareTypeProject

__all__ = [
    'Base',
    'DataCopyJob',
    'ExportLocation',
    'HasMetadata',
    'Message',
    'MetadataMixin',
    'PRECISE_DATETIME',
    'Quota',
    'QuotaClass',
    'QuotaUsage',
    'ResourceLock',
    'Service',
    'Share',
    'ShareAccessRule',
    'ShareAccessRuleMetadata',
    'ShareBackup',
    'ShareGroup',
    'ShareGroupShareTypeMapping',
    'ShareGroupType',
    'ShareGroupTypeProject',
    'ShareGroupTypeShareType',
    'ShareGroupTypeSpec',
    'ShareInstance',
    'ShareInstanceMetadata',
    'ShareMetadata',
    'ShareSnapshot',
    'ShareSnapshotAccessRule',
    'ShareSnapshotExportLocation',
    'ShareSnapshotInstance',
    'ShareSnapshotMetadata',
    'ShareType',
    'ShareTypeExtraSpec',
    'ShareTypeProject',
    'TimestampMixin',
]
