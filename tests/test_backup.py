"""`flask backup`: a consistent copy of the live SQLite database, and restoring it."""
from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest

from app.extensions import db
from app.models import User


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("flask backup copies SQLite files; PostgreSQL uses pg_dump")


def test_backup_copies_the_database_and_restoring_brings_it_back(app, make_user, sqlite_only, tmp_path):
    from app import create_app
    from app.backup import sqlite_path

    make_user(email="kept@example.com")
    copy = tmp_path / "copy.sqlite3"
    result = app.test_cli_runner().invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output

    # Restore as the README says: stop the app, put the copy in place, start again.
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(copy, restored)
    restored_app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{restored}"})
    with restored_app.app_context():
        assert db.session.scalar(db.select(User.email)) == "kept@example.com"
        db.engine.dispose()
    assert sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"]) != restored


def test_backup_is_consistent_while_writes_go_on(app, make_user, sqlite_only, tmp_path):
    from app.backup import backup_sqlite, sqlite_path

    source = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
    stop = threading.Event()

    def writer():
        connection = sqlite3.connect(source, timeout=5)
        n = 0
        while not stop.is_set():
            connection.execute("INSERT INTO users (email, display_name, password_hash, session_token, "
                               "is_athlete, is_coach, disclaimer_accepted_at, created_at) VALUES "
                               "(?, 'W', 'x', ?, 1, 0, '2026-01-01', '2026-01-01')", (f"w{n}@x", f"t{n}"))
            connection.commit()
            n += 1
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        results = [backup_sqlite(source, tmp_path / f"b{i}.sqlite3") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    assert results == ["ok", "ok", "ok"]
    for i in range(3):
        with sqlite3.connect(tmp_path / f"b{i}.sqlite3") as copy:
            count = copy.execute("SELECT count(*) FROM users").fetchone()[0]
            tokens = copy.execute("SELECT count(DISTINCT session_token) FROM users").fetchone()[0]
        assert count == tokens  # whole rows only, nothing torn


def test_backup_refuses_to_overwrite_and_explains_postgresql(app, sqlite_only, tmp_path):
    target = tmp_path / "exists.sqlite3"
    target.write_text("precious")
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert target.read_text() == "precious"


def test_backup_on_postgresql_points_to_pg_dump():
    from app.backup import sqlite_path

    with pytest.raises(ValueError, match="pg_dump"):
        sqlite_path("postgresql+psycopg://postgres@127.0.0.1/test")
