"""Engine set-up: SQLite pragmas per connection, WAL once before workers start."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000


def is_sqlite(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def _sqlite_connection_pragmas(dbapi_connection, _record) -> None:
    """Every SQLite connection enforces foreign keys and waits for locks instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def setup_engine(app: Flask) -> None:
    """Bind the per-connection pragmas and switch the file to WAL once, then drop the pool.

    WAL is a property of the database file, so it is set here once (gunicorn preloads the
    app in the master), and the pool is disposed so no forked worker inherits a connection.
    """
    if not is_sqlite(app):
        return
    with app.app_context():
        engine: Engine = db.engine
        if not event.contains(engine, "connect", _sqlite_connection_pragmas):
            event.listen(engine, "connect", _sqlite_connection_pragmas)
        if ":memory:" not in str(engine.url):
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
