"""The one writer of every state column.

Every ``status``, ``task_state``, ``replica_state``, ``state`` and
``access_rules_status`` change is an event of a table in
``common/states.py``, applied by ``_transition``: one conditional
``UPDATE ... WHERE id = :id AND <column> IN (:sources)``. The row count
decides who won; the loser gets ``exceptions.InvalidState`` and nothing
changed. The two moves of many rows at once (ensure, access rules of a
share) live here too, resolved against the same tables. The generic
``*_update`` functions of the query modules refuse state columns
(``_refuse_state_columns``).
"""

from oslo_utils import timeutils
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.common import fsm
from manila_lite.common import states
from manila_lite.db import engine
from manila_lite.db import models


def _describe(what, row_id, field, new, sources):
    allowed = sorted(s or 'None' for s in sources)
    return ('%s %s cannot move to %s %r; allowed from %s'
            % (what, row_id, field, new, ', '.join(allowed)))


class StateWriteRefused(TypeError):
    """A state column written outside its event table: a programming
    error, never an answer to a request."""


_UNSET = object()


def _machines():
    """``{model: {column: (event table, name in messages)}}``."""
    return {
        models.ShareInstance: {
            'status': (states.INSTANCE_EVENTS, 'Share instance'),
            'replica_state': (states.REPLICA_EVENTS, 'Share replica'),
            'access_rules_status': (states.ACCESS_RULES_EVENTS,
                                    'Share instance'),
        },
        models.Share: {'task_state': (states.TASK_EVENTS, 'Share')},
        models.ShareSnapshotInstance: {
            'status': (states.SNAPSHOT_EVENTS, 'Snapshot')},
        models.ShareAccessRule: {
            'state': (states.ACCESS_EVENTS, 'Access rule')},
        models.ShareSnapshotAccessRule: {
            'state': (states.SNAPSHOT_ACCESS_EVENTS, 'Snapshot access rule')},
        models.DataCopyJob: {'state': (states.JOB_EVENTS, 'Copy job')},
        models.ShareBackup: {'status': (states.BACKUP_EVENTS, 'Backup')},
        models.ShareGroup: {
            'status': (states.SHARE_GROUP_EVENTS, 'Share group')},
    }


def _refuse_state_columns(model, values):
    """Generic ``*_update`` functions never write a state column."""
    bad = set(values) & set(_machines().get(model, ()))
    if bad:
        raise StateWriteRefused(
            '%s: %s change only through an event of common/states.py '
            '(the *_transition functions)'
            % (model.__tablename__, ', '.join(sorted(bad))))


def resolve_event(events, new=_UNSET, *, event=None, sources=None):
    """``(sources, new)`` of a transition named by ``event`` (or, for
    the callers that name the target, by ``new`` and ``sources``: an
    event of ``events`` must allow it).

    :raises: StateWriteRefused for an event or move the table lacks
    """
    if event is not None:
        if event not in events:
            raise StateWriteRefused('no event %r' % event)
        declared = events[event]
        if new is _UNSET:
            if declared.targets == states.ANY or len(declared.targets) != 1:
                raise StateWriteRefused('event %r needs a target' % event)
            new = next(iter(declared.targets))
        elif declared.targets != states.ANY and new not in declared.targets:
            raise StateWriteRefused('event %r cannot end in %r'
                                    % (event, new))
        if sources is None:
            return declared.sources, new
        if declared.sources != states.ANY and not (
                set(sources) <= declared.sources):
            raise StateWriteRefused('event %r cannot start from %s'
                                    % (event, sorted(map(str, sources))))
        return frozenset(sources), new
    if new is _UNSET:
        raise StateWriteRefused('a transition needs an event or a target')
    if sources is None:
        # Whatever some event allows into ``new`` (the callers that name
        # neither an event nor sources).
        sources = frozenset(fsm.sources_of(fsm.next_table(events),
                                              new))
        if sources:
            return sources, new
    if not sources or fsm.event_for(events, new, sources) is None:
        raise StateWriteRefused('no event moves %s to %r'
                                % (sorted(map(str, sources)), new))
    return frozenset(sources), new


def _transition(context, model, column, row_id, new, *, event, sources,
                values, missing=None, quiet=False):
    """The one write of a state column: ``UPDATE <model> SET <column> =
    new, values WHERE id = row_id AND <column> IN (sources)``.

    ``missing()`` is called (to raise its 404) when the row is gone;
    returns whether the row moved with ``quiet``, else raises
    InvalidState when it did not.
    """
    events, what = _machines()[model][column]
    sources, new = resolve_event(events, new, event=event, sources=sources)
    values = dict(values or {})
    _refuse_state_columns(model, values)
    values[column] = new
    where = () if sources == states.ANY else (
        engine._in(getattr(model, column), sources),)
    with engine.writer(context) as session:
        if engine._conditional_update(session, model, row_id, values, where):
            return True
    if quiet:
        return False
    if missing is not None:
        missing()
    raise exceptions.InvalidState(reason=_describe(
        what, row_id, column, new,
        () if sources == states.ANY else sources))


def share_instances_bulk_transition(context, instance_ids, new, *, sources):
    """Move every listed instance whose status is in ``sources`` to
    ``new`` in one statement (an event of ``states.INSTANCE_EVENTS``
    must allow it); returns the ids that moved."""
    sources, new = resolve_event(states.INSTANCE_EVENTS, new,
                                 sources=sources)
    Inst = models.ShareInstance
    ids = sorted(set(instance_ids))
    moved = []
    with engine.writer(context) as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            # Lock the eligible rows (FOR UPDATE on MariaDB/PostgreSQL;
            # SQLite serializes writers) so the ids we report are exactly
            # the rows the UPDATE changes.
            eligible = list(session.scalars(
                sa.select(Inst.id)
                .where(Inst.id.in_(chunk), engine._in(Inst.status, sources))
                .with_for_update()))
            if not eligible:
                continue
            session.execute(
                sa.update(Inst)
                .where(Inst.id.in_(eligible))
                .values(status=new, updated_at=timeutils.utcnow())
                .execution_options(synchronize_session=False))
            moved.extend(eligible)
    return moved


def access_update_states(context, share_id, from_states, new_state):
    """Move every rule of a share in ``from_states`` to ``new_state``
    (an event of ``states.ACCESS_EVENTS`` must allow it); returns how
    many moved."""
    sources, new = resolve_event(states.ACCESS_EVENTS, new_state,
                                 sources=from_states)
    Rule = models.ShareAccessRule
    with engine.writer(context) as session:
        return session.execute(
            sa.update(Rule)
            .where(Rule.share_id == share_id, engine._in(Rule.state, sources))
            .values(state=new, updated_at=timeutils.utcnow())
            .execution_options(synchronize_session=False)).rowcount
