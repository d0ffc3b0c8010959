"""The database engine and the helpers every query module shares.

One oslo.db enginefacade transaction context (``_CTX``) serves the
process; ``configure(conf)`` points it at ``[database] connection``.
Query functions take the ``RequestContext`` first and open (or join) a
reader or writer transaction on it, so a caller may group several calls
in one transaction with ``with writer(ctx):``.

SQLite gets its own care here: WAL and a busy timeout, a pooled
connection per thread for a file database, a reader engine of its own,
and writers that take the lock with ``BEGIN IMMEDIATE``. Concurrent
inserts of one metadata key are retried (``_retry_duplicate``).
"""

import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import event

from manila_lite.common import exceptions
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


def _metadata_set(rows, make, metadata, replace, columns=('key', 'value')):
    """Make the metadata ``rows`` (a loaded collection) hold
    ``metadata``: merged, or as the whole of it with ``replace``.
    ``columns``: the rows' key and value columns."""
    key_column, value_column = columns
    current = {getattr(m, key_column): m for m in rows}
    if replace:
        for key in set(current) - set(metadata):
            rows.remove(current.pop(key))
    for key, value in metadata.items():
        if key in current:
            setattr(current[key], value_column, value)
        else:
            rows.append(make(**{key_column: key, value_column: value}))
    return {getattr(m, key_column): getattr(m, value_column) for m in rows}


def _metadata_update(context, collection, owner_id, metadata, *,
                     not_found, replace=False, touch=False, where=(),
                     columns=('key', 'value')):
    """Merge ``metadata`` into the metadata of row ``owner_id`` (with
    ``replace``: make it the whole of it) and return the metadata
    afterwards. ``collection`` is the owner's relationship to its
    metadata rows (``models.Share.share_metadata``; ``columns`` their
    key and value columns); ``not_found()`` is raised when no owner row
    matches ``owner_id`` and ``where``; ``touch`` sets the owner's
    ``updated_at``. Every metadata (and specs) setter goes through here,
    so each retries a concurrent insert of a key."""
    owner = collection.class_
    make = collection.property.mapper.class_

    def run():
        with writer(context) as session:
            row = session.scalars(sa.select(owner).where(
                owner.id == owner_id, *where)).first()
            if row is None:
                raise not_found()
            result = _metadata_set(getattr(row, collection.key), make,
                                   metadata, replace, columns)
            if touch:
                row.updated_at = timeutils.utcnow()
            session.flush()
            return result
    return _retry_duplicate(run)


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
