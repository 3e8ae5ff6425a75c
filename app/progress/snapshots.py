"""Progress snapshots: each athlete's progression as the engine judges it, cached in the database
so the coach's dashboard need not replay a thousand whole histories on every load.

Correctness rests on four things:
- A snapshot is computed by the engine itself (app.progress.progress_for_many) over the full
  history, "as of" a day so far ahead that its wording names dates ("on 3 March") instead of
  "yesterday"; stage, streak and pause don't depend on the day asked, so it stays true.
- Every write to an athlete's history, through the ORM session, bumps that athlete's
  `generation` and clears the snapshot in the same transaction (the listeners below).
- A snapshot is stored only if the generation read before its history is still current
  (a compare-and-set), so a write racing a dashboard load can't leave a stale one behind.
- It carries a fingerprint of the rules that made it: after a deploy that changes the engine,
  old snapshots count as missing.
The clearing is app.kept's: a bulk UPDATE or DELETE through the session invalidates everyone,
unless it names the athletes it changes with `.execution_options(progress_athletes=[...])`.
Writes made with raw SQL text bypass the listeners: call `invalidate()` after them.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app import kept, progress
from app.domain import progression
from app.domain.coaching import Setback
from app.domain.progression import ProgressState
from app.extensions import db
from app.models import (
    AthleteProfile, CheckIn, CoachAction, Exercise, ExerciseLog, ProgressSnapshot, TrainingSession,
    utcnow,
)
from app.progress import ENGINE_ACTIONS, progress_for_many

TIMELESS = date.max


def _rules_fingerprint() -> str:
    """What computed a snapshot: the engine's and this module's source, hashed. A snapshot made
    by other rules (before a deploy that changed them) counts as missing."""
    digest = hashlib.sha256()
    for module in (progression, progress, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


TABLE = ProgressSnapshot.__table__
# The columns of each table the engine reads; changes elsewhere (a note, an acknowledgement)
# leave the progression as it was.
ENGINE_COLUMNS = {
    CheckIn: {"athlete_id", "local_date", "pain_now", "status", "swelling", "after_session"},
    AthleteProfile: {"knee_status", "timezone"},
}
HISTORY_TABLES = {model.__tablename__ for model in (CheckIn, TrainingSession, ExerciseLog, CoachAction)}


@dataclass(frozen=True)
class Snapshot:
    """What the dashboard shows of an athlete's progression."""

    stage: int
    run_level: int | None
    streak: int
    needed: int
    paused: bool
    summary: str
    setback: Setback | None

    @classmethod
    def of(cls, state: ProgressState) -> Snapshot:
        """The dashboard's view of an engine result."""
        return cls(state.stage, state.run_level, state.streak, state.needed, state.paused,
                   state.summary, setback_of(state))

    def to_json(self) -> dict:
        setback = self.setback and {"kind": self.setback.kind, "date": self.setback.local_date.isoformat(),
                                    "reason": self.setback.reason}
        return {"rules": RULES, "stage": self.stage, "run_level": self.run_level, "streak": self.streak,
                "needed": self.needed, "paused": self.paused, "summary": self.summary, "setback": setback}

    @classmethod
    def from_json(cls, data: dict) -> Snapshot:
        raw = data.get("setback")
        setback = raw and Setback(raw["kind"], date.fromisoformat(raw["date"]), raw["reason"])
        return cls(data["stage"], data["run_level"], data["streak"], data["needed"], data["paused"],
                   data["summary"], setback or None)


def setback_of(state: ProgressState) -> Setback | None:
    """The latest hold or step back while it still stands (the engine's summary is its reason)."""
    if state.paused:
        return None
    for event_ in reversed(state.events):
        if event_.kind in ("hold", "step_back"):
            return Setback(event_.kind, event_.local_date, event_.reason) if event_.reason == state.summary else None
    return None


RULES = _rules_fingerprint()


def snapshots_for(athlete_ids: Iterable[int]) -> dict[int, Snapshot]:
    """Athletes' snapshots: one query for the cached ones; the rest computed and stored.

    Athletes without a profile (not onboarded yet) have no progression and no snapshot."""
    ids = list(athlete_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(TABLE.c.athlete_id, TABLE.c.generation, TABLE.c.state).where(TABLE.c.athlete_id.in_(ids))
    ).all()
    generations = {athlete_id: generation for athlete_id, generation, _ in rows}
    snapshots = {athlete_id: Snapshot.from_json(state) for athlete_id, _, state in rows
                 if state is not None and state.get("rules") == RULES}
    missing = [athlete_id for athlete_id in ids if athlete_id not in snapshots]
    if missing:
        profiles = db.session.scalars(db.select(AthleteProfile).where(AthleteProfile.user_id.in_(missing))).all()
        states = progress_for_many(profiles, {profile.user_id: TIMELESS for profile in profiles})
        fresh = {athlete_id: Snapshot.of(state) for athlete_id, state in states.items()}
        if fresh:
            _store(fresh, generations)
        snapshots.update(fresh)
    return snapshots


def _store(fresh: dict[int, Snapshot], generations: dict[int, int]) -> None:
    """Keep fresh snapshots whose generation is still current, in a transaction of their own."""
    rows = [{"athlete_id": athlete_id, "generation": generations.get(athlete_id, 0),
             "state": snapshot.to_json(), "computed_at": utcnow()} for athlete_id, snapshot in fresh.items()]
    KEPT.keep(rows)  # a busy database: the snapshots are simply computed again next time


# ── invalidation ────────────────────────────────────────────────────────────────────────────

def _touched(session: Session) -> tuple[set[int], bool]:
    """Athletes whose history this flush changes, and whether it changes everyone's."""
    ids: set[int] = set()
    log_sessions: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Exercise):
            if obj not in session.new and kept.changed(obj, {"name"}):
                return ids, True
        elif isinstance(obj, ExerciseLog):
            ids.add(kept.log_owner(obj, log_sessions))
        elif isinstance(obj, CoachAction):
            if obj.kind in ENGINE_ACTIONS:
                ids.add(obj.athlete_id)
        elif isinstance(obj, (CheckIn, TrainingSession, AthleteProfile)):
            columns = ENGINE_COLUMNS.get(type(obj))
            if obj in session.new or obj in session.deleted or columns is None or kept.changed(obj, columns):
                ids.add(obj.user_id if isinstance(obj, AthleteProfile) else obj.athlete_id)
    ids |= kept.athletes_of_sessions(session, log_sessions)
    return {athlete_id for athlete_id in ids if athlete_id is not None}, False


KEPT = kept.Kept(TABLE, {"state": None}, "progress_athletes", HISTORY_TABLES, _touched,
                 columns={model.__tablename__: columns for model, columns in ENGINE_COLUMNS.items()})
invalidate = KEPT.clear  # mark athletes' snapshots stale (everyone's when given no ids)
listen = KEPT.listen  # turn invalidation on for every session of the process (idempotent)
