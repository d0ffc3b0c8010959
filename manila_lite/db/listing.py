"""One page of rows of a project-owned resource, filtered and sorted the
way upstream's list calls of backups and share groups are."""

import sqlalchemy as sa

from manila_lite.db import api


def filtered_page(context, model, *, filters=None, project_id=None, limit=None,
         offset=None, sort_key='created_at', sort_dir='desc'):
    """Rows of ``model`` matching ``filters`` (exact; a key ending in
    ``~`` matches a substring of its column), of ``project_id`` unless
    it is None, ordered by ``sort_key`` (then id)."""
    query = sa.select(model)
    for key, value in (filters or {}).items():
        if key.endswith('~'):
            column = getattr(model, key[:-1])
            query = query.where(column.contains(value, autoescape=True))
        else:
            query = query.where(getattr(model, key) == value)
    if project_id is not None:
        query = query.where(model.project_id == project_id)
    column = getattr(model, sort_key)
    order = column.asc() if sort_dir == 'asc' else column.desc()
    query = query.order_by(order, model.id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with api.reader(context) as session:
        return list(session.scalars(query))
