"""Online backups of the SQLite database through SQLite's own backup API."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_path(database_url: str) -> Path:
    """The file behind a sqlite:/// URL; ValueError for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValueError("flask backup copies the SQLite database file; for PostgreSQL use pg_dump.")
    return Path(url.database)


def default_destination(source: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return source.parent / "backups" / f"{source.stem}-{stamp}{source.suffix}"


def backup_sqlite(source: Path, destination: Path) -> str:
    """Copy a live database consistently, even while it is being written; returns the
    copy's integrity_check result ("ok" when sound)."""
    if destination.exists():
        raise FileExistsError(f"{destination} already exists; choose another name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as live, sqlite3.connect(destination) as copy:
        live.execute("PRAGMA busy_timeout=5000")
        live.backup(copy)  # one step under a read transaction: a snapshot, never restarted by writers
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    live.close()
    copy.close()
    return result
