"""Queries of resource locks (``resource_locks`` table, 2.81+).

Lists are scoped by ``project_id`` (None: every project); filters are
upstream's: exact matches on the columns below, ``lock_reason~`` a
substring match, ``created_since``/``created_before`` time bounds. The
rows a rule's or a share's deletion takes with it are removed by
``db/shares.py`` and ``db/access.py`` in the same transaction (see
:func:`destroy_locks_on`).
"""

import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.db import api
from manila_lite.db import models

#: Columns a list may be filtered on (exact match), as upstream.
FILTER_KEYS = ('id', 'user_id', 'project_id', 'resource_id',
               'resource_type', 'lock_context', 'resource_action',
               'lock_reason')
#: Columns a list may be sorted on.
SORT_KEYS = ('id', 'user_id', 'project_id', 'lock_context', 'resource_id',
             'resource_type', 'resource_action', 'lock_reason',
             'created_at', 'updated_at')
#: The reason of the share lock an access rule's deletion lock brings
#: (upstream's text): the rule's removal lifts both.
SHARE_LOCKED_BY_ACCESS_LOCK_REASON = 'Locked by access lock: %s'


def lock_create(context, values, *, refused_share_statuses=None):
    """Insert a lock. With ``refused_share_statuses`` (a share's
    deletion lock) the share's instances are read FOR UPDATE in the same
    transaction and InvalidInput raised if one is in such a status: a
    deletion that moved them already wins, one that has not waits for
    this lock and then sees it (see share/api/shares.py ``share_delete``)."""
    if refused_share_statuses is None:
        return api._create(context, models.ResourceLock, values)
    SI = models.ShareInstance
    with api.writer(context) as session:
        now = set(session.scalars(
            sa.select(SI.status).where(SI.share_id == values['resource_id'])
            .with_for_update()))
        if now & set(refused_share_statuses):
            raise exceptions.InvalidInput(
                reason='Resource status not suitable for locking')
        row = models.ResourceLock(**values)
        session.add(row)
        session.flush()
        return row


def lock_get(context, lock_id, *, project_id=None):
    """The lock, 404 when absent or (``project_id`` set) another
    project's."""
    L = models.ResourceLock
    query = sa.select(L).where(L.id == lock_id)
    if project_id is not None:
        query = query.where(L.project_id == project_id)
    with api.reader(context) as session:
        lock = session.scalars(query).first()
    if lock is None:
        raise exceptions.ResourceLockNotFound(lock_id=lock_id)
    return lock


def _filtered(query, filters):
    L = models.ResourceLock
    for key in FILTER_KEYS:
        if filters.get(key) is not None:
            query = query.where(getattr(L, key) == filters[key])
    if filters.get('lock_reason~') is not None:
        query = query.where(L.lock_reason.contains(filters['lock_reason~'],
                                                   autoescape=True))
    if filters.get('created_since') is not None:
        query = query.where(L.created_at >= filters['created_since'])
    if filters.get('created_before') is not None:
        query = query.where(L.created_at <= filters['created_before'])
    return query


def lock_get_all(context, *, project_id=None, filters=None, limit=None,
                 offset=None, sort_key='created_at', sort_dir='desc',
                 with_count=False):
    """``(locks, count)``: one page, and with ``with_count`` how many
    match in all (else None)."""
    L = models.ResourceLock
    query = sa.select(L)
    if project_id is not None:
        query = query.where(L.project_id == project_id)
    query = _filtered(query, filters or {})
    count = None
    with api.reader(context) as session:
        if with_count:
            count = session.scalar(sa.select(sa.func.count()).select_from(
                query.subquery()))
        query = api.sorted_page(query, L, SORT_KEYS, sort_key, sort_dir,
                                limit, offset)
        return list(session.scalars(query)), count


def locks_on(context, resource_id, resource_action=None):
    """Every project's locks on ``resource_id`` (of one action)."""
    L = models.ResourceLock
    query = sa.select(L).where(L.resource_id == resource_id)
    if resource_action is not None:
        query = query.where(L.resource_action == resource_action)
    with api.reader(context) as session:
        return list(session.scalars(query.order_by(L.created_at, L.id)))


def lock_update(context, lock_id, values):
    L = models.ResourceLock
    with api.writer(context) as session:
        row = session.get(L, lock_id)
        if row is None:
            raise exceptions.ResourceLockNotFound(lock_id=lock_id)
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return row


def lock_destroy(context, lock_id):
    L = models.ResourceLock
    with api.writer(context) as session:
        if not session.execute(sa.delete(L).where(L.id == lock_id)).rowcount:
            raise exceptions.ResourceLockNotFound(lock_id=lock_id)


def destroy_locks_on(session, resource_ids):
    """In ``session`` (the resources' deletion): delete the locks on
    these shares or access rules, and the share locks an access rule's
    deletion lock brought."""
    L = models.ResourceLock
    resource_ids = list(resource_ids)
    if not resource_ids:
        return
    lock_ids = list(session.scalars(sa.select(L.id).where(
        L.resource_id.in_(resource_ids))))
    if not lock_ids:
        return
    reasons = [SHARE_LOCKED_BY_ACCESS_LOCK_REASON % i for i in lock_ids]
    session.execute(sa.delete(L).where(sa.or_(
        L.id.in_(lock_ids),
        sa.and_(L.resource_type == 'share', L.lock_reason.in_(reasons))))
        .execution_options(synchronize_session=False))


def locks_on_any(context, resource_ids, resource_action):
    """Every project's ``resource_action`` locks on these resources."""
    resource_ids = list(resource_ids)
    if not resource_ids:
        return []
    L = models.ResourceLock
    query = sa.select(L).where(L.resource_id.in_(resource_ids),
                               L.resource_action == resource_action)
    with api.reader(context) as session:
        return list(session.scalars(query.order_by(L.created_at, L.id)))
