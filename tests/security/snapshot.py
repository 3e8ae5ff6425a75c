"""The whole database as plain data: every table, every row, every column, in a fixed order.

Two snapshots are equal exactly when nothing was written between them, so a refused request
can be shown to have left the database as it found it.
"""
from __future__ import annotations

from sqlalchemy import MetaData, Table, inspect, select

from app.extensions import db

_TABLES: dict[str, list[Table]] = {}


def _tables() -> list[Table]:
    """Every table the database holds (reflected once per database), alembic's included."""
    url = db.engine.url.render_as_string(hide_password=False)
    if url not in _TABLES:
        metadata = MetaData()
        names = sorted(inspect(db.engine).get_table_names())
        _TABLES[url] = [Table(name, metadata, autoload_with=db.engine) for name in names]
    return _TABLES[url]


def database_rows(app) -> dict[str, list[dict]]:
    """{table: its rows as {column: value}}, rows ordered by primary key (or by value)."""
    with app.app_context():
        db.session.remove()  # read what is committed, not a session's leftovers
        everything = {}
        with db.engine.connect() as connection:
            for table in _tables():
                key = list(table.primary_key.columns)
                rows = [dict(row) for row in connection.execute(select(table).order_by(*key)).mappings()]
                everything[table.name] = rows if key else sorted(rows, key=repr)
        return everything


def database_snapshot(app) -> dict[str, list[tuple]]:
    """{table: its rows as tuples of every column}, in database_rows' order."""
    return {name: [tuple(row.values()) for row in rows] for name, rows in database_rows(app).items()}


def differences(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """What changed between two snapshots, briefly, for an assertion message."""
    changes = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            added = [row for row in new if row not in old][:3]
            removed = [row for row in old if row not in new][:3]
            changes.append(f"{name}: {len(old)} → {len(new)} rows; added {added!r}; removed {removed!r}")
    return changes
