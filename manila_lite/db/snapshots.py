"""Queries of snapshots, their instances (one per share instance
holding it) and their metadata."""

from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import orm

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import engine
from manila_lite.db import models
from manila_lite.db import transition


def snapshot_create(context, values, instance_values, metadata=None):
    with engine.writer(context) as session:
        row = models.ShareSnapshot(**values)
        row.instances = [models.ShareSnapshotInstance(**instance_values)]
        row.snapshot_metadata = [
            models.ShareSnapshotMetadata(key=k, value=v)
            for k, v in (metadata or {}).items()]
        session.add(row)
        session.flush()
        return row


def snapshot_get(context, snapshot_id):
    return engine._get(context, models.ShareSnapshot, snapshot_id,
                       lambda: exceptions.ShareSnapshotNotFound(
                    snapshot_id=snapshot_id))


def snapshot_get_all(context, *, filters=None, limit=None, offset=None,
                     visible_project=None):
    Snap = models.ShareSnapshot
    filters = filters or {}
    query = sa.select(Snap).order_by(Snap.created_at.desc(), Snap.id)
    for key in ('share_id', 'name', 'project_id', 'description'):
        if filters.get(key) is not None:
            query = query.where(getattr(Snap, key) == filters[key])
    if filters.get('status') is not None:
        query = query.where(Snap.instances.any(
            models.ShareSnapshotInstance.status == filters['status']))
    Meta = models.ShareSnapshotMetadata
    for key, value in (filters.get('metadata') or {}).items():
        query = query.where(Snap.snapshot_metadata.any(sa.and_(
            Meta.key == key, Meta.value == value)))
    if visible_project is not None:
        query = query.where(Snap.project_id == visible_project)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with engine.reader(context) as session:
        return list(session.scalars(query))


def snapshot_count_by_share(context, share_id):
    with engine.reader(context) as session:
        return session.scalar(sa.select(sa.func.count()).where(
            models.ShareSnapshot.share_id == share_id))


def snapshot_update(context, snapshot_id, values):
    with engine.writer(context) as session:
        if not engine._conditional_update(session, models.ShareSnapshot,
                                          snapshot_id, dict(values), ()):
            raise exceptions.ShareSnapshotNotFound(snapshot_id=snapshot_id)
    return snapshot_get(context, snapshot_id)


def snapshot_metadata_set(context, snapshot_id, metadata, *,
                          replace=False):
    """As ``share_metadata_set``, for a snapshot."""
    return engine._metadata_update(
        context, models.ShareSnapshot.snapshot_metadata, snapshot_id,
        metadata, replace=replace, touch=True,
        not_found=lambda: exceptions.ShareSnapshotNotFound(
            snapshot_id=snapshot_id))


def snapshot_metadata_delete(context, snapshot_id, key):
    engine._metadata_delete(
        context, models.ShareSnapshotMetadata.share_snapshot_id,
        snapshot_id, key)


def snapshot_instance_get(context, snapshot_instance_id):
    """The snapshot instance with its snapshot loaded."""
    SI = models.ShareSnapshotInstance
    query = (sa.select(SI).where(SI.id == snapshot_instance_id)
             .options(orm.joinedload(SI.snapshot)))
    with engine.reader(context) as session:
        row = session.scalars(query).first()
        if row is None:
            raise exceptions.ShareSnapshotNotFound(
                snapshot_id=snapshot_instance_id)
        return row


def snapshot_instance_get_all_by_share_instance(context, instance_id):
    SI = models.ShareSnapshotInstance
    with engine.reader(context) as session:
        return list(session.scalars(sa.select(SI).where(
            SI.share_instance_id == instance_id).options(
                orm.joinedload(SI.snapshot))).unique())


def snapshot_instances_move(context, from_instance_id, to_instance_id):
    """Re-home snapshot instances (a migration kept the snapshots)."""
    SI = models.ShareSnapshotInstance
    with engine.writer(context) as session:
        session.execute(
            sa.update(SI).where(SI.share_instance_id == from_instance_id)
            .values(share_instance_id=to_instance_id,
                    updated_at=timeutils.utcnow())
            .execution_options(synchronize_session=False))


def snapshot_instance_add(context, snapshot_id, share_instance_id):
    """A new ``creating`` instance of a snapshot on another share
    instance (a replica)."""
    return engine._create(context, models.ShareSnapshotInstance, dict(
        snapshot_id=snapshot_id, share_instance_id=share_instance_id,
        status=states.STATUS_CREATING, progress='0%'))


def snapshot_instance_update(context, snapshot_instance_id, values):
    transition._refuse_state_columns(models.ShareSnapshotInstance, values)
    with engine.writer(context) as session:
        engine._conditional_update(session, models.ShareSnapshotInstance,
                                   snapshot_instance_id, dict(values), ())


def snapshot_instance_transition(context, snapshot_instance_id,
                                 new=transition._UNSET, *, sources=None,
                                 values=None, event=None):
    """Apply a ``states.SNAPSHOT_EVENTS`` event to a snapshot instance's
    ``status``. InvalidState otherwise."""
    transition._transition(
        context, models.ShareSnapshotInstance, 'status',
        snapshot_instance_id, new, event=event, sources=sources,
        values=values,
        missing=lambda: snapshot_instance_get(context, snapshot_instance_id))


def snapshot_instance_destroy(context, snapshot_instance_id):
    """Delete one instance of a snapshot, and the snapshot with its last
    instance. Returns how many instances remain."""
    SI = models.ShareSnapshotInstance
    with engine.writer(context) as session:
        row = session.get(SI, snapshot_instance_id)
        if row is None:
            return None
        snapshot_id = row.snapshot_id
        session.delete(row)
        session.flush()
        remaining = session.scalar(sa.select(sa.func.count()).where(
            SI.snapshot_id == snapshot_id))
        if not remaining:
            snapshot = session.get(models.ShareSnapshot, snapshot_id)
            if snapshot is not None:
                session.delete(snapshot)
        return remaining


def snapshot_destroy(context, snapshot_id):
    with engine.writer(context) as session:
        row = session.get(models.ShareSnapshot, snapshot_id)
        if row is not None:
            session.delete(row)
