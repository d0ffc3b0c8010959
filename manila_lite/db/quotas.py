"""Queries of quotas: hard limits, quota classes and usages.

A usage row counts what one *scope* consumes of one resource: the
project (``user_id`` and ``share_type_id`` empty), a user of it, or a
share type in it. A share, snapshot or replica is charged to its three
scopes in the transaction that creates it (:func:`charge`: one
conditional ``UPDATE ... SET in_use = in_use + d WHERE in_use + d <=
limit`` per scope and resource, so two API processes cannot both take
the last unit: the second waits on the row and its ``WHERE`` fails),
and released in the transaction that deletes it (:func:`_on_flush`, an
ORM hook on every session: whatever code path deletes a share, a
snapshot or a replica, its usage goes with it). ``reserved`` stays 0:
no reservation outlives the transaction that pays for it.
"""

from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import orm

from manila_lite.common import states
from manila_lite.db import api
from manila_lite.db import models

U = models.QuotaUsage
Q = models.Quota
QC = models.QuotaClass


def _scope_where(model, project_id, user_id, share_type_id):
    return (model.project_id == project_id,
            model.user_id == (user_id or ''),
            model.share_type_id == (share_type_id or ''))


# --- hard limits -------------------------------------------------------------
def quota_get_all(context, project_id, *, user_id=None, share_type_id=None):
    """``{resource: hard_limit}`` set for exactly this scope."""
    query = sa.select(Q.resource, Q.hard_limit).where(
        *_scope_where(Q, project_id, user_id, share_type_id))
    with api.reader(context) as session:
        return dict(session.execute(query).all())


def quota_set(context, project_id, resource, hard_limit, *, user_id=None,
              share_type_id=None):
    """Create or update one hard limit (an upsert that survives a
    concurrent one: the unique key makes the loser update)."""
    where = _scope_where(Q, project_id, user_id, share_type_id)
    with api.writer(context) as session:
        done = session.execute(
            sa.update(Q).where(*where, Q.resource == resource)
            .values(hard_limit=hard_limit)
            .execution_options(synchronize_session=False)).rowcount
        if not done:
            _insert_ignore(session, Q.__table__, [dict(
                project_id=project_id, user_id=user_id or '',
                share_type_id=share_type_id or '', resource=resource,
                hard_limit=hard_limit, created_at=timeutils.utcnow())])
            session.execute(
                sa.update(Q).where(*where, Q.resource == resource)
                .values(hard_limit=hard_limit)
                .execution_options(synchronize_session=False))


def quota_destroy_all(context, project_id, *, user_id=None,
                      share_type_id=None):
    """Drop the limits of a user, of a share type, or (neither given)
    every limit of the project: they fall back to their defaults."""
    stmt = sa.delete(Q).where(Q.project_id == project_id)
    if user_id:
        stmt = stmt.where(Q.user_id == user_id)
    elif share_type_id:
        stmt = stmt.where(Q.share_type_id == share_type_id)
    with api.writer(context) as session:
        session.execute(stmt.execution_options(synchronize_session=False))


def quota_class_get(context, class_name):
    query = sa.select(QC.resource, QC.hard_limit).where(
        QC.class_name == class_name)
    with api.reader(context) as session:
        return dict(session.execute(query).all())


def quota_class_set(context, class_name, resource, hard_limit):
    where = (QC.class_name == class_name, QC.resource == resource)
    with api.writer(context) as session:
        stmt = (sa.update(QC).where(*where).values(hard_limit=hard_limit)
                .execution_options(synchronize_session=False))
        if not session.execute(stmt).rowcount:
            _insert_ignore(session, QC.__table__, [dict(
                class_name=class_name, resource=resource,
                hard_limit=hard_limit, created_at=timeutils.utcnow())])
            session.execute(stmt)


# --- usages ------------------------------------------------------------------
def usage_get(context, project_id, *, user_id=None, share_type_id=None):
    """``{resource: (in_use, reserved)}`` of one scope."""
    query = sa.select(U.resource, U.in_use, U.reserved).where(
        *_scope_where(U, project_id, user_id, share_type_id))
    with api.reader(context) as session:
        return {r: (i, v) for r, i, v in session.execute(query).all()}


def _insert_ignore(session, table, rows):
    """Insert ``rows``, skipping those whose unique key exists (a
    concurrent transaction may insert the same one: no error, no
    savepoint needed)."""
    dialect = session.dialect.name if isinstance(
        session, sa.engine.Connection) else session.get_bind().dialect.name
    if dialect == 'postgresql':
        from sqlalchemy.dialects import postgresql
        stmt = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect == 'sqlite':
        stmt = sa.insert(table).prefix_with('OR IGNORE')
    else:
        stmt = sa.insert(table).prefix_with('IGNORE')
    session.execute(stmt, rows)


def scopes(project_id, user_id, share_type_id):
    """The three scopes a resource of this owner and type counts in."""
    out = [(project_id, '', '')]
    if user_id:
        out.append((project_id, user_id, ''))
    if share_type_id:
        out.append((project_id, '', share_type_id))
    return out


