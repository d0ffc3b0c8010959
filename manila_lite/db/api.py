"""Every database query of manila_lite, and nothing else.

One oslo.db enginefacade transaction context (``_CTX``) serves the
process; ``configure(conf)`` points it at ``[database] connection``.
Functions take the ``RequestContext`` first and open (or join) a reader
or writer transaction on it, so a caller may group several calls in one
transaction with ``with writer(ctx):``.

State changes are conditional updates built from the tables in
``common/states.py``: ``UPDATE ... WHERE id = :id AND status IN
(:sources)``. The row count decides who won; the loser gets
``exceptions.InvalidState`` and nothing changed.

Returned ORM objects are detached (enginefacade does not expire on
commit) with their relationships loaded eagerly, so callers may read
them freely after the transaction ended. Callers never modify them.
One exception: the instances of shares read by ``share_get`` and
``share_get_all`` come without their metadata (replica metadata, which
no share view shows); replica reads load it.
"""

import json
import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import orm

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import models

_CTX = enginefacade.transaction_context()
_LOCK = threading.Lock()


def configure(conf, connection=None):
    """(Re)build the transaction context for ``conf``'s database.

    Tests call it with a private ``connection``; services call it once at
    start-up. SQLite gets WAL and a busy timeout so the all-in-one's
    threads wait for each other instead of failing.
    """
    global _CTX
    db = conf.database
    url = connection or db.connection
    options = dict(
        connection=url,
        max_retries=db.max_retries,
        retry_interval=db.retry_interval,
        connection_recycle_time=db.connection_recycle_time,
        sqlite_fk=False,
        # A sleep(0) on every checkin lets eventlet's green threads run;
        # with native threads it only costs a scheduler round trip.
        thread_checkin=False,
    )
    if not url.startswith('sqlite'):
        options.update(max_pool_size=db.max_pool_size,
                       max_overflow=db.max_overflow,
                       pool_timeout=db.pool_timeout)
    elif _sqlite_file(url):
        # Readers get an engine of their own on the same file: their
        # transactions stay deferred (a WAL snapshot, never blocked by a
        # writer), while only the writer's take the lock up front (see
        # _sqlite_immediate). An in-memory database cannot be shared by
        # two engines, so it keeps one.
        options.update(slave_connection=url, synchronous_reader=False)
    with _LOCK:
        new = enginefacade.transaction_context()
        new.configure(**options)
        engine = new.writer.get_engine()
        if engine.dialect.name == 'sqlite':
            readers = new.reader.get_engine()
            for each in {engine, readers}:
                if _sqlite_file(url):
                    _keep_connections(each)
                event.listen(each, 'connect', _sqlite_on_connect)
            event.listen(engine, 'before_cursor_execute', _sqlite_immediate,
                         retval=True)
            for each in {engine, readers}:
                each.dispose()
        _CTX = new
    return engine


def _sqlite_file(url):
    path = url.split(':///', 1)[1] if ':///' in url else ''
    return bool(path) and not path.startswith(':memory:') and (
        'mode=memory' not in path)


def _keep_connections(engine):
    """Pool a file database's connections instead of opening one per
    transaction.

    oslo.db puts SQLite files on a NullPool; SQLAlchemy's own default
    for them is a QueuePool (connections usable from any thread). A
    connection costs an open, two PRAGMAs and a close, about a tenth of
    a share show. The new pool keeps the engine's event dispatch, so
    every listener registered on the engine still applies.
    """
    old = engine.pool
    if isinstance(old, sa.pool.QueuePool):
        return
    engine.pool = sa.pool.QueuePool(
        old._creator, pool_size=5, max_overflow=-1,
        recycle=old._recycle, reset_on_return=old._reset_on_return,
        pre_ping=old._pre_ping, dialect=old._dialect,
        _dispatch=old.dispatch)
    old.dispose()


def _sqlite_on_connect(dbapi_conn, record):
    cur = dbapi_conn.cursor()
    cur.execute('PRAGMA busy_timeout = 30000')
    try:
        cur.execute('PRAGMA journal_mode = WAL')
    except Exception:  # noqa: BLE001 - in-memory databases refuse WAL
        pass
    cur.close()


