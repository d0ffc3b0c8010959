"""Share group types: rows, group specs and the share types they allow.

Only the types are served (share groups are not): the API of upstream's
``/share-group-types``.
"""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.db import api as db
from manila_lite.db import models
from manila_lite.db import share_type_access as type_access


def create(context, name, share_type_ids, specs, is_public):
    try:
        with db.writer(context) as session:
            row = models.ShareGroupType(name=name, is_public=is_public)
            row.group_specs = [
                models.ShareGroupTypeSpec(spec_key=k, spec_value=v)
                for k, v in specs.items()]
            row.share_types = [
                models.ShareGroupTypeShareType(share_type_id=t)
                for t in share_type_ids]
            session.add(row)
            session.flush()
            return row
    except db_exc.DBDuplicateEntry:
        raise exceptions.ShareGroupTypeExists(type_id=name) from None


def _shared_with(project_id):
    return sa.exists().where(
        models.ShareGroupTypeProject.share_group_type_id
        == models.ShareGroupType.id,
        models.ShareGroupTypeProject.project_id == project_id)


def get(context, type_id):
    """By id or name; a private type not shared with a non-admin's
    project is not found (as upstream)."""
    query = sa.select(models.ShareGroupType).where(sa.or_(
        models.ShareGroupType.id == type_id,
        models.ShareGroupType.name == type_id))
    if not context.is_admin:
        query = query.where(sa.or_(
            models.ShareGroupType.is_public.is_(True),
            _shared_with(context.project_id)))
    with db.reader(context) as session:
        rows = list(session.scalars(query))
        row = next((r for r in rows if r.id == type_id),
                   rows[0] if rows else None)
        if row is None:
            raise exceptions.ShareGroupTypeNotFound(type_id=type_id)
        return row


def get_by_name(context, name):
    with db.reader(context) as session:
        return session.scalars(sa.select(models.ShareGroupType).filter_by(
            name=name)).first()


def get_all(context, *, is_public=None):
    """True: the public types and those shared with the caller's
    project; False: the private ones; None: all."""
    query = sa.select(models.ShareGroupType).order_by(
        models.ShareGroupType.name)
    if is_public:
        query = query.where(sa.or_(
            models.ShareGroupType.is_public.is_(True),
            _shared_with(context.project_id)))
    elif is_public is not None:
        query = query.where(models.ShareGroupType.is_public.is_(False))
    with db.reader(context) as session:
        return list(session.scalars(query))


def destroy(context, type_id):
    with db.writer(context) as session:
        row = session.get(models.ShareGroupType, type_id)
        if row is None:
            raise exceptions.ShareGroupTypeNotFound(type_id=type_id)
        session.delete(row)


def specs_set(context, type_id, specs):
    return db._metadata_update(
        context, models.ShareGroupType.group_specs, type_id, specs,
        columns=('spec_key', 'spec_value'),
        not_found=lambda: exceptions.ShareGroupTypeNotFound(
            type_id=type_id))


def spec_delete(context, type_id, key):
    with db.writer(context) as session:
        row = session.get(models.ShareGroupType, type_id)
        if row is None:
            raise exceptions.ShareGroupTypeNotFound(type_id=type_id)
        for spec in row.group_specs:
            if spec.spec_key == key:
                row.group_specs.remove(spec)
                return
        raise exceptions.ShareGroupTypeSpecsNotFound(type_id=type_id,
                                                     specs_key=key)



def projects(context, type_id):
    with db.reader(context) as session:
        return list(session.scalars(
            sa.select(models.ShareGroupTypeProject.project_id)
            .where(models.ShareGroupTypeProject.share_group_type_id
                   == type_id)
            .order_by(models.ShareGroupTypeProject.project_id)))


def access_add(context, type_id, project_id):
    type_access.grant(
        context, models.ShareGroupTypeProject, 'share_group_type_id',
        type_id, project_id, lambda: exceptions.ShareGroupTypeAccessExists(
            type_id=type_id, project_id=project_id))


def access_remove(context, type_id, project_id):
    type_access.revoke(
        context, models.ShareGroupTypeProject, 'share_group_type_id',
        type_id, project_id, lambda: exceptions.ShareGroupTypeAccessNotFound(
            type_id=type_id, project_id=project_id))
