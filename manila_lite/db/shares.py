"""Queries of shares, their instances and export locations.

Returned ORM objects are detached with their relationships loaded
eagerly, so callers may read them freely after the transaction ended.
One exception: the instances of shares read by ``share_get`` and
``share_get_all`` come without their metadata (replica metadata, which
no share view shows); replica reads load it.
"""

from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import orm

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import access
from manila_lite.db import engine
from manila_lite.db import models
from manila_lite.db import transition


def share_create(context, share_values, instance_values, metadata=None):
    """Insert a share with its first instance (and metadata)."""
    with engine.writer(context) as session:
        share = models.Share(**share_values)
        share.share_metadata = [
            models.ShareMetadata(key=k, value=v)
            for k, v in (metadata or {}).items()]
        share.instances = [models.ShareInstance(**instance_values)]
        session.add(share)
        session.flush()
        return share


# Share reads skip the metadata of their instances (replica metadata):
# no share view shows it, and it would cost a statement per read.
# Reading it from such a share raises; replica reads load it.
_NO_INSTANCE_METADATA = orm.defaultload(models.Share.instances).raiseload(
    models.ShareInstance.instance_metadata)


# One share with what its view needs, in two statements instead of six:
# the few instances and their export locations, and the share type and
# its extra specs, joined to the share's row; the metadata, unbounded,
# in a second query (joined, it would multiply the rows).
_ONE_SHARE = (
    orm.joinedload(models.Share.instances)
    .joinedload(models.ShareInstance.export_locations),
    orm.joinedload(models.Share.share_type)
    .joinedload(models.ShareType.extra_specs),
    orm.selectinload(models.Share.share_metadata),
    _NO_INSTANCE_METADATA,
)


def share_get(context, share_id):
    return engine._get(context, models.Share, share_id,
                       lambda: exceptions.ShareNotFound(share_id=share_id),
                       options=_ONE_SHARE)


_SHARE_SORT_KEYS = {
    'created_at', 'updated_at', 'id', 'name', 'size', 'share_proto',
    'project_id', 'share_type_id', 'is_public', 'task_state',
}


def _share_filters(filters):
    Share, Inst = models.Share, models.ShareInstance
    where = []
    for key in ('project_id', 'share_type_id', 'share_proto', 'snapshot_id',
                'is_public', 'is_soft_deleted', 'name', 'share_network_id',
                'share_group_id'):
        if filters.get(key) is not None:
            where.append(getattr(Share, key) == filters[key])
    for key, column in (('name~', Share.name),
                        ('description~', Share.description)):
        if filters.get(key):
            where.append(column.ilike('%' + filters[key] + '%'))
    if filters.get('description') is not None:
        where.append(Share.description == filters['description'])
    inst_where = []
    if filters.get('share_server_id') is not None:
        inst_where.append(Inst.share_server_id == filters['share_server_id'])
    if filters.get('status') is not None:
        inst_where.append(Inst.status == filters['status'])
    if filters.get('availability_zone') is not None:
        inst_where.append(
            Inst.availability_zone == filters['availability_zone'])
    if filters.get('host') is not None:
        host = filters['host']
        inst_where.append(sa.or_(Inst.host == host,
                                 Inst.host.like(host + '#%'),
                                 Inst.host.like(host + '@%')))
    if inst_where:
        where.append(Share.instances.any(sa.and_(*inst_where)))
    el = models.ExportLocation
    if filters.get('export_location_id'):
        where.append(Share.instances.any(Inst.export_locations.any(
            el.uuid == filters['export_location_id'])))
    if filters.get('export_location_path'):
        where.append(Share.instances.any(Inst.export_locations.any(
            el.path == filters['export_location_path'])))
    for key, value in (filters.get('metadata') or {}).items():
        where.append(Share.share_metadata.any(sa.and_(
            models.ShareMetadata.key == key,
            models.ShareMetadata.value == value)))
    return where