def _sqlite_immediate(conn, cursor, statement, parameters, context,
                      executemany):
    # oslo.db starts every SQLite transaction with its own plain BEGIN,
    # which is deferred: a transaction that reads and then writes fails
    # at once with "database is locked" when another writer committed
    # meanwhile (WAL cannot upgrade its snapshot, and no busy wait
    # applies). Taking the write lock up front makes it wait its turn.
    if statement == 'BEGIN':
        statement = 'BEGIN IMMEDIATE'
    return statement, parameters


def get_engine():
    return _CTX.writer.get_engine()


def get_engines():
    """The writer's engine and, if different, the readers'."""
    writer_engine = _CTX.writer.get_engine()
    reader_engine = _CTX.reader.get_engine()
    if reader_engine is writer_engine:
        return [writer_engine]
    return [writer_engine, reader_engine]


def create_all():
    """Create every table from the models (unit tests only; services
    use ``manila-lite-manage db sync``)."""
    models.Base.metadata.create_all(get_engine())


def dispose():
    for engine in get_engines():
        engine.dispose()


def reader(context):
    """``with reader(ctx) as session:`` joins or opens a read txn."""
    return _CTX.reader.using(context)


def writer(context):
    return _CTX.writer.using(context)


def _in(column, values):
    """``column IN values``, treating None among them as IS NULL."""
    values = set(values)
    clauses = []
    if None in values:
        values.discard(None)
        clauses.append(column.is_(None))
    if values:
        clauses.append(column.in_(sorted(values)))
    if not clauses:
        return sa.false()
    return sa.or_(*clauses)


def _conditional_update(session, model, row_id, values, where):
    stmt = (sa.update(model).where(model.id == row_id, *where)
            .values(**values)
            .execution_options(synchronize_session=False))
    return session.execute(stmt).rowcount == 1


def _create(context, model, values):
    with writer(context) as session:
        row = model(**values)
        session.add(row)
        session.flush()
        return row


def _get(context, model, row_id, not_found, options=()):
    """The row, or ``not_found()`` raised."""
    with reader(context) as session:
        row = session.get(model, row_id, options=options)
        if row is None:
            raise not_found()
        return row


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
        models.DataCopyJob: {'state': (states.JOB_EVENTS, 'Copy job')},
        models.ShareBackup: {'status': (states.BACKUP_EVENTS, 'Backup')},
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
        sources = frozenset(states.sources_of(states.next_table(events),
                                              new))
        if sources:
            return sources, new
    if not sources or states.event_for(events, new, sources) is None:
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
        _in(getattr(model, column), sources),)
    with writer(context) as session:
        if _conditional_update(session, model, row_id, values, where):
            return True
    if quiet:
        return False
    if missing is not None:
        missing()
    raise exceptions.InvalidState(reason=_describe(
        what, row_id, column, new,
        () if sources == states.ANY else sources))


def _metadata_set(rows, make, metadata, replace):
    """Make the metadata ``rows`` (a loaded collection) hold
    ``metadata``: merged, or as the whole of it with ``replace``."""
    current = {m.key: m for m in rows}
    if replace:
        for key in set(current) - set(metadata):
            rows.remove(current.pop(key))
    for key, value in metadata.items():
        if key in current:
            current[key].value = value
        else:
            rows.append(make(key=key, value=value))
    return {m.key: m.value for m in rows}


def _metadata_delete(context, owner, owner_id, key):
    """Delete one key of a metadata table whose ``owner`` column (for
    example ``ShareMetadata.share_id``) is ``owner_id``; MetadataItemNotFound
    when there is no such key."""
    with writer(context) as session:
        count = session.execute(sa.delete(owner.class_).where(
            owner == owner_id, owner.class_.key == key)).rowcount
        if not count:
            raise exceptions.MetadataItemNotFound(key=key)


def _retry_duplicate(func):
    """Run ``func()`` again when a concurrent writer inserted the same
    metadata key first (unique constraint): the retry sees its row."""
    for attempt in range(3):
        try:
            return func()
        except db_exc.DBDuplicateEntry:
            if attempt == 2:
                raise


# --- services ----------------------------------------------------------------
def service_create_or_update(context, *, host, binary, topic,
                             availability_zone=None):
    """Register a service (again) at start-up; returns its row."""
    values = dict(topic=topic, availability_zone=availability_zone,
                  stopped=False, ensuring=False)
    for _attempt in range(3):
        try:
            with writer(context) as session:
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
    with writer(context) as session:
        return _conditional_update(session, models.Service, service_id,
                                   values, ())


