"""Engine set-up: a ping before reusing a connection that sat idle, a request's reads outside a
transaction on PostgreSQL, SQLite pragmas per connection, WAL once before workers start."""
from __future__ import annotations

import time

from flask import Flask, has_request_context
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from app.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000
# A connection back in the pool for longer than this is pinged before it is lent again.
PING_AFTER_IDLE_SECONDS = 1.0
IDLE_SINCE = "kneeready_idle_since"  # its key in the pool entry's info
# An execution option: this write is a whole transaction, committed straight after it; in a request
# still reading outside a transaction it runs in autocommit (read_without_transaction).
OWN_TRANSACTION = "own_transaction"


def is_sqlite(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def _sqlite_connection_pragmas(dbapi_connection, _record) -> None:
    """Every SQLite connection enforces foreign keys and waits for locks instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def ping_when_idle(engine: Engine) -> None:
    """Check that a pooled connection still answers before lending it, when it sat idle.

    A database that restarted, or a firewall that dropped a quiet connection, must not surface
    as a 500: SQLAlchemy's pool_pre_ping asks the database on every checkout, which on
    PostgreSQL is a round trip per request, and under load a connection is back in use within
    milliseconds of being returned. So only a connection that sat in the pool for longer than
    PING_AFTER_IDLE_SECONDS is pinged; a dead one is replaced, as pre-ping would (SQLAlchemy's
    "pessimistic disconnect handling, custom" recipe). A busy pool needs no ping: when one of
    its connections meets a disconnect, SQLAlchemy invalidates every connection of the pool.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def returned(_dbapi_connection, record) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def lent(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get(IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # just connected, or just used
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error  # the pool connects afresh and retries
            raise


def reads_only(statement: str) -> bool:
    """Whether a statement only reads: a SELECT that locks no rows. Anything else (a write, a
    locking read, raw SQL that starts otherwise) counts as a write."""
    return statement.startswith("SELECT") and "FOR " not in statement


def read_without_transaction(engine: Engine) -> None:
    """On PostgreSQL, a request's reads run in autocommit, until its first write.

    A page that only reads made three round trips where one was its work: BEGIN, the signed-in
    user, ROLLBACK (bench/pages.py: a round trip costs the database server about 0.2 ms of CPU
    under load, on the same two cores as the app). Under READ COMMITTED, PostgreSQL's default,
    every statement sees its own snapshot either way, so reads in autocommit see what they saw
    in a transaction; a plain read takes no lock that a transaction would have held.

    The connection is lent in autocommit to a request. Before its first statement that is not
    a plain read (`reads_only`: a write, or a SELECT … FOR UPDATE), the connection leaves
    autocommit: that statement begins a transaction, and what the request writes from then on
    commits or rolls back together, as before. A write that is a whole transaction by itself,
    committed straight after (saving a check-in: one INSERT … ON CONFLICT that also clears what
    is kept, app/kept.py's execute_write), says so with the OWN_TRANSACTION execution option and
    runs in autocommit: one round trip where BEGIN, it and COMMIT were three. A connection goes
    back to the pool out of autocommit, so the worker and the CLI get transactions as ever.
    """

    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "checkout")
    def lent(dbapi_connection, _record, _proxy) -> None:
        if has_request_context() and dbapi_connection.info.transaction_status == TransactionStatus.IDLE:
            dbapi_connection.autocommit = True

    @event.listens_for(engine, "before_cursor_execute")
    def writing(connection, _cursor, statement, _parameters, context, _executemany) -> None:
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection.autocommit and not reads_only(statement) \
                and not context.execution_options.get(OWN_TRANSACTION):
            dbapi_connection.autocommit = False  # in autocommit, never inside a transaction

    @event.listens_for(engine, "checkin")
    def returned(dbapi_connection, _record) -> None:
        if dbapi_connection is not None and dbapi_connection.autocommit:
            dbapi_connection.autocommit = False


def setup_engine(app: Flask) -> None:
    """On PostgreSQL, let a GET read outside a transaction; ping idle connections; bind SQLite's
    per-connection pragmas and switch the file to WAL once, then drop the pool.

    WAL is a property of the database file, so it is set here once (gunicorn preloads the
    app in the master), and the pool is disposed so no forked worker inherits a connection.
    """
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "postgresql":
            read_without_transaction(engine)  # first: an idle connection's ping then reads in autocommit too
        ping_when_idle(engine)
        if not is_sqlite(app):
            return
        if not event.contains(engine, "connect", _sqlite_connection_pragmas):
            event.listen(engine, "connect", _sqlite_connection_pragmas)
        if ":memory:" not in str(engine.url):
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
