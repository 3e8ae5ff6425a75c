"""A pooled connection that sat idle is pinged before it is lent; a dead one is replaced
(app/database.py). A connection just returned is lent at once, with no round trip."""
from __future__ import annotations

from sqlalchemy import text

from app.database import IDLE_SINCE, PING_AFTER_IDLE_SECONDS


def _pooled(engine):
    """Put one connection in the pool; its DBAPI connection and pool entry."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        fairy = connection.connection
        return fairy.dbapi_connection, fairy._connection_record


def _kill(engine, dbapi_connection) -> None:
    if engine.dialect.name == "postgresql":
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        other = create_engine(engine.url, poolclass=NullPool)  # not the pool's own connection
        with other.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                               {"pid": dbapi_connection.info.backend_pid})
        other.dispose()
    else:
        dbapi_connection.close()


def test_a_dead_idle_connection_is_replaced_before_use(app):
    from app.extensions import db

    with app.app_context():
        engine = db.engine
        engine.dispose()
        dead, record = _pooled(engine)
        _kill(engine, dead)
        record.info[IDLE_SINCE] -= PING_AFTER_IDLE_SECONDS + 1  # it sat idle
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 2")).scalar() == 2
            assert connection.connection.dbapi_connection is not dead


def test_a_connection_just_returned_is_lent_without_a_ping(app, monkeypatch):
    from app.extensions import db

    with app.app_context():
        engine = db.engine
        engine.dispose()
        pings = []
        ping = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or ping(c))
        first, record = _pooled(engine)
        for _ in range(3):
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                assert connection.connection.dbapi_connection is first
        assert pings == []
        record.info[IDLE_SINCE] -= PING_AFTER_IDLE_SECONDS + 1
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        assert pings == [first]
