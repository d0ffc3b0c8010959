"""One write path for every state column.

Every ``status``, ``task_state``, ``replica_state`` and ``state`` change
is an event of a table in ``common/states.py``, applied by one
conditional ``UPDATE`` in ``db/transition.py`` (``_transition``; the
two moves of many rows at once live beside it). These tests walk the
code and fail on any other write, outside the db layer and inside it,
check that every move a caller names is one its table declares, and
show the one function deciding races and refusing what the table
lacks.
"""

import ast
import pathlib

import pytest

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db_api

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / 'manila_lite'
STATE_KEYS = {'status', 'task_state', 'replica_state', 'state',
              'access_rules_status'}
#: Rows start in a state: creating one is not a state change.
CREATORS = {'share_create', 'share_instance_create', 'replica_create',
            'snapshot_create', 'access_create', 'data_copy_job_create',
            'snapshot_instance_add', 'service_create_or_update',
            'backup_create_for_share', 'share_group_create',
            'snapshot_access_create'}
#: The transition functions and the table each applies.
TRANSITIONS = {
    'share_instance_transition': states.INSTANCE_EVENTS,
    'share_instances_bulk_transition': states.INSTANCE_EVENTS,
    'share_task_state_transition': states.TASK_EVENTS,
    'replica_state_transition': states.REPLICA_EVENTS,
    'snapshot_instance_transition': states.SNAPSHOT_EVENTS,
    'access_transition': states.ACCESS_EVENTS,
    'access_update_states': states.ACCESS_EVENTS,
    'access_rules_status_transition': states.ACCESS_RULES_EVENTS,
    'data_copy_job_transition': states.JOB_EVENTS,
    'backup_transition': states.BACKUP_EVENTS,
    'share_group_transition': states.SHARE_GROUP_EVENTS,
    'snapshot_access_transition': states.SNAPSHOT_ACCESS_EVENTS,
}


def _db_functions():
    """Every public function of the db layer (the only writers)."""
    names = set()
    for path in (PACKAGE / 'db').glob('*.py'):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not (
                    node.name.startswith('_')):
                names.add(node.name)
    return names


def _modules():
    for path in sorted(PACKAGE.rglob('*.py')):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith('db/'):
            continue
        yield rel, ast.parse(path.read_text())


