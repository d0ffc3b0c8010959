"""Queries of share backups (``share_backups``).

Every status change is a conditional update from the states
``common/states.py`` allows (``backup_transition``); a change of a
backup and its share's instance together (create, restore, their ends)
is one transaction.
"""

from oslo_utils import timeutils
import sqlalchemy as sa

from manila_lite import quota
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api
from manila_lite.db import listing
from manila_lite.db import models

#: Columns a list may be filtered on (exact match), as upstream.
FILTER_KEYS = ('share_id', 'name', 'description', 'status', 'project_id',
               'availability_zone', 'backup_type', 'size', 'id')
#: Columns a list may be sorted on.
SORT_KEYS = ('id', 'name', 'description', 'status', 'size', 'share_id',
             'project_id', 'availability_zone', 'created_at', 'updated_at',
             'progress', 'restore_progress')


def backup_get(context, backup_id):
    return api._get(context, models.ShareBackup, backup_id,
                    lambda: exceptions.ShareBackupNotFound(
                        backup_id=backup_id))


def backup_get_all(context, *, filters=None, project_id=None, limit=None,
                   offset=None, sort_key='created_at', sort_dir='desc'):
    """Backups matching ``filters`` (exact; ``name~``/``description~``
    match a substring), of ``project_id`` unless it is None."""
    return listing.filtered_page(
        context, models.ShareBackup, filters=filters, project_id=project_id,
        limit=limit, offset=offset, sort_key=sort_key, sort_dir=sort_dir)


def backup_previous(context, share_id, store, before):
    """The newest ``available`` backup of ``share_id`` in ``store``
    created before ``before``: the base an incremental backup links to."""
    Backup = models.ShareBackup
    query = (sa.select(Backup)
             .where(Backup.share_id == share_id, Backup.store == store,
                    Backup.status == states.BACKUP_AVAILABLE,
                    Backup.created_at <= before)
             .order_by(Backup.created_at.desc(), Backup.id).limit(1))
    with api.reader(context) as session:
        return session.scalars(query).first()


def backup_update(context, backup_id, values, *, states_in=None,
                  owner=None):
    """Update a backup (not its status); with ``states_in`` (and
    ``owner``) only if its status is one of them (and it is owned by
    ``owner``). Returns whether it was."""
    Backup = models.ShareBackup
    api._refuse_state_columns(Backup, values)
    where = []
    if states_in is not None:
        where.append(Backup.status.in_(sorted(states_in)))
    if owner is not None:
        where.append(Backup.owner == owner)
    with api.writer(context) as session:
        return api._conditional_update(session, Backup, backup_id,
                                       dict(values), where)


def backup_transition(context, backup_id, new=api._UNSET, *, event=None,
                      sources=None, values=None, quiet=False):
    """Apply a ``states.BACKUP_EVENTS`` event to a backup's ``status``
    (named, or found from ``new`` and ``sources``). With ``quiet``
    returns whether it moved; else InvalidBackup naming the current
    status when it was in none of the event's sources."""
    vals = dict(values or {}, updated_at=timeutils.utcnow())
    moved = api._transition(context, models.ShareBackup, 'status',
                            backup_id, new, event=event, sources=sources,
                            values=vals, quiet=True)
    if moved or quiet:
        return moved
    backup = backup_get(context, backup_id)
    allowed, _new = api.resolve_event(states.BACKUP_EVENTS, new,
                                      event=event, sources=sources)
    raise exceptions.InvalidBackup(
        reason='Backup status must be %s, not %s'
               % (' or '.join(sorted(allowed)), backup.status))


def backup_create_for_share(context, values, instance_id, *, charge=None):
    """Record a backup and move the share's instance to
    ``backup_creating``, with ``charge(session)`` (its quota) in the
    same transaction: all or nothing (InvalidState if the instance was
    not ``available`` any more; the charge's QuotaError)."""
    with api.writer(context) as session:
        api.share_instance_transition(context, instance_id,
                                      event='backup_create')
        if charge is not None:
            charge(session)
        row = models.ShareBackup(**values)
        session.add(row)
        session.flush()
        return row


def backup_start_restore(context, backup_id, instance_id, share_id):
    """Backup ``available -> restoring`` and the share's instance
    ``available -> backup_restoring``, in one transaction."""
    with api.writer(context):
        backup_transition(
            context, backup_id, event='restore',
            values={'restore_share_id': share_id, 'restore_progress': '0',
                    'owner': None, 'heartbeat_at': None,
                    'bytes_done': 0, 'files_done': 0})
        api.share_instance_transition(context, instance_id,
                                      event='backup_restore')


def backup_finish(context, backup_id, new, values, *, sources,
                  instance_id=None, instance_status=None,
                  instance_sources=None):
    """End a backup's job: the backup (if still in ``sources``) and,
    if given, the share's instance (if still in ``instance_sources``)
    move together. Returns whether the backup moved."""
    with api.writer(context):
        moved = backup_transition(context, backup_id, new, sources=sources,
                                  values=values, quiet=True)
        if instance_id is not None:
            try:
                api.share_instance_transition(
                    context, instance_id, instance_status,
                    sources=instance_sources)
            except exceptions.InvalidState:
                pass  # reset by an admin meanwhile: theirs stands
        return moved


def backup_destroy(context, backup_id):
    """Delete the row and give back its quota, in one transaction: only
    the delete that removed the row releases (two racing ones release
    once)."""
    Backup = models.ShareBackup
    with api.writer(context) as session:
        row = session.execute(
            sa.select(Backup.project_id, Backup.user_id, Backup.size)
            .where(Backup.id == backup_id)).first()
        gone = session.execute(
            sa.delete(Backup).where(Backup.id == backup_id)
            .execution_options(synchronize_session=False)).rowcount
        if row is not None and gone:
            quota.release_backup(session, row)


def instances_held_by_no_backup(context):
    """Share instances in ``backup_creating``/``backup_restoring`` whose
    share has no backup job running (``creating``/``restoring``): what
    an admin's reset of a backup, or a lost row, left behind."""
    Inst = models.ShareInstance
    Backup = models.ShareBackup
    running = sa.select(Backup.id).where(
        sa.or_(Backup.share_id == Inst.share_id,
               Backup.restore_share_id == Inst.share_id),
        Backup.status.in_(sorted({states.BACKUP_CREATING,
                                  states.BACKUP_RESTORING})))
    query = sa.select(Inst).where(
        Inst.status.in_(sorted({states.STATUS_BACKUP_CREATING,
                                states.STATUS_BACKUP_RESTORING})),
        ~running.exists())
    with api.reader(context) as session:
        return list(session.scalars(query))