def service_update(context, service_id, values):
    with writer(context) as session:
        if not _conditional_update(session, models.Service, service_id,
                                   dict(values), ()):
            raise exceptions.ServiceNotFound(service_id=service_id)


def service_set_ensuring(context, service_id, ensuring):
    """Flip ``ensuring``; False when it already had that value (so two
    concurrent ensure requests cannot both start)."""
    with writer(context) as session:
        return _conditional_update(
            session, models.Service, service_id, {'ensuring': ensuring},
            (models.Service.ensuring.is_(not ensuring),))


def service_destroy(context, service_id):
    with writer(context) as session:
        session.execute(sa.delete(models.Service).where(
            models.Service.id == service_id))


def service_get(context, service_id):
    return _get(context, models.Service, service_id,
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
    with reader(context) as session:
        return list(session.scalars(query))


def service_get_by_host_and_binary(context, host, binary):
    with reader(context) as session:
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


# --- share types -------------------------------------------------------------
def share_type_create(context, values, extra_specs):
    try:
        with writer(context) as session:
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
    return _get(context, models.ShareType, type_id,
                lambda: exceptions.ShareTypeNotFound(share_type_id=type_id))


def share_type_get_by_name(context, name):
    with reader(context) as session:
        row = session.scalars(sa.select(models.ShareType).filter_by(
            name=name)).first()
        if row is None:
            raise exceptions.ShareTypeNotFoundByName(share_type_name=name)
        return row


def share_type_get_by_id_or_name(context, id_or_name):
    with reader(context):
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
    with reader(context) as session:
        return list(session.scalars(query))


def share_type_update(context, type_id, values):
    try:
        with writer(context) as session:
            if not _conditional_update(session, models.ShareType, type_id,
                                       dict(values), ()):
                raise exceptions.ShareTypeNotFound(share_type_id=type_id)
    except db_exc.DBDuplicateEntry:
        raise exceptions.ShareTypeExists(id=values.get('name')) from None
    return share_type_get(context, type_id)


def share_type_destroy(context, type_id):
    with writer(context) as session:
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
    with writer(context) as session:
        row = session.get(models.ShareType, type_id)
        if row is None:
            raise exceptions.ShareTypeNotFound(share_type_id=type_id)
        current = {s.spec_key: s for s in row.extra_specs}
        for key, value in specs.items():
            if key in current:
                current[key].spec_value = str(value)
            else:
                row.extra_specs.append(models.ShareTypeExtraSpec(
                    spec_key=key, spec_value=str(value)))
        row.updated_at = timeutils.utcnow()
        session.flush()
        return {s.spec_key: s.spec_value for s in row.extra_specs}


def share_type_extra_spec_delete(context, type_id, key):
    with writer(context) as session:
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


# --- shares ------------------------------------------------------------------
def share_create(context, share_values, instance_values, metadata=None):
    """Insert a share with its first instance (and metadata)."""
    with writer(context) as session:
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
    return _get(context, models.Share, share_id,
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
                'is_public', 'is_soft_deleted', 'name', 'share_network_id'):
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
    query = sorted_page(query, Share, _SHARE_SORT_KEYS, sort_key, sort_dir,
                        limit, offset)
    with reader(context) as session:
        return list(session.scalars(query))


def sorted_page(query, model, sort_keys, sort_key, sort_dir, limit,
                offset):
    """``query`` ordered by ``sort_key`` (then id, for a stable page
    order) and cut to one page.

    :raises: InvalidInput for a key outside ``sort_keys`` or a direction
             other than asc/desc
    """
    if sort_key not in sort_keys:
        raise exceptions.InvalidInput(reason='Invalid sort_key: %s'
                                      % sort_key)
    if sort_dir not in ('asc', 'desc'):
        raise exceptions.InvalidInput(reason='Invalid sort_dir: %s'
                                      % sort_dir)
    order, order_id = getattr(model, sort_key), model.id
    if sort_dir == 'desc':
        order, order_id = order.desc(), order_id.desc()
    query = query.order_by(order, order_id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return query


def share_update(context, share_id, values):
    _refuse_state_columns(models.Share, values)
    with writer(context) as session:
        if not _conditional_update(session, models.Share, share_id,
                                   dict(values), ()):
            raise exceptions.ShareNotFound(share_id=share_id)
    return share_get(context, share_id)


def share_task_state_transition(context, share_id, new=_UNSET, *,
                                sources=None, values=None, event=None):
    """Apply a ``states.TASK_EVENTS`` event to the share's
    ``task_state`` (named, or found from ``new`` and ``sources``);
    InvalidState when the share was in none of its sources."""
    _transition(context, models.Share, 'task_state', share_id, new,
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
    with writer(context) as session:
        if _conditional_update(
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
    with writer(context) as session:
        _share_destroy(session, share_id)


def _share_destroy(session, share_id):
    row = session.get(models.Share, share_id)
    if row is None:
        return
    rules = sa.select(models.ShareAccessRule.id).where(
        models.ShareAccessRule.share_id == share_id)
    _destroy_locks(session, [share_id, *session.scalars(rules)])
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
    with writer(context) as session:
        share = session.get(models.Share, share_id)
        if share is None:
            raise exceptions.ShareNotFound(share_id=share_id)
        result = _metadata_set(share.share_metadata, models.ShareMetadata,
                               metadata, replace)
        share.updated_at = timeutils.utcnow()
        session.flush()
        return result


def share_metadata_delete(context, share_id, key):
    _metadata_delete(context, models.ShareMetadata.share_id, share_id, key)


# --- share instances ---------------------------------------------------------
def share_instance_create(context, share_id, values):
    with writer(context) as session:
        row = models.ShareInstance(share_id=share_id, **values)
        session.add(row)
        session.flush()
        return row


def share_instance_get(context, instance_id):
    """The instance with its share (``instance.share``) loaded."""
    query = (sa.select(models.ShareInstance)
             .where(models.ShareInstance.id == instance_id)
             .options(orm.joinedload(models.ShareInstance.share)))
    with reader(context) as session:
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
    with reader(context) as session:
        return list(session.scalars(query).unique())


def share_instance_update(context, instance_id, values):
    _refuse_state_columns(models.ShareInstance, values)
    with writer(context) as session:
        if not _conditional_update(session, models.ShareInstance,
                                   instance_id, dict(values), ()):
            raise exceptions.ShareInstanceNotFound(
                share_instance_id=instance_id)


def share_instance_transition(context, instance_id, new=_UNSET, *,
                              sources=None, values=None, event=None):
    """Apply a ``states.INSTANCE_EVENTS`` event to an instance's
    ``status`` (named, or found from ``new`` and ``sources``: an event
    of the table must allow the move). InvalidState otherwise."""
    _transition(context, models.ShareInstance, 'status', instance_id, new,
                event=event, sources=sources, values=values,
                missing=lambda: share_instance_get(context, instance_id))


def access_rules_status_transition(context, instance_id, *, event):
    """Apply a ``states.ACCESS_RULES_EVENTS`` event to an instance's
    ``access_rules_status``. InvalidState otherwise."""
    _transition(context, models.ShareInstance, 'access_rules_status',
                instance_id, _UNSET, event=event, sources=None, values=None,
                missing=lambda: share_instance_get(context, instance_id))


def share_instance_destroy(context, instance_id, *, share_too=False):
    """Delete an instance; returns how many instances its share has left
    (None if the instance was already gone).

    With ``share_too`` the share goes in the same transaction when this
    was its last instance, so no crash or race can leave a share row
    without an instance behind.
    """
    with writer(context) as session:
        row = session.get(models.ShareInstance, instance_id)
        if row is None:
            return None
        share_id = row.share_id
        session.execute(sa.delete(models.ShareSnapshotInstance).where(
            models.ShareSnapshotInstance.share_instance_id == instance_id))
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
    with writer(context) as session:
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


def export_location_get_by_uuid(context, uuid):
    with reader(context) as session:
        row = session.scalars(sa.select(models.ExportLocation).filter_by(
            uuid=uuid)).first()
        if row is None:
            raise exceptions.ExportLocationNotFound(uuid=uuid)
        return row


# --- share replicas ----------------------------------------------------------
# A replica is a share instance whose ``replica_state`` is set.
def replica_get(context, replica_id):
    """The replica with its share loaded; ShareReplicaNotFound if the id
    names no instance or an instance that is not a replica."""
    Inst = models.ShareInstance
    query = (sa.select(Inst)
             .where(Inst.id == replica_id, Inst.replica_state.is_not(None))
             .options(orm.joinedload(Inst.share),
                      orm.selectinload(Inst.export_locations)))
    with reader(context) as session:
        row = session.scalars(query).first()
        if row is None:
            raise exceptions.ShareReplicaNotFound(replica_id=replica_id)
        return row


def replica_get_all(context, *, share_id=None, project_id=None,
                    host=None, metadata=None):
    """Replicas, oldest first; ``project_id`` limits them to that
    project's shares, ``host`` to one backend (``host@backend``),
    ``metadata`` to those holding every one of its ``key: value``."""
    Inst = models.ShareInstance
    query = (sa.select(Inst).join(Inst.share)
             .where(Inst.replica_state.is_not(None))
             .options(orm.contains_eager(Inst.share),
                      orm.selectinload(Inst.export_locations))
             .order_by(Inst.created_at, Inst.id))
    if share_id is not None:
        query = query.where(Inst.share_id == share_id)
    if project_id is not None:
        query = query.where(models.Share.project_id == project_id)
    if host is not None:
        query = query.where(sa.or_(Inst.host == host,
                                   Inst.host.like(host + '#%')))
    Meta = models.ShareInstanceMetadata
    for key, value in (metadata or {}).items():
        query = query.where(Inst.instance_metadata.any(sa.and_(
            Meta.key == key, Meta.value == value)))
    with reader(context) as session:
        return list(session.scalars(query).unique())


def replica_create(context, share_id, values, snapshot_ids=(),
                   metadata=None):
    """A new replica row (with ``metadata``) plus a ``creating`` snapshot
    instance on it for each of ``snapshot_ids``, in one transaction."""
    with writer(context) as session:
        row = models.ShareInstance(share_id=share_id, **values)
        row.instance_metadata = [
            models.ShareInstanceMetadata(key=k, value=v)
            for k, v in (metadata or {}).items()]
        session.add(row)
        session.flush()
        for snapshot_id in snapshot_ids:
            session.add(models.ShareSnapshotInstance(
                snapshot_id=snapshot_id, share_instance_id=row.id,
                status=states.STATUS_CREATING))
        session.flush()
        return row


def replica_state_transition(context, replica_id, new=_UNSET, *,
                             sources=None, values=None, event=None):
    """Apply a ``states.REPLICA_EVENTS`` event to ``replica_state``.
    InvalidState otherwise."""
    _transition(context, models.ShareInstance, 'replica_state', replica_id,
                new, event=event, sources=sources, values=values,
                missing=lambda: replica_get(context, replica_id))


def replica_metadata_set(context, replica_id, metadata, *, replace=False):
    """Merge ``metadata`` into the replica's (or, with ``replace``, make
    it the whole metadata); returns the metadata afterwards. The
    replica's ``updated_at`` stays: it tells when its state last
    changed (the scheduler's stuck-replica check reads it)."""
    Inst = models.ShareInstance

    def run():
        with writer(context) as session:
            row = session.scalars(sa.select(Inst).where(
                Inst.id == replica_id,
                Inst.replica_state.is_not(None))).first()
            if row is None:
                raise exceptions.ShareReplicaNotFound(replica_id=replica_id)
            result = _metadata_set(row.instance_metadata,
                                   models.ShareInstanceMetadata, metadata,
                                   replace)
            session.flush()
            return result
    return _retry_duplicate(run)


def replica_metadata_delete(context, replica_id, key):
    _metadata_delete(context, models.ShareInstanceMetadata.share_instance_id,
                     replica_id, key)


# --- snapshots ---------------------------------------------------------------
def snapshot_create(context, values, instance_values, metadata=None):
    with writer(context) as session:
        row = models.ShareSnapshot(**values)
        row.instances = [models.ShareSnapshotInstance(**instance_values)]
        row.snapshot_metadata = [
            models.ShareSnapshotMetadata(key=k, value=v)
            for k, v in (metadata or {}).items()]
        session.add(row)
        session.flush()
        return row


def snapshot_get(context, snapshot_id):
    return _get(context, models.ShareSnapshot, snapshot_id,
                lambda: exceptions.ShareSnapshotNotFound(
                    snapshot_id=snapshot_id))


def snapshot_get_all(context, *, filters=None, limit=None, offset=None,
                     visible_project=None):
    Snap = models.ShareSnapshot
    filters = filters or {}
    query = sa.select(Snap).order_by(Snap.created_at.desc(), Snap.id)
    for key in ('share_id', 'name', 'project_id', 'description'):
        if filters.get(key) is not None:
            query = query.where(getattr(Snap, key) == filters[key])
    if filters.get('status') is not None:
        query = query.where(Snap.instances.any(
            models.ShareSnapshotInstance.status == filters['status']))
    Meta = models.ShareSnapshotMetadata
    for key, value in (filters.get('metadata') or {}).items():
        query = query.where(Snap.snapshot_metadata.any(sa.and_(
            Meta.key == key, Meta.value == value)))
    if visible_project is not None:
        query = query.where(Snap.project_id == visible_project)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with reader(context) as session:
        return list(session.scalars(query))


def snapshot_count_by_share(context, share_id):
    with reader(context) as session:
        return session.scalar(sa.select(sa.func.count()).where(
            models.ShareSnapshot.share_id == share_id))


def snapshot_update(context, snapshot_id, values):
    with writer(context) as session:
        if not _conditional_update(session, models.ShareSnapshot,
                                   snapshot_id, dict(values), ()):
            raise exceptions.ShareSnapshotNotFound(snapshot_id=snapshot_id)
    return snapshot_get(context, snapshot_id)


def snapshot_metadata_set(context, snapshot_id, metadata, *,
                          replace=False):
    """As ``share_metadata_set``, for a snapshot."""
    def run():
        with writer(context) as session:
            row = session.get(models.ShareSnapshot, snapshot_id)
            if row is None:
                raise exceptions.ShareSnapshotNotFound(
                    snapshot_id=snapshot_id)
            result = _metadata_set(row.snapshot_metadata,
                                   models.ShareSnapshotMetadata, metadata,
                                   replace)
            row.updated_at = timeutils.utcnow()
            session.flush()
            return result
    return _retry_duplicate(run)


def snapshot_metadata_delete(context, snapshot_id, key):
    _metadata_delete(context, models.ShareSnapshotMetadata.share_snapshot_id,
                     snapshot_id, key)


def snapshot_instance_get(context, snapshot_instance_id):
    """The snapshot instance with its snapshot loaded."""
    SI = models.ShareSnapshotInstance
    query = (sa.select(SI).where(SI.id == snapshot_instance_id)
             .options(orm.joinedload(SI.snapshot)))
    with reader(context) as session:
        row = session.scalars(query).first()
        if row is None:
            raise exceptions.ShareSnapshotNotFound(
                snapshot_id=snapshot_instance_id)
        return row


def snapshot_instance_get_all_by_share_instance(context, instance_id):
    SI = models.ShareSnapshotInstance
    with reader(context) as session:
        return list(session.scalars(sa.select(SI).where(
            SI.share_instance_id == instance_id).options(
                orm.joinedload(SI.snapshot))).unique())


def snapshot_instances_move(context, from_instance_id, to_instance_id):
    """Re-home snapshot instances (a migration kept the snapshots)."""
    SI = models.ShareSnapshotInstance
    with writer(context) as session:
        session.execute(
            sa.update(SI).where(SI.share_instance_id == from_instance_id)
            .values(share_instance_id=to_instance_id,
                    updated_at=timeutils.utcnow())
            .execution_options(synchronize_session=False))


def snapshot_instance_add(context, snapshot_id, share_instance_id):
    """A new ``creating`` instance of a snapshot on another share
    instance (a replica)."""
    return _create(context, models.ShareSnapshotInstance, dict(
        snapshot_id=snapshot_id, share_instance_id=share_instance_id,
        status=states.STATUS_CREATING, progress='0%'))


def snapshot_instance_update(context, snapshot_instance_id, values):
    _refuse_state_columns(models.ShareSnapshotInstance, values)
    with writer(context) as session:
        _conditional_update(session, models.ShareSnapshotInstance,
                            snapshot_instance_id, dict(values), ())


def snapshot_instance_transition(context, snapshot_instance_id,
                                 new=_UNSET, *, sources=None, values=None,
                                 event=None):
    """Apply a ``states.SNAPSHOT_EVENTS`` event to a snapshot instance's
    ``status``. InvalidState otherwise."""
    _transition(context, models.ShareSnapshotInstance, 'status',
                snapshot_instance_id, new, event=event, sources=sources,
                values=values,
                missing=lambda: snapshot_instance_get(
                    context, snapshot_instance_id))


def snapshot_instance_destroy(context, snapshot_instance_id):
    """Delete one instance of a snapshot, and the snapshot with its last
    instance. Returns how many instances remain."""
    SI = models.ShareSnapshotInstance
    with writer(context) as session:
        row = session.get(SI, snapshot_instance_id)
        if row is None:
            return None
        snapshot_id = row.snapshot_id
        session.delete(row)
        session.flush()
        remaining = session.scalar(sa.select(sa.func.count()).where(
            SI.snapshot_id == snapshot_id))
        if not remaining:
            snapshot = session.get(models.ShareSnapshot, snapshot_id)
            if snapshot is not None:
                session.delete(snapshot)
        return remaining


def snapshot_destroy(context, snapshot_id):
    with writer(context) as session:
        row = session.get(models.ShareSnapshot, snapshot_id)
        if row is not None:
            session.delete(row)


# --- access rules ------------------------------------------------------------
def access_create(context, values, metadata=None):
    with writer(context) as session:
        row = models.ShareAccessRule(**values)
        row.access_metadata = [
            models.ShareAccessRuleMetadata(key=k, value=v)
            for k, v in (metadata or {}).items()]
        session.add(row)
        session.flush()
        return row


def access_get(context, access_id):
    return _get(context, models.ShareAccessRule, access_id,
                lambda: exceptions.AccessRuleNotFound(access_id=access_id))


def access_get_all_by_share(context, share_id, *, states_in=None,
                            metadata=None):
    """The share's rules; ``metadata``: only those holding all these
    ``key: value``."""
    Rule = models.ShareAccessRule
    query = (sa.select(Rule).where(Rule.share_id == share_id)
             .order_by(Rule.created_at, Rule.id))
    if states_in is not None:
        query = query.where(Rule.state.in_(sorted(states_in)))
    Meta = models.ShareAccessRuleMetadata
    for key, value in (metadata or {}).items():
        query = query.where(Rule.access_metadata.any(sa.and_(
            Meta.key == key, Meta.value == value)))
    with reader(context) as session:
        return list(session.scalars(query))


def access_get_all_by_shares(context, share_ids, *, states_in=None):
    """Rules of many shares at once: ``{share_id: [rules]}``."""
    Rule = models.ShareAccessRule
    result = {share_id: [] for share_id in share_ids}
    ids = sorted(result)
    with reader(context) as session:
        for start in range(0, len(ids), 500):
            query = (sa.select(Rule)
                     .where(Rule.share_id.in_(ids[start:start + 500]))
                     .order_by(Rule.created_at, Rule.id))
            if states_in is not None:
                query = query.where(Rule.state.in_(sorted(states_in)))
            for rule in session.scalars(query):
                result[rule.share_id].append(rule)
    return result


def access_update(context, access_id, values):
    _refuse_state_columns(models.ShareAccessRule, values)
    with writer(context) as session:
        _conditional_update(session, models.ShareAccessRule, access_id,
                            dict(values), ())


def access_transition(context, access_id, new=_UNSET, *, sources=None,
                      values=None, event=None):
    """Apply a ``states.ACCESS_EVENTS`` event to one rule's ``state``.
    InvalidState otherwise."""
    _transition(context, models.ShareAccessRule, 'state', access_id, new,
                event=event, sources=sources, values=values,
                missing=lambda: access_get(context, access_id))


def access_update_states(context, share_id, from_states, new_state):
    """Move every rule of a share in ``from_states`` to ``new_state``
    (an event of ``states.ACCESS_EVENTS`` must allow it); returns how
    many moved."""
    sources, new = resolve_event(states.ACCESS_EVENTS, new_state,
                                 sources=from_states)
    Rule = models.ShareAccessRule
    with writer(context) as session:
        return session.execute(
            sa.update(Rule)
            .where(Rule.share_id == share_id, _in(Rule.state, sources))
            .values(state=new, updated_at=timeutils.utcnow())
            .execution_options(synchronize_session=False)).rowcount


def _destroy_locks(session, resource_ids):
    """Resource locks go with their resource (and an access rule's
    deletion lock with the share lock it brought), in its transaction."""
    from manila_lite.db import resource_locks  # it imports this module
    resource_locks.destroy_locks_on(session, resource_ids)


def access_destroy(context, access_id):
    with writer(context) as session:
        _destroy_locks(session, [access_id])
        session.execute(sa.delete(models.ShareAccessRuleMetadata).where(
            models.ShareAccessRuleMetadata.access_id == access_id))
        session.execute(sa.delete(models.ShareAccessRule).where(
            models.ShareAccessRule.id == access_id))


def access_metadata_update(context, access_id, metadata):
    """Add or overwrite the given keys of the rule's metadata (others
    stay); returns them, as upstream's does."""
    def run():
        with writer(context) as session:
            row = session.get(models.ShareAccessRule, access_id)
            if row is None:
                raise exceptions.AccessRuleNotFound(access_id=access_id)
            _metadata_set(row.access_metadata,
                          models.ShareAccessRuleMetadata, metadata, False)
            session.flush()
            return dict(metadata)
    return _retry_duplicate(run)


def access_metadata_delete(context, access_id, key):
    _metadata_delete(context, models.ShareAccessRuleMetadata.access_id,
                     access_id, key)


# --- data copy jobs ----------------------------------------------------------
def data_copy_job_create(context, values):
    return _create(context, models.DataCopyJob, values)


def data_copy_job_get(context, job_id):
    return _get(context, models.DataCopyJob, job_id,
                lambda: exceptions.DataCopyJobNotFound(job_id=job_id))


def data_copy_job_get_all(context, *, share_id=None, states_in=None):
    Job = models.DataCopyJob
    query = sa.select(Job).order_by(Job.created_at)
    if share_id is not None:
        query = query.where(Job.share_id == share_id)
    if states_in is not None:
        query = query.where(Job.state.in_(sorted(states_in)))
    with reader(context) as session:
        return list(session.scalars(query))


def data_copy_job_update(context, job_id, values, *, states_in=None):
    """Update a job (not its state); with ``states_in`` only if its
    state is one of them (returns whether it was)."""
    _refuse_state_columns(models.DataCopyJob, values)
    where = ()
    if states_in is not None:
        where = (models.DataCopyJob.state.in_(sorted(states_in)),)
    with writer(context) as session:
        return _conditional_update(session, models.DataCopyJob, job_id,
                                   dict(values), where)


def data_copy_job_transition(context, job_id, new=_UNSET, *, event,
                             sources=None, values=None):
    """Apply a ``states.JOB_EVENTS`` event to a job's ``state``; returns
    whether the job was in one of its sources (and moved)."""
    return _transition(context, models.DataCopyJob, 'state', job_id, new,
                       event=event, sources=sources, values=values,
                       quiet=True)


# --- bulk operations (ensure shares) -----------------------------------------
def share_instances_bulk_transition(context, instance_ids, new, *, sources):
    """Move every listed instance whose status is in ``sources`` to
    ``new`` in one statement (an event of ``states.INSTANCE_EVENTS``
    must allow it); returns the ids that moved."""
    sources, new = resolve_event(states.INSTANCE_EVENTS, new,
                                 sources=sources)
    Inst = models.ShareInstance
    ids = sorted(set(instance_ids))
    moved = []
    with writer(context) as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            # Lock the eligible rows (FOR UPDATE on MariaDB/PostgreSQL;
            # SQLite serializes writers) so the ids we report are exactly
            # the rows the UPDATE changes.
            eligible = list(session.scalars(
                sa.select(Inst.id)
                .where(Inst.id.in_(chunk), _in(Inst.status, sources))
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


def export_locations_replace_many(context, locations_by_instance):
    """``export_locations_replace`` for many instances, one transaction."""
    with writer(context):
        for instance_id, locations in locations_by_instance.items():
            export_locations_replace(context, instance_id, locations)


# Registers the ORM hook that releases quota usage with whatever deletes
# a share, snapshot or replica (imported last: it builds on this module).
from manila_lite.db import quotas as _quotas  # noqa: E402,F401