def share_get_all(context, *, filters=None, limit=None, offset=None,
                  sort_key='created_at', sort_dir='desc',
                  visible_projects=None):
    """Shares matching ``filters`` (see ``share.api``).

    ``visible_projects``: when set, a tuple ``(project_id, include_public)``
    restricting the result to that project (plus public shares).
    """
    filters = filters or {}
    Share = models.Share
    query = (sa.select(Share).where(*_share_filters(filters))
             .options(_NO_INSTANCE_METADATA))
    if visible_projects is not None:
        project_id, include_public = visible_projects
        cond = Share.project_id == project_id
        if include_public:
            cond = sa.or_(cond, Share.is_public.is_(True))
        query = query.where(cond)
    query = engine.sorted_page(query, Share, _SHARE_SORT_KEYS, sort_key,
                               sort_dir, limit, offset)
    with engine.reader(context) as session:
        return list(session.scalars(query))


def share_update(context, share_id, values):
    transition._refuse_state_columns(models.Share, values)
    with engine.writer(context) as session:
        if not engine._conditional_update(session, models.Share, share_id,
                                          dict(values), ()):
            raise exceptions.ShareNotFound(share_id=share_id)
    return share_get(context, share_id)


def share_task_state_transition(context, share_id, new=transition._UNSET, *,
                                sources=None, values=None, event=None):
    """Apply a ``states.TASK_EVENTS`` event to the share's
    ``task_state`` (named, or found from ``new`` and ``sources``);
    InvalidState when the share was in none of its sources."""
    transition._transition(context, models.Share, 'task_state', share_id, new,
                           event=event, sources=sources, values=values,
                           missing=lambda: share_get(context, share_id))


def share_lock_unless_busy(context, share_id):
    """Lock the share's row for the rest of the caller's transaction,
    unless a task (a migration) holds the share: InvalidShare then.

    Flows that add or move instances of one share (replica create,
    migration start) begin their transaction here, so they run one
    after the other, and what each reads afterwards includes what the
    one before it committed. Call it inside ``writer(context)``.
    """
    Share = models.Share
    with engine.writer(context) as session:
        if engine._conditional_update(
                session, Share, share_id,
                {'updated_at': timeutils.utcnow()},
                (sa.or_(Share.task_state.is_(None),
                        Share.task_state.notin_(
                            sorted(states.BUSY_TASK_STATES))),)):
            return
    share = share_get(context, share_id)  # 404 first if it vanished
    raise exceptions.InvalidShare(
        reason='share %s is busy with %s' % (share_id, share.task_state))


def share_destroy(context, share_id):
    """Delete a share and everything hanging off it."""
    with engine.writer(context) as session:
        _share_destroy(session, share_id)


def _share_destroy(session, share_id):
    row = session.get(models.Share, share_id)
    if row is None:
        return
    rules = sa.select(models.ShareAccessRule.id).where(
        models.ShareAccessRule.share_id == share_id)
    access._destroy_locks(session, [share_id, *session.scalars(rules)])
    session.execute(sa.delete(models.ShareAccessRuleMetadata).where(
        models.ShareAccessRuleMetadata.access_id.in_(rules)))
    session.execute(sa.delete(models.ShareAccessRule).where(
        models.ShareAccessRule.share_id == share_id))
    # Snapshots live on instances: with none left they hold no data.
    for snap in session.scalars(sa.select(models.ShareSnapshot).where(
            models.ShareSnapshot.share_id == share_id)):
        session.delete(snap)
    session.delete(row)


def share_metadata_set(context, share_id, metadata, *, replace=False):
    return engine._metadata_update(
        context, models.Share.share_metadata, share_id, metadata,
        replace=replace, touch=True,
        not_found=lambda: exceptions.ShareNotFound(share_id=share_id))


def share_metadata_delete(context, share_id, key):
    engine._metadata_delete(context, models.ShareMetadata.share_id,
                            share_id, key)


def share_instance_create(context, share_id, values):
    with engine.writer(context) as session:
        row = models.ShareInstance(share_id=share_id, **values)
        session.add(row)
        session.flush()
        return row


def share_instance_get(context, instance_id):
    """The instance with its share (``instance.share``) loaded."""
    query = (sa.select(models.ShareInstance)
             .where(models.ShareInstance.id == instance_id)
             .options(orm.joinedload(models.ShareInstance.share)))
    with engine.reader(context) as session:
        row = session.scalars(query).first()
        if row is None:
            raise exceptions.ShareInstanceNotFound(
                share_instance_id=instance_id)
        return row


