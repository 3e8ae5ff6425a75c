"""State kept per athlete and cleared by every write that changes it: the progress snapshots
(app/progress/snapshots.py) and the board's cards (app/coach/kept_cards.py).

A kept table has one row per athlete with a `generation`. Clearing an athlete gives it a fresh one
and empties what was kept, in the writer's own transaction (the session listeners below); whoever
computes the state again keeps it only if the generation it read first is still current (a
compare-and-set). A generation is a random 62-bit number, never a count: a count comes round again
(a restored backup, a deleted account's id given to a new one), a random number does not, so
whatever is remembered under a generation (app/progress/memory.py) belongs to one state only.
A bulk UPDATE or DELETE through the session clears everyone, unless it names the athletes it
changes with `.execution_options(<option>=[...])`; an INSERT whose rows all name an athlete
clears those. Writes made with raw SQL text bypass the listeners: call `clear()` after them.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from sqlalchemy import BigInteger, Table, bindparam, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import TrainingSession, User

# What a flush changes: (athletes whose kept state it changes, whether it changes everyone's).
Touched = Callable[[Session], tuple[set[int], bool]]


def fresh_generation() -> int:
    """A generation no earlier state had (a collision is a 1 in 2^62 chance), never 0: a row
    not read yet is generation 0 to the compare-and-set."""
    return secrets.randbits(62) + 1


class Kept:
    """One kept table: how to clear it, and the listeners that do so on every write."""

    def __init__(self, table: Table, emptied: dict, option: str, tables: Iterable[str], touched: Touched):
        self.table, self.emptied, self.option = table, emptied, option
        self.tables, self.touched = frozenset(tables), touched
        self._statements: dict = {}  # dialect name -> the clearing statement

    def insert(self, dialect: str):
        """INSERT … ON CONFLICT for this table in the connection's dialect."""
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(self.table)

    def clear(self, connection, athlete_ids=None) -> None:
        """Clear athletes' kept state (every athlete's when `athlete_ids` is None)."""
        table, generation = self.table, fresh_generation()
        if athlete_ids is None:
            connection.execute(db.update(table).values(generation=generation, **self.emptied))
            return
        ids = sorted(set(athlete_ids))
        if not ids:
            return
        connection.execute(self._clearing(connection.dialect.name), {"ids": ids, "generation": generation})

    def _clearing(self, dialect: str):
        """The statement that clears some athletes (every write to what they keep runs it): built
        once per dialect."""
        statement = self._statements.get(dialect)
        if statement is None:
            insert = self.insert(dialect)
            # Only for users that still exist: a deleted account takes its row with it.
            existing = (db.select(User.id, bindparam("generation", type_=BigInteger))
                        .where(User.id.in_(bindparam("ids", expanding=True))).order_by(User.id))
            statement = self._statements[dialect] = insert.from_select(["athlete_id", "generation"], existing) \
                .on_conflict_do_update(index_elements=[self.table.c.athlete_id],
                                       set_={"generation": insert.excluded.generation, **self.emptied})
        return statement

    def _after_flush(self, session: Session, _context) -> None:
        ids, everyone = self.touched(session)
        if everyone or ids:
            self.clear(session.connection(), None if everyone else ids)

    def _on_execute(self, state) -> None:
        """Bulk statements through the session: clear the athletes named, or everyone."""
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in self.tables:
            return
        declared = state.execution_options.get(self.option)
        if declared is not None:  # the caller says whose kept state the statement changes
            self.clear(state.session.connection(), declared)
            return
        params = state.parameters
        rows = params if isinstance(params, list) else [params] if params else []
        named = [row.get("athlete_id", row.get("user_id")) for row in rows if isinstance(row, dict)]
        precise = state.is_insert and named and None not in named
        self.clear(state.session.connection(), named if precise else None)

    def listen(self) -> None:
        """Turn clearing on for every session of the process (idempotent)."""
        if not event.contains(Session, "after_flush", self._after_flush):
            event.listen(Session, "after_flush", self._after_flush)
            event.listen(Session, "do_orm_execute", self._on_execute)


def changed(obj, columns: set[str]) -> bool:
    """Whether this flush changes any of an object's columns."""
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns)


def log_owner(obj, sessions_to_look_up: set[int]) -> int | None:
    """The athlete of an exercise log: from its session when loaded, else None and its session id
    noted, for `athletes_of_sessions` to look up."""
    owner = obj.__dict__.get("session")
    if owner is not None and owner.athlete_id is not None:
        return owner.athlete_id
    if obj.session_id is not None:
        sessions_to_look_up.add(obj.session_id)
    return None


def athletes_of_sessions(session: Session, session_ids: set[int]) -> set[int]:
    """The athletes of training sessions, in the flush's own connection."""
    if not session_ids:
        return set()
    return set(session.connection().scalars(
        db.select(TrainingSession.athlete_id).where(TrainingSession.id.in_(sorted(session_ids)))))
