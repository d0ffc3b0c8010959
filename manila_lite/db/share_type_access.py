"""Share type access: which projects may see a private share type.

Upstream's semantics: a public type is visible to everyone; a private
one to admins and to the projects it was shared with. Listing public
types (the default) also lists the private types shared with the
caller's project, admins included.
"""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.db import api as db
from manila_lite.db import models


def _shared_with(project_id):
    return sa.exists().where(
        models.ShareTypeProject.share_type_id == models.ShareType.id,
        models.ShareTypeProject.project_id == project_id)


def share_type_get_all(context, *, is_public=True, project_id=None):
    """Types by visibility, sorted by name.

    ``is_public``: True (public ones and those shared with
    ``project_id``), False (private ones only) or None (all).
    """
    query = sa.select(models.ShareType).order_by(models.ShareType.name)
    if is_public:
        clause = models.ShareType.is_public.is_(True)
        if project_id is not None:
            clause = sa.or_(clause, _shared_with(project_id))
        query = query.where(clause)
    elif is_public is not None:
        query = query.where(models.ShareType.is_public.is_(False))
    with db.reader(context) as session:
        return list(session.scalars(query))


def is_shared_with(context, type_id, project_id):
    with db.reader(context) as session:
        return session.scalar(sa.select(sa.exists().where(
            models.ShareTypeProject.share_type_id == type_id,
            models.ShareTypeProject.project_id == project_id)))


def projects(context, type_id):
    """The project ids a type is shared with, in the order added."""
    with db.reader(context) as session:
        return list(session.scalars(
            sa.select(models.ShareTypeProject.project_id)
            .where(models.ShareTypeProject.share_type_id == type_id)
            .order_by(models.ShareTypeProject.id)))


def grant(context, model, type_column, type_id, project_id, exists):
    """Add a ``model`` row (``type_column``: ``type_id``) sharing a type
    with ``project_id``; a second grant raises ``exists()``. Share types
    and share group types both keep their project access this way."""
    try:
        with db.writer(context) as session:
            session.add(model(**{type_column: type_id,
                                 'project_id': project_id}))
            session.flush()
    except db_exc.DBDuplicateEntry:
        raise exists() from None


def revoke(context, model, type_column, type_id, project_id, missing):
    """Remove the grant of :func:`grant`; none there raises
    ``missing()``."""
    with db.writer(context) as session:
        count = session.execute(sa.delete(model).where(
            getattr(model, type_column) == type_id,
            model.project_id == project_id)).rowcount
    if not count:
        raise missing()


def add(context, type_id, project_id):
    """:raises: ShareTypeAccessExists"""
    grant(context, models.ShareTypeProject, 'share_type_id', type_id,
          project_id, lambda: exceptions.ShareTypeAccessExists(
              share_type_id=type_id, project_id=project_id))


def remove(context, type_id, project_id):
    """:raises: ShareTypeAccessNotFound"""
    revoke(context, models.ShareTypeProject, 'share_type_id', type_id,
           project_id, lambda: exceptions.ShareTypeAccessNotFound(
               share_type_id=type_id, project_id=project_id))