def share_instance_get_all_by_host(context, host, *, statuses=None):
    """Instances on ``host`` (``host@backend``, any of its pools)."""
    Inst = models.ShareInstance
    query = (sa.select(Inst)
             .where(sa.or_(Inst.host == host, Inst.host.like(host + '#%')))
             .options(orm.joinedload(Inst.share))
             .order_by(Inst.created_at))
    if statuses is not None:
        query = query.where(Inst.status.in_(sorted(statuses)))
    with engine.reader(context) as session:
        return list(session.scalars(query).unique())


def share_instance_update(context, instance_id, values):
    transition._refuse_state_columns(models.ShareInstance, values)
    with engine.writer(context) as session:
        if not engine._conditional_update(session, models.ShareInstance,
                                          instance_id, dict(values), ()):
            raise exceptions.ShareInstanceNotFound(
                share_instance_id=instance_id)


def share_instance_transition(context, instance_id, new=transition._UNSET, *,
                              sources=None, values=None, event=None):
    """Apply a ``states.INSTANCE_EVENTS`` event to an instance's
    ``status`` (named, or found from ``new`` and ``sources``: an event
    of the table must allow the move). InvalidState otherwise."""
    transition._transition(
        context, models.ShareInstance, 'status', instance_id, new,
        event=event, sources=sources, values=values,
        missing=lambda: share_instance_get(context, instance_id))


def access_rules_status_transition(context, instance_id, *, event):
    """Apply a ``states.ACCESS_RULES_EVENTS`` event to an instance's
    ``access_rules_status``. InvalidState otherwise."""
    transition._transition(
        context, models.ShareInstance, 'access_rules_status', instance_id,
        transition._UNSET, event=event, sources=None, values=None,
        missing=lambda: share_instance_get(context, instance_id))


def share_instance_destroy(context, instance_id, *, share_too=False):
    """Delete an instance; returns how many instances its share has left
    (None if the instance was already gone).

    With ``share_too`` the share goes in the same transaction when this
    was its last instance, so no crash or race can leave a share row
    without an instance behind.
    """
    with engine.writer(context) as session:
        row = session.get(models.ShareInstance, instance_id)
        if row is None:
            return None
        share_id = row.share_id
        SI = models.ShareSnapshotInstance
        SEL = models.ShareSnapshotExportLocation
        # Ids first (a plain read): a DELETE ... IN (SELECT ...) would
        # lock index ranges of snapshot instances that inserts (a new
        # snapshot) wait on, a deadlock on MariaDB.
        snaps = list(session.scalars(sa.select(SI.id).where(
            SI.share_instance_id == instance_id)))
        if snaps:
            session.execute(sa.delete(SEL).where(
                SEL.share_snapshot_instance_id.in_(snaps)))
        session.execute(sa.delete(SI).where(
            SI.share_instance_id == instance_id))
        session.delete(row)
        session.flush()
        remaining = session.scalar(sa.select(sa.func.count()).where(
            models.ShareInstance.share_id == share_id))
        if share_too and remaining == 0:
            _share_destroy(session, share_id)
        return remaining


def export_locations_replace(context, instance_id, locations):
    """Make ``locations`` (dicts: path, is_admin_only, preferred) the
    instance's export locations, keeping the uuid of unchanged paths."""
    with engine.writer(context) as session:
        rows = session.scalars(sa.select(models.ExportLocation).where(
            models.ExportLocation.share_instance_id == instance_id)).all()
        by_path = {r.path: r for r in rows}
        wanted = set()
        for loc in locations:
            path = loc['path']
            wanted.add(path)
            row = by_path.get(path)
            if row is None:
                row = models.ExportLocation(share_instance_id=instance_id,
                                            path=path)
                session.add(row)
            row.is_admin_only = bool(loc.get('is_admin_only', False))
            row.preferred = bool(loc.get('preferred', False))
        for path, row in by_path.items():
            if path not in wanted:
                session.delete(row)


def export_locations_replace_many(context, locations_by_instance):
    """``export_locations_replace`` for many instances, one transaction."""
    with engine.writer(context):
        for instance_id, locations in locations_by_instance.items():
            export_locations_replace(context, instance_id, locations)
