"""Engine set-up: a ping before reusing a connection that sat idle, SQLite pragmas per
connection, WAL once before workers start."""
from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from app.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000
# A connection back in the pool for longer than this is pinged before it is lent again.
PING_AFTER_IDLE_SECONDS = 1.0
IDLE_SINCE = "kneeready_idle_since"  # its key in the pool entry's info


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


def setup_engine(app: Flask) -> None:
    """Ping idle connections; bind SQLite's per-connection pragmas and switch the file to WAL
    once, then drop the pool.

    WAL is a property of the database file, so it is set here once (gunicorn preloads the
    app in the master), and the pool is disposed so no forked worker inherits a connection.
    """
    with app.app_context():
        engine: Engine = db.engine
        ping_when_idle(engine)
        if not is_sqlite(app):
            return
        if not event.contains(engine, "connect", _sqlite_connection_pragmas):
            event.listen(engine, "connect", _sqlite_connection_pragmas)
        if ":memory:" not in str(engine.url):
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
