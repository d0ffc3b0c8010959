"""Queries of user messages (``messages`` table).

Lists are scoped by ``project_id`` (None: every project, for admins);
filters are exact matches on the columns upstream lets a user filter
on, plus ``created_since``/``created_before`` bounds.
"""

import datetime

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.common import messages
from manila_lite.db import api
from manila_lite.db import models

LOG = logging.getLogger(__name__)

#: Columns a list may be filtered on (exact match), as upstream.
FILTER_KEYS = ('request_id', 'resource_type', 'resource_id', 'action_id',
               'detail_id', 'message_level')
#: Columns a list may be sorted on.
SORT_KEYS = ('id', 'project_id', 'request_id', 'resource_type',
             'resource_id', 'action_id', 'detail_id', 'message_level',
             'created_at', 'updated_at', 'expires_at')


def message_create(context, values):
    msg = models.Message(**values)
    with api.writer(context) as session:
        session.add(msg)
        session.flush()
    return msg


def message_get(context, message_id, *, project_id=None):
    """The message, 404 when absent or (``project_id`` set) another
    project's."""
    query = sa.select(models.Message).where(models.Message.id == message_id)
    if project_id is not None:
        query = query.where(models.Message.project_id == project_id)
    with api.reader(context) as session:
        msg = session.scalars(query).first()
    if msg is None:
        raise exceptions.MessageNotFound(message_id=message_id)
    return msg


def message_get_all(context, *, project_id=None, filters=None, limit=None,
                    offset=None, sort_key='created_at', sort_dir='desc'):
    filters = filters or {}
    M = models.Message
    query = sa.select(M)
    if project_id is not None:
        query = query.where(M.project_id == project_id)
    for key in FILTER_KEYS:
        if key in filters:
            query = query.where(getattr(M, key) == filters[key])
    if filters.get('created_since') is not None:
        query = query.where(M.created_at >= filters['created_since'])
    if filters.get('created_before') is not None:
        query = query.where(M.created_at <= filters['created_before'])
    query = api.sorted_page(query, M, SORT_KEYS, sort_key, sort_dir, limit,
                            offset)
    with api.reader(context) as session:
        return list(session.scalars(query))


def message_destroy(context, message_id, *, project_id=None):
    M = models.Message
    stmt = sa.delete(M).where(M.id == message_id)
    if project_id is not None:
        stmt = stmt.where(M.project_id == project_id)
    with api.writer(context) as session:
        if not session.execute(stmt).rowcount:
            raise exceptions.MessageNotFound(message_id=message_id)


def message_destroy_expired(context, now):
    """Delete every message whose ``expires_at`` is at or before
    ``now``; returns how many went."""
    M = models.Message
    stmt = sa.delete(M).where(M.expires_at <= now)
    with api.writer(context) as session:
        return session.execute(stmt).rowcount


def record(conf, ctx, action, resource_type, resource_id, *,
           detail=messages.Detail.UNKNOWN_ERROR, project_id=None,
           level=messages.LEVEL_ERROR):
    """Store a message for the project owning the resource.

    ``project_id`` defaults to the context's (the requester's); pass
    the resource's own when the context is a service's. Never raises:
    a message lost is better than the failure handling it reports on
    failing too.
    """
    project_id = project_id or ctx.project_id
    if not project_id:
        LOG.warning('No project to tell about %s %s failing to %s',
                    resource_type, resource_id, action[1])
        return None
    now = timeutils.utcnow()
    try:
        return message_create(ctx, {
            'project_id': project_id,
            'request_id': ctx.request_id,
            'resource_type': resource_type,
            'resource_id': resource_id,
            'action_id': action[0],
            'detail_id': detail[0],
            'message_level': level,
            'created_at': now,
            'expires_at': now + datetime.timedelta(
                seconds=conf.message_ttl),
        })
    except Exception:
        LOG.exception('Could not record a user message for %s %s',
                      resource_type, resource_id)
        return None


def purge_expired(ctx):
    """Delete expired messages; returns how many went."""
    count = message_destroy_expired(ctx, timeutils.utcnow())
    if count:
        LOG.info('Purged %d expired user messages', count)
    return count
