"""Share group types: rows, group specs and the share types they allow.

Only the types are served (share groups are not): the API of upstream's
``/share-group-types``.
"""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.db import api as db
from manila_lite.db import models


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


def get(context, type_id):
    with db.reader(context) as session:
        row = session.get(models.ShareGroupType, type_id)
        if row is None:
            row = session.scalars(sa.select(models.ShareGroupType).filter_by(
                name=type_id)).first()
        if row is None:
            raise exceptions.ShareGroupTypeNotFound(type_id=type_id)
        return row


def get_by_name(context, name):
    with db.reader(context) as session:
        return session.scalars(sa.select(models.ShareGroupType).filter_by(
            name=name)).first()


def get_all(context, *, is_public=None):
    query = sa.select(models.ShareGroupType).order_by(
        models.ShareGroupType.name)
    if is_public is not None:
        query = query.where(models.ShareGroupType.is_public == is_public)
    with db.reader(context) as session:
        return list(session.scalars(query))


def destroy(context, type_id):
    with db.writer(context) as session:
        row = session.get(models.ShareGroupType, type_id)
        if row is None:
            raise exceptions.ShareGroupTypeNotFound(type_id=type_id)
        session.delete(row)


def specs_set(context, type_id, specs):
    with db.writer(context) as session:
        row = session.get(models.ShareGroupType, type_id)
        if row is None:
            raise exceptions.ShareGroupTypeNotFound(type_id=type_id)
        current = {s.spec_key: s for s in row.group_specs}
        for key, value in specs.items():
            if key in current:
                current[key].spec_value = value
            else:
                row.group_specs.append(models.ShareGroupTypeSpec(
                    spec_key=key, spec_value=value))
        session.flush()
        return {s.spec_key: s.spec_value for s in row.group_specs}


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

