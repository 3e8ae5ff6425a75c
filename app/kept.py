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
A kept table may be keyed by someone other than the athletes it is cleared for (a coach's board
counts, app/coach/kept_cards.py): its `keys` statement says whose rows an athlete's write clears.
One kept table may clear another `also` for the same writes: on PostgreSQL in the same statement
(a data-modifying WITH), so a write makes no more round trips for it. A write that knows the one
athlete and the columns it changes (saving a check-in) can go further with `execute_write`: on
PostgreSQL it clears, in its own WITH clause, exactly the kept tables drawn from those columns.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Collection, Iterable

from sqlalchemy import BigInteger, BindParameter, Executable, Select, Table, bindparam, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.database import OWN_TRANSACTION
from app.extensions import db
from app.models import TrainingSession, User

log = logging.getLogger(__name__)

# What a flush changes: (athletes whose kept state it changes, whether it changes everyone's).
Touched = Callable[[Session], tuple[set[int], bool]]
# Whose rows clearing some athletes clears: a statement of one column, the table's key, given what
# `.in_()` takes for the athletes' ids: an expanding parameter, or a list of one parameter.
Keys = Callable[[BindParameter | list[BindParameter]], Select]


def athletes_that_exist(ids: BindParameter | list[BindParameter]) -> Select:
    """The athletes themselves, those that still exist: a deleted account takes its row with it."""
    return db.select(User.id).where(User.id.in_(ids)).order_by(User.id)


def fresh_generation() -> int:
    """A generation no earlier state had (a collision is a 1 in 2^62 chance), never 0: a row
    not read yet is generation 0 to the compare-and-set."""
    return secrets.randbits(62) + 1


class Kept:
    """One kept table: how to clear it, and the listeners that do so on every write."""

    def __init__(self, table: Table, emptied: dict, option: str, tables: Iterable[str], touched: Touched,
                 key: str = "athlete_id", keys: Keys = athletes_that_exist, also: Kept | None = None,
                 columns: dict[str, Collection[str]] | None = None):
        self.table, self.emptied, self.option = table, emptied, option
        self.tables, self.touched = frozenset(tables), touched
        self.key, self.keys, self.also = table.c[key], keys, also
        # The columns of a table in `tables` whose change matters to what is kept (`touched` asks
        # the same of a flush); a table not named here matters whichever column changes.
        self.columns = {table: frozenset(names) for table, names in (columns or {}).items()}
        self._statements: dict = {}  # (dialect name, for one athlete) -> the clearing statements

    def insert(self, dialect: str):
        """INSERT … ON CONFLICT for this table in the connection's dialect."""
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(self.table)

    def keep(self, rows: list[dict]) -> bool:
        """Keep freshly computed rows whose generation (read before computing them) is still
        current, a compare-and-set, in a transaction of their own; False when the database was
        too busy (the state is simply computed again next time)."""
        if not rows:
            return True
        try:
            with db.engine.begin() as connection:
                insert = self.insert(connection.dialect.name)
                kept = {column: getattr(insert.excluded, column) for column in rows[0]
                        if column not in (self.key.name, "generation")}
                connection.execute(insert.on_conflict_do_update(
                    index_elements=[self.key], set_=kept, where=self.table.c.generation == insert.excluded.generation),
                    rows)
        except OperationalError:
            log.warning("Could not keep %d rows of %s", len(rows), self.table.name, exc_info=True)
            return False
        return True

    def clear(self, connection, athlete_ids=None) -> None:
        """Clear athletes' kept state, and what is kept `also` for them (every athlete's when
        `athlete_ids` is None)."""
        generation = fresh_generation()
        if athlete_ids is None:
            for kept in self._with_also():
                connection.execute(db.update(kept.table).values(generation=generation, **kept.emptied))
            return
        ids = sorted(set(athlete_ids))
        if not ids:
            return
        one = len(ids) == 1  # nearly every write: one athlete's
        params = {"id": ids[0], "generation": generation} if one else {"ids": ids, "generation": generation}
        for statement in self._clearing(connection.dialect.name, one):
            connection.execute(statement, params)

    def _with_also(self) -> list[Kept]:
        return [self] if self.also is None else [self, self.also]

    def _clearing(self, dialect: str, one: bool) -> tuple:
        """The statements that clear some athletes (every write to what they keep runs them), built
        once per dialect: on PostgreSQL one, what is kept `also` cleared in its WITH clause. `one`:
        for a single athlete, `IN (:id)`: a list of ids is an expanding parameter, which SQLAlchemy
        splices into the statement's text on every run (8% of saving a check-in on SQLite)."""
        statements = self._statements.get((dialect, one))
        if statements is None:
            own, *others = [kept._upsert(dialect, one) for kept in self._with_also()]
            if dialect == "postgresql":
                statements = (own.add_cte(*(other.cte(f"also_{index}") for index, other in enumerate(others))),)
            else:
                statements = (own, *others)
            self._statements[(dialect, one)] = statements
        return statements

    def clears_for(self, table: str, columns: Collection[str]) -> bool:
        """Whether a write changing these columns of `table` changes what is kept here."""
        matter = self.columns.get(table)
        return table in self.tables and (matter is None or not matter.isdisjoint(columns))

    def _upsert(self, dialect: str, one: bool, names: tuple[str, str] = ("id", "generation")):
        """INSERT … ON CONFLICT giving the rows of some athletes (`ids`, or `id` for one) a fresh
        generation and emptying them (`names`: the parameters for one athlete and the generation)."""
        insert = self.insert(dialect)
        ids = [bindparam(names[0])] if one else bindparam("ids", expanding=True)
        rows = self.keys(ids).add_columns(bindparam(names[1], type_=BigInteger))
        return insert.from_select([self.key.name, "generation"], rows).on_conflict_do_update(
            index_elements=[self.key], set_={"generation": insert.excluded.generation, **self.emptied})

    def _after_flush(self, session: Session, _context) -> None:
        ids, everyone = self.touched(session)
        if everyone or ids:
            self.clear(session.connection(), None if everyone else ids)

    def _on_execute(self, state) -> None:
        """Bulk statements through the session: clear the athletes named, or everyone."""
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in self.tables or state.execution_options.get(CLEARED):
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
        if self not in _listening:
            _listening.append(self)