def _uses_orm(tree):
    """Whether a module imports the models or SQLAlchemy (an object of
    its own with a ``state`` attribute is no row)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
                (node.module or '').startswith('sqlalchemy')
                or any(a.name == 'models' for a in node.names)):
            return True
        if isinstance(node, ast.Import) and any(
                a.name.startswith('sqlalchemy') for a in node.names):
            return True
    return False


def _state_keys(node):
    """State keys a dict literal or ``dict(...)`` call writes."""
    if isinstance(node, ast.Dict):
        return {k.value for k in node.keys
                if isinstance(k, ast.Constant) and k.value in STATE_KEYS}
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == 'dict'):
        found = {kw.arg for kw in node.keywords if kw.arg in STATE_KEYS}
        for arg in node.args:
            found |= _state_keys(arg)
        return found
    return set()


def _called_name(call):
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _local_dicts(tree):
    """``{(function node, name): state keys}`` for names a function
    binds to a dict literal holding state keys (or adds one to with
    ``name['status'] = ...``)."""
    found = {}
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Assign):
                keys = _state_keys(node.value)
                for target in node.targets:
                    if isinstance(target, ast.Name) and keys:
                        found.setdefault((func, target.id), set()).update(
                            keys)
                    if (isinstance(target, ast.Subscript)
                            and isinstance(target.value, ast.Name)
                            and isinstance(target.slice, ast.Constant)
                            and target.slice.value in STATE_KEYS):
                        found.setdefault((func, target.value.id),
                                         set()).add(target.slice.value)
    return found


def _enclosing_functions(tree):
    """``{node: the outermost function holding it}``."""
    parents = {}
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(func):
                parents.setdefault(node, func)
    return parents


def test_no_module_writes_a_state_column_but_through_an_event():
    """Outside the db layer: no db function but a creator or a
    transition gets a state key (a dict literal, ``dict(...)``, a local
    dict holding one, or a keyword), ``values=`` of a transition never
    carries one (each machine moves through its own event), no ORM
    object gets a state attribute assigned, and no module issues its
    own ``UPDATE``."""
    db_functions = _db_functions()
    offenders = []
    for rel, tree in _modules():
        local = _local_dicts(tree)
        parents = _enclosing_functions(tree)
        for node in ast.walk(tree):
            where = '%s:%d' % (rel, getattr(node, 'lineno', 0))
            if isinstance(node, ast.Call):
                name = _called_name(node)
                if name == 'update' and isinstance(
                        node.func, ast.Attribute) and isinstance(
                        node.func.value, ast.Name) and (
                        node.func.value.id in ('sa', 'sqlalchemy')):
                    offenders.append('%s raw UPDATE' % where)
                if name not in db_functions or name in CREATORS:
                    continue
                args = list(node.args)
                if name in TRANSITIONS:
                    args = [kw.value for kw in node.keywords
                            if kw.arg == 'values']
                else:
                    args += [kw.value for kw in node.keywords]
                    bad = {kw.arg for kw in node.keywords
                           if kw.arg in STATE_KEYS}
                    if bad:
                        offenders.append('%s %s(%s=...)' % (
                            where, name, ', '.join(sorted(bad))))
                for arg in args:
                    keys = _state_keys(arg)
                    if isinstance(arg, ast.Name):
                        keys = local.get((parents.get(node), arg.id),
                                         set())
                    if keys:
                        offenders.append('%s %s(%s)' % (
                            where, name, ', '.join(sorted(keys))))
            elif isinstance(node, (ast.Assign, ast.AugAssign)) and (
                    _uses_orm(tree)):
                targets = (node.targets if isinstance(node, ast.Assign)
                           else [node.target])
                for target in targets:
                    if (isinstance(target, ast.Attribute)
                            and target.attr in STATE_KEYS
                            and not (isinstance(target.value, ast.Name)
                                     and target.value.id == 'self')):
                        offenders.append('%s .%s =' % (where, target.attr))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and _called_name(node) == 'setattr'
                    and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value in STATE_KEYS):
                offenders.append('%s:%d setattr(%s)' % (
                    rel, node.lineno, node.args[1].value))
    assert not offenders, '\n'.join(offenders)
    print('db functions watched:', len(db_functions))


#: The db module holding every write of a state column.
WRITER = 'db/transition.py'


def _db_state_writes(tree):
    """``(line, what)`` of each state column write in a db module: an
    ``UPDATE``'s ``.values(...)`` naming one, a dict holding one given
    to ``_conditional_update``, or an ORM attribute or ``setattr`` of
    one (creating a row with its first state is no write)."""
    local = _local_dicts(tree)
    parents = _enclosing_functions(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _called_name(node)
            args = list(node.args) + [kw.value for kw in node.keywords]
            keys = set()
            if name == 'values' and isinstance(node.func, ast.Attribute):
                keys |= {kw.arg for kw in node.keywords
                         if kw.arg in STATE_KEYS}
            if name in ('values', '_conditional_update'):
                for arg in args:
                    keys |= _state_keys(arg)
                    if isinstance(arg, ast.Name):
                        keys |= local.get((parents.get(node), arg.id),
                                          set())
            if (name == 'setattr' and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value in STATE_KEYS):
                keys.add(node.args[1].value)
            if keys:
                found.append((node.lineno, '%s(%s)' % (
                    name, ', '.join(sorted(keys)))))
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = (node.targets if isinstance(node, ast.Assign)
                       else [node.target])
            found.extend((node.lineno, '.%s =' % t.attr) for t in targets
                         if isinstance(t, ast.Attribute)
                         and t.attr in STATE_KEYS)
    return sorted(found)


def test_inside_the_db_layer_only_the_transition_module_writes_states():
    """The generic queries of every other db module (and the *_update
    functions, which refuse state keys at run time) never write a state
    column: the db layer has one writer too, and it does write."""
    offenders, writer_writes = [], []
    for path in sorted((PACKAGE / 'db').rglob('*.py')):
        rel = path.relative_to(PACKAGE).as_posix()
        writes = _db_state_writes(ast.parse(path.read_text()))
        if rel == WRITER:
            writer_writes = writes
        else:
            offenders.extend('%s:%d %s' % (rel, line, what)
                             for line, what in writes)
    assert offenders == []
    assert len(writer_writes) >= 2, writer_writes
    defined = {node.name for node in ast.parse(
        (PACKAGE / WRITER).read_text()).body
        if isinstance(node, ast.FunctionDef)}
    assert {'_transition', 'resolve_event'} <= defined


def test_the_db_layer_check_sees_a_state_write():
    probe = ast.parse(
        'def f(session, row):\n'
        '    session.execute(sa.update(M).values(status="x"))\n'
        '    values = {"task_state": None}\n'
        '    _conditional_update(session, M, 1, values, ())\n'
        '    row.replica_state = "x"\n'
        '    setattr(row, "state", "x")\n')
    assert [what for _line, what in _db_state_writes(probe)] == [
        'values(status)', '_conditional_update(task_state)',
        '.replica_state =', 'setattr(state)']


def _constant(node):
    """The value of ``states.NAME``, a literal, or a set of those;
    ``LookupError`` when the node is anything else."""
    if isinstance(node, ast.Constant):
        return node.value
    if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == 'states'):
        return getattr(states, node.attr)
    if isinstance(node, ast.Set):
        return frozenset(_constant(e) for e in node.elts)
    raise LookupError(ast.dump(node))


def _transition_calls():
    for path in sorted(PACKAGE.rglob('*.py')):
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call)
                    and _called_name(node) in TRANSITIONS):
                yield rel, node


def test_every_move_a_caller_names_is_declared_in_its_table():
    """Each named event exists in its machine's table, and each move
    written as a target and literal sources is allowed by one of its
    events (``db.api.resolve_event``, as at run time)."""
    checked = 0
    problems = []
    for rel, call in _transition_calls():
        name = _called_name(call)
        events = TRANSITIONS[name]
        kw = {k.arg: k.value for k in call.keywords}
        try:
            event = _constant(kw['event']) if 'event' in kw else None
            sources = (_constant(kw['sources']) if 'sources' in kw
                       else None)
        except LookupError:
            continue  # computed at run time: checked there
        positional = 3 if name == 'access_update_states' else 2
        if name == 'access_update_states':
            try:
                sources = _constant(call.args[2])
            except LookupError:
                continue
        new, dynamic = db_api._UNSET, False
        if len(call.args) > positional:
            try:
                new = _constant(call.args[positional])
            except LookupError:
                dynamic = True
        try:
            if dynamic:
                if event is None:
                    continue  # target and sources checked at run time
                targets = events[event].targets
                new = ('any' if targets == states.ANY
                       else next(iter(targets)))
            db_api.resolve_event(events, new, event=event,
                                 sources=sources)
        except (db_api.StateWriteRefused, KeyError) as exc:
            problems.append('%s:%d %s' % (rel, call.lineno, exc))
        checked += 1
    assert problems == []
    print('transition calls checked statically:', checked)
    assert checked > 40


def test_tables_name_only_known_states():
    known = {
        'INSTANCE_EVENTS': {v for k, v in vars(states).items()
                            if k.startswith('STATUS_') and isinstance(v, str)},
        'SNAPSHOT_EVENTS': {v for k, v in vars(states).items()
                            if k.startswith('STATUS_') and isinstance(v, str)},
        'TASK_EVENTS': {v for k, v in vars(states).items()
                        if k.startswith('TASK_STATE_')
                        and isinstance(v, str)} | {None},
        'REPLICA_EVENTS': set(states.REPLICA_STATES) | {None},
        'ACCESS_RULES_EVENTS': {v for k, v in vars(states).items()
                                if k.startswith('ACCESS_RULES_STATUS_')
                                and isinstance(v, str)},
        'ACCESS_EVENTS': {v for k, v in vars(states).items()
                          if k.startswith('ACCESS_STATE_')
                          and isinstance(v, str)},
        'JOB_EVENTS': {v for k, v in vars(states).items()
                       if k.startswith('JOB_') and isinstance(v, str)},
        'BACKUP_EVENTS': {v for k, v in vars(states).items()
                          if k.startswith('BACKUP_') and isinstance(v, str)},
        'SHARE_GROUP_EVENTS': {v for k, v in vars(states).items()
                               if k.startswith('STATUS_')
                               and isinstance(v, str)},
    }
    for table, allowed in known.items():
        for name, event in getattr(states, table).items():
            for side in (event.sources, event.targets):
                if side != states.ANY:
                    assert set(side) <= allowed, (table, name, side)


# --- run time ----------------------------------------------------------------
def _share(db, ctx, status=states.STATUS_AVAILABLE):
    stype = db.share_type_ensure(ctx, 't', {
        'driver_handles_share_servers': 'False'})
    share = db.share_create(ctx, dict(project_id='p', size=1,
                                      share_proto='NFS',
                                      share_type_id=stype.id),
                            dict(status=status, host='h@b#p'))
    return share, share.instances[0]


@pytest.mark.parametrize('func,key', [
    ('share_instance_update', 'status'),
    ('share_instance_update', 'replica_state'),
    ('share_instance_update', 'access_rules_status'),
    ('share_update', 'task_state'),
    ('snapshot_instance_update', 'status'),
    ('access_update', 'state'),
    ('data_copy_job_update', 'state'),
])
def test_generic_updates_refuse_state_columns(db, admin_ctx, func, key):
    with pytest.raises(db_api.StateWriteRefused, match=key):
        getattr(db, func)(admin_ctx, 'any-id', {key: 'x'})


def test_backup_status_changes_only_through_its_events(db, admin_ctx):
    from manila_lite.db import backups as backup_db

    with pytest.raises(db_api.StateWriteRefused, match='status'):
        backup_db.backup_update(admin_ctx, 'any-id', {'status': 'x'})
    with pytest.raises(db_api.StateWriteRefused):
        backup_db.backup_transition(admin_ctx, 'any-id',
                                    states.BACKUP_RESTORING,
                                    sources={states.BACKUP_ERROR})


def test_an_event_moves_only_from_its_sources(db, admin_ctx):
    share, inst = _share(db, admin_ctx, states.STATUS_CREATING)
    db.share_instance_transition(admin_ctx, inst.id, event='create_done')
    assert db.share_instance_get(admin_ctx, inst.id).status == 'available'
    with pytest.raises(exceptions.InvalidState,
                       match="cannot move to status 'available'"):
        db.share_instance_transition(admin_ctx, inst.id,
                                     event='create_done')
    # The admin reset moves from anything, to what the caller names.
    db.share_instance_transition(admin_ctx, inst.id, 'error_deleting',
                                 event='reset_status')
    assert db.share_instance_get(admin_ctx, inst.id).status == (
        'error_deleting')
    with pytest.raises(exceptions.ShareInstanceNotFound):
        db.share_instance_transition(admin_ctx, 'gone', event='delete')


def test_a_move_no_event_declares_is_refused(db, admin_ctx):
    _share_row, inst = _share(db, admin_ctx, states.STATUS_DELETING)
    with pytest.raises(db_api.StateWriteRefused):
        db.share_instance_transition(admin_ctx, inst.id,
                                     states.STATUS_CREATING,
                                     sources={states.STATUS_DELETING})
    with pytest.raises(db_api.StateWriteRefused):
        db.share_instance_transition(admin_ctx, inst.id, event='no-such')
    with pytest.raises(db_api.StateWriteRefused):
        # An event's target is fixed unless the table leaves it open.
        db.share_instance_transition(admin_ctx, inst.id, 'available',
                                     event='delete_failed')
    with pytest.raises(db_api.StateWriteRefused, match='replica_state'):
        # One machine per call: values never carry another's column.
        db.share_instance_transition(
            admin_ctx, inst.id, event='delete_failed',
            values={'replica_state': states.REPLICA_STATE_ERROR})
    assert db.share_instance_get(admin_ctx, inst.id).status == 'deleting'


def test_of_racing_events_one_wins(db, admin_ctx):
    import threading

    _share_row, inst = _share(db, admin_ctx)
    won, lost = [], []
    barrier = threading.Barrier(8)

    def go(event):
        barrier.wait(30)
        try:
            db.share_instance_transition(admin_ctx, inst.id, event=event)
            won.append(event)
        except exceptions.InvalidState:
            lost.append(event)

    threads = [threading.Thread(target=go, args=(e,)) for e in (
        'delete', 'migration_start', 'extend', 'promote') * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(won) == 1 and len(lost) == 7
    target = next(iter(states.INSTANCE_EVENTS[won[0]].targets))
    assert db.share_instance_get(admin_ctx, inst.id).status == target


def test_task_state_and_replica_state_go_through_their_tables(db,
                                                              admin_ctx):
    share, inst = _share(db, admin_ctx)
    db.share_task_state_transition(admin_ctx, share.id,
                                   event='migration_start')
    with pytest.raises(exceptions.InvalidState):
        db.share_task_state_transition(admin_ctx, share.id,
                                       event='migration_done')
    db.share_task_state_transition(admin_ctx, share.id, None,
                                   event='reset_task_state')
    assert db.share_get(admin_ctx, share.id).task_state is None
    with pytest.raises(exceptions.ShareReplicaNotFound):
        # Not a replica: replica_state None is in no event's sources
        # but 'synced' and 'migrated'; a demote needs an active one.
        db.replica_state_transition(admin_ctx, inst.id, event='demoted')


def test_share_group_status_changes_only_through_its_events(db, admin_ctx):
    from manila_lite.db import share_groups as group_db

    group = group_db.share_group_create(admin_ctx, dict(
        project_id='p', status=states.STATUS_CREATING, host=''), [])
    with pytest.raises(db_api.StateWriteRefused, match='status'):
        group_db.share_group_update(admin_ctx, group.id,
                                    {'status': 'available'})
    with pytest.raises(exceptions.InvalidShareGroup,
                       match='is creating'):
        group_db.share_group_transition(admin_ctx, group.id,
                                        event='delete')
    group_db.share_group_transition(admin_ctx, group.id,
                                    event='create_done')
    assert group_db.share_group_get(admin_ctx, group.id).status == (
        states.STATUS_AVAILABLE)
    with pytest.raises(exceptions.ShareGroupNotFound):
        group_db.share_group_transition(admin_ctx, 'gone', event='delete')
