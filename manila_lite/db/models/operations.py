"""Copy jobs, user messages, resource locks, quotas and backups."""

from oslo_utils import timeutils
from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import Double
from sqlalchemy import Float
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint

from manila_lite.db.models.base import PRECISE_DATETIME
from manila_lite.db.models.base import Base
from manila_lite.db.models.base import TimestampMixin
from manila_lite.db.models.base import _id_column


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