def charge(session, charges):
    """Add to usages, each within its limit, in the caller's transaction.

    ``charges`` is ``[(scope, resource, delta, limit)]`` (``limit`` -1:
    unlimited). Returns the ``(scope, resource)`` pairs whose limit
    refused (nothing is then meant to be committed: the caller raises,
    and its transaction rolls back).
    """
    wanted = [c for c in charges if c[2] > 0]
    if not wanted:
        return []
    rows = [dict(project_id=s[0], user_id=s[1], share_type_id=s[2],
                 resource=res, in_use=0, reserved=0,
                 created_at=timeutils.utcnow())
            for (s, res) in sorted({(c[0], c[1]) for c in wanted})]
    if session.get_bind().dialect.name == 'sqlite':
        # One writer at a time: no one to deadlock with (and a second
        # connection would wait for this transaction's lock).
        _insert_ignore(session, U.__table__, rows)
    else:
        # Committed on their own first: an INSERT IGNORE meeting a row
        # takes a shared lock the UPDATE below must upgrade, and two
        # transactions doing both deadlock (InnoDB, 50 creates at once).
        # Updates alone, in one order, only wait for each other.
        with api.get_engine().begin() as conn:
            _insert_ignore(conn, U.__table__, rows)
    refused = []
    # One order for every transaction: no two of them lock the same
    # rows in opposite orders.
    for scope, resource, delta, limit in sorted(wanted,
                                                key=lambda c: c[:2]):
        stmt = sa.update(U).where(*_scope_where(U, *scope),
                                  U.resource == resource)
        if limit is not None and limit >= 0:
            stmt = stmt.where(U.in_use + delta <= limit)
        stmt = stmt.values(in_use=U.in_use + delta).execution_options(
            synchronize_session=False)
        if not session.execute(stmt).rowcount:
            refused.append((scope, resource))
    return refused


def in_use(session, scope, resource):
    """What one scope uses of ``resource``, as the caller's transaction
    sees it."""
    return session.execute(
        sa.select(U.in_use).where(*_scope_where(U, *scope),
                                  U.resource == resource)).scalar() or 0


def release(session, project_id, user_id, share_type_id, deltas):
    """Take ``deltas`` (``{resource: n}``) off the owner's scopes, never
    below zero, in the caller's transaction.

    Rows are updated in ``charge``'s order (sorted by scope, then
    resource): a release in the order of ``scopes`` (user before type)
    once deadlocked on InnoDB with a create charging the same rows.
    """
    for scope, resource in sorted(
            (scope, resource)
            for scope in scopes(project_id, user_id, share_type_id)
            for resource, delta in deltas.items() if delta > 0):
        delta = deltas[resource]
        session.execute(
            sa.update(U).where(*_scope_where(U, *scope),
                               U.resource == resource)
            .values(in_use=sa.case((U.in_use > delta,
                                    U.in_use - delta), else_=0))
            .execution_options(synchronize_session=False))


# --- an extend in flight ----------------------------------------------------
def pending_size_set(session, share_id, size):
    t = models.Share.__table__
    session.execute(sa.update(t).where(t.c.id == share_id)
                    .values(pending_size=size))


def pending_size_clear(session, share_id):
    """Clear the share's ``pending_size``; the GiB it held beyond the
    share's size (None: there was none, or another transaction cleared
    it first: its ``WHERE`` fails once ours commits)."""
    t = models.Share.__table__
    row = session.execute(sa.select(t.c.pending_size, t.c.size)
                          .where(t.c.id == share_id)).first()
    if row is None or row.pending_size is None:
        return None
    done = session.execute(
        sa.update(t).where(t.c.id == share_id,
                           t.c.pending_size == row.pending_size)
        .values(pending_size=None)).rowcount
    return max(row.pending_size - row.size, 0) if done else None


# --- release on delete -------------------------------------------------------
def share_deltas(size, replicated):
    deltas = {'shares': 1, 'gigabytes': size}
    if replicated:
        deltas.update(share_replicas=1, replica_gigabytes=size)
    return deltas


def _share_row(session, share_id):
    t = models.Share.__table__
    return session.connection().execute(
        sa.select(t.c.project_id, t.c.user_id, t.c.share_type_id, t.c.size)
        .where(t.c.id == share_id)).first()


def _active_moved(session, instance):
    """Whether ``instance`` is an active replica whose role another
    instance of its share holds now (a migration's source at its
    completion): the share still has one active replica to count."""
    if instance.replica_state != states.REPLICA_STATE_ACTIVE:
        return False
    t = models.ShareInstance.__table__
    return bool(session.connection().execute(
        sa.select(sa.func.count()).where(
            t.c.share_id == instance.share_id, t.c.id != instance.id,
            t.c.replica_state == states.REPLICA_STATE_ACTIVE)).scalar())


def _on_flush(session, flush_context, instances):
    """Release what a deleted share, snapshot or replica held."""
    for obj in list(session.deleted):
        if isinstance(obj, models.Share):
            # Its first instance (the active replica of a replicated
            # share) released its replica share when it went.
            release(session, obj.project_id, obj.user_id,
                    obj.share_type_id, share_deltas(obj.size, False))
        elif isinstance(obj, models.ShareSnapshot):
            share = _share_row(session, obj.share_id)
            release(session, obj.project_id, obj.user_id,
                    share.share_type_id if share else None,
                    {'snapshots': 1, 'snapshot_gigabytes': obj.size})
        elif (isinstance(obj, models.ShareInstance)
              and obj.replica_state is not None
              and not _active_moved(session, obj)):
            share = _share_row(session, obj.share_id)
            if share is not None:
                release(session, share.project_id, share.user_id,
                        share.share_type_id,
                        {'share_replicas': 1,
                         'replica_gigabytes': share.size})


event.listen(orm.Session, 'before_flush', _on_flush)
