"""Queries of share replicas.

A replica is a share instance whose ``replica_state`` is set.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import engine
from manila_lite.db import models
from manila_lite.db import transition


# A replica is a share instance whose ``replica_state`` is set.
def replica_get(context, replica_id):
    """The replica with its share loaded; ShareReplicaNotFound if the id
    names no instance or an instance that is not a replica."""
    Inst = models.ShareInstance
    query = (sa.select(Inst)
             .where(Inst.id == replica_id, Inst.replica_state.is_not(None))
             .options(orm.joinedload(Inst.share),
                      orm.selectinload(Inst.export_locations)))
    with engine.reader(context) as session:
        row = session.scalars(query).first()
        if row is None:
            raise exceptions.ShareReplicaNotFound(replica_id=replica_id)
        return row


def replica_get_all(context, *, share_id=None, project_id=None,
                    host=None, metadata=None):
    """Replicas, oldest first; ``project_id`` limits them to that
    project's shares, ``host`` to one backend (``host@backend``),
    ``metadata`` to those holding every one of its ``key: value``."""
    Inst = models.ShareInstance
    query = (sa.select(Inst).join(Inst.share)
             .where(Inst.replica_state.is_not(None))
             .options(orm.contains_eager(Inst.share),
                      orm.selectinload(Inst.export_locations))
             .order_by(Inst.created_at, Inst.id))
    if share_id is not None:
        query = query.where(Inst.share_id == share_id)
    if project_id is not None:
        query = query.where(models.Share.project_id == project_id)
    if host is not None:
        query = query.where(sa.or_(Inst.host == host,
                                   Inst.host.like(host + '#%')))
    Meta = models.ShareInstanceMetadata
    for key, value in (metadata or {}).items():
        query = query.where(Inst.instance_metadata.any(sa.and_(
            Meta.key == key, Meta.value == value)))
    with engine.reader(context) as session:
        return list(session.scalars(query).unique())


def replica_create(context, share_id, values, snapshot_ids=(),
                   metadata=None):
    """A new replica row (with ``metadata``) plus a ``creating`` snapshot
    instance on it for each of ``snapshot_ids``, in one transaction."""
    with engine.writer(context) as session:
        row = models.ShareInstance(share_id=share_id, **values)
        row.instance_metadata = [
            models.ShareInstanceMetadata(key=k, value=v)
            for k, v in (metadata or {}).items()]
        session.add(row)
        session.flush()
        for snapshot_id in snapshot_ids:
            session.add(models.ShareSnapshotInstance(
                snapshot_id=snapshot_id, share_instance_id=row.id,
                status=states.STATUS_CREATING))
        session.flush()
        return row


def replica_state_transition(context, replica_id, new=transition._UNSET, *,
                             sources=None, values=None, event=None):
    """Apply a ``states.REPLICA_EVENTS`` event to ``replica_state``.
    InvalidState otherwise."""
    transition._transition(
        context, models.ShareInstance, 'replica_state', replica_id, new,
        event=event, sources=sources, values=values,
        missing=lambda: replica_get(context, replica_id))


def replica_metadata_set(context, replica_id, metadata, *, replace=False):
    """Merge ``metadata`` into the replica's (or, with ``replace``, make
    it the whole metadata); returns the metadata afterwards. The
    replica's ``updated_at`` stays: it tells when its state last
    changed (the scheduler's stuck-replica check reads it)."""
    return engine._metadata_update(
        context, models.ShareInstance.instance_metadata, replica_id,
        metadata, replace=replace,
        where=(models.ShareInstance.replica_state.is_not(None),),
        not_found=lambda: exceptions.ShareReplicaNotFound(
            replica_id=replica_id))


def replica_metadata_delete(context, replica_id, key):
    engine._metadata_delete(
        context, models.ShareInstanceMetadata.share_instance_id,
        replica_id, key)
