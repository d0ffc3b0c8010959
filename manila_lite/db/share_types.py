"""Queries of share types and their extra specs (access to private
types: ``db/share_type_access.py``)."""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.db import engine
from manila_lite.db import models


def share_type_create(context, values, extra_specs):
    try:
        with engine.writer(context) as session:
            row = models.ShareType(**values)
            row.extra_specs = [
                models.ShareTypeExtraSpec(spec_key=k, spec_value=str(v))
                for k, v in extra_specs.items()]
            session.add(row)
            session.flush()
            return row
    except db_exc.DBDuplicateEntry:
        raise exceptions.ShareTypeExists(id=values.get('name')) from None


def share_type_get(context, type_id):
    return engine._get(
        context, models.ShareType, type_id,
        lambda: exceptions.ShareTypeNotFound(share_type_id=type_id))


def share_type_get_by_name(context, name):
    with engine.reader(context) as session:
        row = session.scalars(sa.select(models.ShareType).filter_by(
            name=name)).first()
        if row is None:
            raise exceptions.ShareTypeNotFoundByName(share_type_name=name)
        return row


def share_type_get_by_id_or_name(context, id_or_name):
    with engine.reader(context):
        try:
            return share_type_get(context, id_or_name)
        except exceptions.ShareTypeNotFound:
            try:
                return share_type_get_by_name(context, id_or_name)
            except exceptions.ShareTypeNotFound:
                raise exceptions.ShareTypeNotFound(
                    share_type_id=id_or_name) from None


def share_type_get_all(context, *, is_public=None):
    query = sa.select(models.ShareType).order_by(models.ShareType.name)
    if is_public is not None:
        query = query.where(models.ShareType.is_public == is_public)
    with engine.reader(context) as session:
        return list(session.scalars(query))


def share_type_update(context, type_id, values):
    try:
        with engine.writer(context) as session:
            if not engine._conditional_update(
                    session, models.ShareType, type_id, dict(values), ()):
                raise exceptions.ShareTypeNotFound(share_type_id=type_id)
    except db_exc.DBDuplicateEntry:
        raise exceptions.ShareTypeExists(id=values.get('name')) from None
    return share_type_get(context, type_id)


def share_type_destroy(context, type_id):
    with engine.writer(context) as session:
        row = session.get(models.ShareType, type_id)
        if row is None:
            raise exceptions.ShareTypeNotFound(share_type_id=type_id)
        in_use = session.scalar(sa.select(sa.func.count()).where(sa.or_(
            sa.exists().where(models.Share.share_type_id == type_id),
            sa.exists().where(models.ShareInstance.share_type_id == type_id),
            # A share group type supporting it (upstream refuses too).
            sa.exists().where(
                models.ShareGroupTypeShareType.share_type_id == type_id),
        )))
        if in_use:
            raise exceptions.ShareTypeInUse(share_type_id=type_id)
        session.delete(row)


def share_type_extra_specs_set(context, type_id, specs):
    return engine._metadata_update(
        context, models.ShareType.extra_specs, type_id,
        {key: str(value) for key, value in specs.items()}, touch=True,
        columns=('spec_key', 'spec_value'),
        not_found=lambda: exceptions.ShareTypeNotFound(
            share_type_id=type_id))


def share_type_extra_spec_delete(context, type_id, key):
    with engine.writer(context) as session:
        count = session.execute(sa.delete(models.ShareTypeExtraSpec).where(
            models.ShareTypeExtraSpec.share_type_id == type_id,
            models.ShareTypeExtraSpec.spec_key == key)).rowcount
        if not count:
            raise exceptions.ShareTypeExtraSpecsNotFound(
                share_type_id=type_id, extra_specs_key=key)


def share_type_ensure(context, name, extra_specs, description=None):
    """Return the type named ``name``, creating it if missing."""
    try:
        return share_type_get_by_name(context, name)
    except exceptions.ShareTypeNotFound:
        pass
    try:
        return share_type_create(
            context, {'name': name, 'description': description},
            extra_specs)
    except exceptions.ShareTypeExists:
        return share_type_get_by_name(context, name)
