"""Queries of share groups (``share_groups``) and the share types each
allows.

A group's ``status`` changes only through ``share_group_transition``
(an event of ``states.SHARE_GROUP_EVENTS``, one conditional update).
"""

from oslo_utils import timeutils
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api
from manila_lite.db import listing
from manila_lite.db import models

#: Columns a list may be filtered on (exact match), as upstream.
FILTER_KEYS = ('name', 'description', 'status', 'host',
               'share_group_type_id', 'share_network_id', 'share_server_id',
               'source_share_group_snapshot_id', 'availability_zone',
               'project_id', 'id')
#: Columns a list may be sorted on.
SORT_KEYS = ('id', 'name', 'description', 'status', 'host', 'project_id',
             'share_group_type_id', 'share_network_id',
             'availability_zone', 'created_at', 'updated_at')


def share_group_create(context, values, share_type_ids):
    """Insert a group (its status given by the caller: ``creating``)."""
    with api.writer(context) as session:
        row = models.ShareGroup(**values)
        row.share_types = [
            models.ShareGroupShareTypeMapping(share_type_id=t)
            for t in share_type_ids]
        session.add(row)
        session.flush()
        return row


def share_group_get(context, share_group_id):
    return api._get(context, models.ShareGroup, share_group_id,
                    lambda: exceptions.ShareGroupNotFound(
                        share_group_id=share_group_id))


def share_group_get_all(context, *, filters=None, project_id=None,
                        limit=None, offset=None, sort_key='created_at',
                        sort_dir='desc'):
    """Groups matching ``filters`` (exact; ``name~``/``description~`` a
    substring), of ``project_id`` unless it is None."""
    return listing.filtered_page(
        context, models.ShareGroup, filters=filters, project_id=project_id,
        limit=limit, offset=offset, sort_key=sort_key, sort_dir=sort_dir)


def share_group_update(context, share_group_id, values):
    """Update a group's other columns (never its status)."""
    api._refuse_state_columns(models.ShareGroup, values)
    with api.writer(context) as session:
        if not api._conditional_update(session, models.ShareGroup,
                                       share_group_id, dict(values), ()):
            raise exceptions.ShareGroupNotFound(
                share_group_id=share_group_id)
    return share_group_get(context, share_group_id)


def share_group_transition(context, share_group_id, new=api._UNSET, *,
                           event=None, sources=None, values=None):
    """Apply a ``states.SHARE_GROUP_EVENTS`` event to a group's status.

    :raises: ShareGroupNotFound; InvalidShareGroup naming the status
        that refused
    """
    moved = api._transition(
        context, models.ShareGroup, 'status', share_group_id, new,
        event=event, sources=sources, values=values, quiet=True)
    if moved:
        return
    group = share_group_get(context, share_group_id)
    raise exceptions.InvalidShareGroup(
        reason='share group %s is %s' % (share_group_id, group.status))


def share_group_count_shares(context, share_group_id):
    with api.reader(context) as session:
        return session.scalar(
            sa.select(sa.func.count()).select_from(models.Share)
            .where(models.Share.share_group_id == share_group_id))


def share_group_destroy(context, share_group_id):
    """Remove a group with no shares left (InvalidShareGroup if a share
    joined it meanwhile: the check is in the delete's transaction)."""
    with api.writer(context) as session:
        if session.scalar(
                sa.select(sa.func.count()).select_from(models.Share)
                .where(models.Share.share_group_id == share_group_id)):
            raise exceptions.InvalidShareGroup(
                reason='Cannot delete a share group with shares')
        row = session.get(models.ShareGroup, share_group_id)
        if row is not None:
            session.delete(row)


def share_group_claim_member(context, share_group_id):
    """In the caller's transaction: lock the group row, still
    ``available`` (a share joins it; a delete racing with the join
    waits for this lock, then counts the share). Raises
    InvalidShareGroup when it left ``available``."""
    Group = models.ShareGroup
    with api.writer(context) as session:
        if not api._conditional_update(
                session, Group, share_group_id,
                {'updated_at': timeutils.utcnow()},
                (Group.status == states.STATUS_AVAILABLE,)):
            raise exceptions.InvalidShareGroup(
                reason='share group %s is not available' % share_group_id)
