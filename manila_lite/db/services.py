"""Queries of services (``services``): registration, heartbeats and
the ``ensuring`` flag of a share service."""

import json

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.db import engine
from manila_lite.db import models


def service_create_or_update(context, *, host, binary, topic,
                             availability_zone=None):
    """Register a service (again) at start-up; returns its row."""
    values = dict(topic=topic, availability_zone=availability_zone,
                  stopped=False, ensuring=False)
    for _attempt in range(3):
        try:
            with engine.writer(context) as session:
                row = session.scalars(sa.select(models.Service).filter_by(
                    host=host, binary=binary)).first()
                if row is None:
                    row = models.Service(host=host, binary=binary, **values)
                    session.add(row)
                else:
                    for key, value in values.items():
                        setattr(row, key, value)
                    row.updated_at = timeutils.utcnow()
                session.flush()
                return row
        except db_exc.DBDuplicateEntry:
            continue
    raise exceptions.ManilaLiteException(
        'could not register service %s %s' % (host, binary))


def service_heartbeat(context, service_id, capabilities=None):
    values = {'updated_at': timeutils.utcnow(),
              'report_count': models.Service.report_count + 1,
              'stopped': False}
    if capabilities is not None:
        values['capabilities'] = json.dumps(capabilities, sort_keys=True)
    with engine.writer(context) as session:
        return engine._conditional_update(session, models.Service, service_id,
                                          values, ())


def service_update(context, service_id, values):
    with engine.writer(context) as session:
        if not engine._conditional_update(session, models.Service, service_id,
                                          dict(values), ()):
            raise exceptions.ServiceNotFound(service_id=service_id)


def service_set_ensuring(context, service_id, ensuring):
    """Flip ``ensuring``; False when it already had that value (so two
    concurrent ensure requests cannot both start)."""
    with engine.writer(context) as session:
        return engine._conditional_update(
            session, models.Service, service_id, {'ensuring': ensuring},
            (models.Service.ensuring.is_(not ensuring),))


def service_destroy(context, service_id):
    with engine.writer(context) as session:
        session.execute(sa.delete(models.Service).where(
            models.Service.id == service_id))


def service_get(context, service_id):
    return engine._get(
        context, models.Service, service_id,
        lambda: exceptions.ServiceNotFound(service_id=service_id))


def service_get_all(context, *, host=None, binary=None, topic=None,
                    availability_zone=None, disabled=None):
    query = sa.select(models.Service).order_by(models.Service.id)
    for column, value in ((models.Service.host, host),
                          (models.Service.binary, binary),
                          (models.Service.topic, topic),
                          (models.Service.availability_zone,
                           availability_zone),
                          (models.Service.disabled, disabled)):
        if value is not None:
            query = query.where(column == value)
    with engine.reader(context) as session:
        return list(session.scalars(query))


def service_get_by_host_and_binary(context, host, binary):
    with engine.reader(context) as session:
        row = session.scalars(sa.select(models.Service).filter_by(
            host=host, binary=binary)).first()
        if row is None:
            raise exceptions.ServiceNotFound(service_id=host)
        return row


def service_capabilities(service):
    """The decoded capabilities a share service last reported."""
    if not service.capabilities:
        return {}
    return json.loads(service.capabilities)