CLEARED = "kept_cleared"  # an execution option: the statement clears what is kept itself (execute_write)
_listening: list[Kept] = []  # every kept table whose listeners are on
_writes: dict = {}  # (id of write, dialect, kept tables) -> (write, the statement that runs)


def execute_write(session: Session, write: Callable[[str], Executable], params: dict, athlete_id: int,
                  table: str, columns: Collection[str], own_transaction: bool = False) -> None:
    """Run `write(dialect)`, a statement that changes `columns` of one athlete's rows of `table`,
    with `params`, clearing what is kept for that athlete in every kept table drawn from those
    columns, and in no other. On PostgreSQL that clearing is in the write's own WITH clause (one
    round trip: a data-modifying WITH runs whether or not anything reads it); elsewhere it follows
    in the same transaction. `own_transaction`: the caller commits straight after and the write
    is all it writes, so on PostgreSQL a request that has written nothing yet runs it as a
    transaction of its own (app/database.py's OWN_TRANSACTION). Each statement is built once per
    write, dialect, kept tables and `own_transaction`."""
    dialect = session.get_bind().dialect.name
    kept = tuple(each for each in _listening if each.clears_for(table, columns))
    key = (id(write), dialect, kept, own_transaction)
    built = _writes.get(key)
    if built is None:
        statement = write(dialect)
        if dialect == "postgresql" and kept:
            clearing = [step._upsert(dialect, True, ("kept_athlete", "kept_generation"))
                        for each in kept for step in each._with_also()]
            statement = statement.add_cte(*(step.cte(f"kept_{n}") for n, step in enumerate(clearing)))
        options = {CLEARED: True, OWN_TRANSACTION: own_transaction and dialect == "postgresql"}
        built = _writes[key] = (write, statement.execution_options(**options))
    if dialect == "postgresql" and kept:
        session.execute(built[1], {**params, "kept_athlete": athlete_id, "kept_generation": fresh_generation()})
        return
    session.execute(built[1], params)
    for each in kept:
        each.clear(session.connection(), [athlete_id])


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
