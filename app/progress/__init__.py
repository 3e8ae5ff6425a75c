"""Where athletes stand in their program: history loaded from the database, judged by the
pure progression engine (app/domain/progression.py) and by the safety gate (app/domain/gate.py).
Used by Training, Today, the warm-up, the run log and the coach.

One athlete's history is read once per page (a GET): the program, the safety gate, Today's
streak, the week's sessions and the questionnaire card share one read of each table. The
signed-in athlete's history, and what the engine makes of it, is remembered between their pages
until anything of theirs is written (app/progress/memory.py). Loads any number of athletes in a
constant number of queries. `snapshots` caches each athlete's
progress for the coach's board and clears it on every write to their history (its listener is
switched on by create_app).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, date, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Row, bindparam

from app.clock import local_today
from app.domain import gate, progression, triage
from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachAction, Exercise, ExerciseLog, TrainingSession
from app.per_page import known_on_this_page, once_per_page
from app.progress import memory

T = TypeVar("T")
ENGINE_ACTIONS = ("pause", "resume", "set_stage", "set_threshold", "set_sessions_to_advance")


def settings_for(profile: AthleteProfile | None) -> progression.Settings:
    """The settings the program started with; coach changes are replayed from coach actions."""
    returning = profile is not None and profile.knee_status == "returning"
    return progression.Settings(return_to_run=returning)


def progress_for(profile: AthleteProfile, today: date | None = None) -> progression.ProgressState:
    """One athlete's progress today, from their history as this page read it."""
    today = today or local_today(profile)
    athlete_id = profile.user_id
    return remembered(("progress", today), athlete_id, lambda: progression.compute(
        finished_sessions(athlete_id), _as_checkin_records(checkin_rows(athlete_id)),
        _as_engine_actions([a for a in coach_actions(athlete_id) if a.kind in ENGINE_ACTIONS], profile),
        settings_for(profile), today,
    ))


# ---- One athlete's history, read once per page ---------------------------------------------
# Today, Training, the warm-up and the run log each show the safety gate, the program and a
# few facts of the same history: a GET reads each table once and every part of the page
# shares it (app/per_page.py), and the signed-in athlete's next page recalls it unless something
# of theirs was written in between (app/progress/memory.py). A write (POST) reads afresh.

def remembered(part: Hashable, athlete_id: int, read: Callable[[], T]) -> T:
    """One part of an athlete's history, worked out once per page and remembered between the
    signed-in athlete's pages. `read()` must return something never changed afterwards (a tuple
    of rows, dates or frozen records, not ORM objects) and read only what a write to the
    athlete's board card clears (app/coach/kept_cards.py's OWNERS)."""
    return once_per_page((part, athlete_id), lambda: memory.recall(athlete_id, part, read))


def finished_sessions(athlete_id: int) -> tuple[progression.SessionRecord, ...]:
    """The athlete's finished sessions, oldest first."""
    return remembered("finished-sessions", athlete_id, lambda: tuple(_session_records([athlete_id])[athlete_id]))


def checkin_rows(athlete_id: int) -> tuple[Row, ...]:
    """Every check-in of the athlete with what the engine and the gate read, oldest first."""
    return remembered("checkin-rows", athlete_id,
                    lambda: tuple(db.session.execute(CHECKIN_ROWS, {"athlete_id": athlete_id})))


def checkin_rows_if_read(athlete_id: int) -> tuple[Row, ...] | None:
    """checkin_rows if this page has read them already, else None (no query)."""
    return known_on_this_page(("checkin-rows", athlete_id), None)


def coach_actions(athlete_id: int) -> tuple[Row, ...]:
    """Every coach action on the athlete (changes, notes, requests), oldest first, as rows with
    CoachAction's columns."""
    return remembered("coach-actions", athlete_id,
                    lambda: tuple(db.session.execute(COACH_ACTIONS, {"athlete_id": athlete_id})))


def latest_action(athlete_id: int, kind: str) -> Row | None:
    """The newest coach action of one kind on the athlete."""
    return next((action for action in reversed(coach_actions(athlete_id)) if action.kind == kind), None)


def progress_for_many(profiles: Iterable[AthleteProfile],
                      today: dict[int, date] | None = None) -> dict[int, progression.ProgressState]:
    """Progress of many athletes, keyed by user id, in three queries whatever their number."""
    profiles = {p.user_id: p for p in profiles}
    ids = list(profiles)
    if not ids:
        return {}
    sessions = _session_records(ids)
    checkins = _checkin_records(ids)
    actions = _action_records(ids, profiles)
    today = today or {}
    return {
        athlete_id: progression.compute(
            sessions[athlete_id], checkins[athlete_id], actions[athlete_id],
            settings_for(profile), today.get(athlete_id) or local_today(profile),
        )
        for athlete_id, profile in profiles.items()
    }


def _session_records(ids: list[int]) -> dict[int, list[progression.SessionRecord]]:
    """Finished sessions with (exercise name, pain or None when skipped) for each exercise, why
    each skip was made, and the entry test's squats per side."""
    rows = db.session.execute(SESSION_ROWS, {"ids": ids}).all()
    pains: dict[int, list] = defaultdict(list)
    skips: dict[int, list] = defaultdict(list)
    reps: dict[int, int] = {}
    sessions: dict[int, Row] = {}
    for row in rows:
        session = sessions.setdefault(row.id, row)
        if row.name is None:
            continue
        pains[session.id].append((row.name, None if row.skipped else row.pain))
        if row.skipped:
            skips[session.id].append((row.name, row.skip_reason or "time"))  # older skips had no reason
        elif session.kind == "entry_test":
            reps[session.id] = (row.sets or 0) * (row.reps or 0)
    records: dict[int, list] = defaultdict(list)
    for session in sessions.values():
        records[session.athlete_id].append(progression.SessionRecord(
            id=session.id, local_date=session.local_date, finished_at=session.finished_at,
            stage=session.stage, kind=session.kind, run_level=session.run_level,
            pains=_run_pains(session) if session.kind == "run" else tuple(pains[session.id]),
            skips=tuple(skips[session.id]), entry_reps=reps.get(session.id),
        ))
    return records


def _run_pains(session: Row) -> tuple[tuple[str, int | None], ...]:
    """A walk–run is one item: the level, with the pain felt during it (none: not done)."""
    if session.run_pain is None:
        return ()
    return ((f"the walk–run (level {session.run_level})", session.run_pain),)


def offer_for(profile: AthleteProfile, today: date | None = None,
              state: progression.ProgressState | None = None) -> gate.Offer:
    """What the safety gate lets this athlete be offered today (asked once per page: a GET that
    shows it in several places — Today's training card and run guard — reads the history once)."""
    today = today or local_today(profile)

    def decide() -> gate.Offer:
        return gate.decide(state or progress_for(profile, today), today,
                           latest_checkin_facts(profile.user_id, today),
                           ran_recently=_ran_recently(profile.user_id, today))

    return once_per_page(("safety-gate", profile.user_id, today), decide)


def latest_checkin_facts(athlete_id: int, today: date) -> gate.CheckinFacts | None:
    """The newest check-in on or before today, as the gate reads it."""
    latest = next((row for row in reversed(checkin_rows(athlete_id)) if row.local_date <= today), None)
    if latest is None:
        return None
    return checkin_facts(latest.local_date, latest.status, latest.pain_now, latest.red_flags,
                         latest.calf_breathless, latest.swelling)


def checkin_facts(local_date, status, pain_now, red_flags, calf_breathless, swelling) -> gate.CheckinFacts:
    """A check-in's columns as the gate reads them (the reminder sweep reads them in bulk)."""
    urgency = triage.urgency_of(red_flags, calf_breathless, swelling)
    advice = triage.urgency_guidance(urgency, red_flags, calf_breathless) if urgency else None
    return gate.CheckinFacts(local_date, status, pain_now, urgency is not None, urgency, advice)


def _ran_recently(athlete_id: int, today: date) -> bool:
    """A walk–run was logged today or yesterday (the ladder's rest day)."""
    return any(session.kind == "run" and today - timedelta(days=1) <= session.local_date <= today
               for session in finished_sessions(athlete_id))


CHECKIN_COLUMNS = (CheckIn.athlete_id, CheckIn.local_date, CheckIn.pain_now, CheckIn.status,
                   CheckIn.swelling, CheckIn.after_session)

# Every page that shows the safety gate runs these: built once, not on each request.
CHECKIN_ROWS = (db.select(*CHECKIN_COLUMNS, CheckIn.red_flags, CheckIn.calf_breathless)
                .where(CheckIn.athlete_id == bindparam("athlete_id")).order_by(CheckIn.local_date))
COACH_ACTIONS = (db.select(*CoachAction.__table__.columns).where(CoachAction.athlete_id == bindparam("athlete_id"))
                 .order_by(CoachAction.created_at, CoachAction.id))
# Plain rows, not ORM objects: every page that shows the safety gate reads the whole history.
SESSION_ROWS = (
    db.select(TrainingSession.id, TrainingSession.athlete_id, TrainingSession.local_date,
              TrainingSession.finished_at, TrainingSession.stage, TrainingSession.kind,
              TrainingSession.run_level, TrainingSession.run_pain,
              ExerciseLog.pain, ExerciseLog.skipped, ExerciseLog.skip_reason,
              ExerciseLog.sets, ExerciseLog.reps, Exercise.name)
    .outerjoin(ExerciseLog, ExerciseLog.session_id == TrainingSession.id)
    .outerjoin(Exercise, Exercise.id == ExerciseLog.exercise_id)
    .where(TrainingSession.athlete_id.in_(bindparam("ids", expanding=True)),
           TrainingSession.finished_at.is_not(None))
    .order_by(TrainingSession.id, ExerciseLog.position)
)


def _checkin_records(ids: list[int]) -> dict[int, list[progression.CheckinRecord]]:
    rows = db.session.execute(db.select(*CHECKIN_COLUMNS).where(CheckIn.athlete_id.in_(ids))).all()
    by_athlete: dict[int, list] = defaultdict(list)
    for row in rows:
        by_athlete[row.athlete_id].append(row)
    return defaultdict(list, {athlete_id: _as_checkin_records(found) for athlete_id, found in by_athlete.items()})


def _as_checkin_records(rows: Iterable[Row]) -> list[progression.CheckinRecord]:
    return [progression.CheckinRecord(local_date=row.local_date, pain_now=row.pain_now, status=row.status,
                                      swelling=row.swelling, after_session=row.after_session) for row in rows]


def _action_records(ids: list[int], profiles: dict[int, AthleteProfile]) -> dict[int, list[progression.CoachAction]]:
    rows = db.session.scalars(
        db.select(CoachAction)
        .where(CoachAction.athlete_id.in_(ids), CoachAction.kind.in_(ENGINE_ACTIONS))
        .order_by(CoachAction.created_at, CoachAction.id)
    ).all()
    by_athlete: dict[int, list] = defaultdict(list)
    for action in rows:
        by_athlete[action.athlete_id].append(action)
    return defaultdict(list, {athlete_id: _as_engine_actions(found, profiles[athlete_id])
                              for athlete_id, found in by_athlete.items()})


def _as_engine_actions(actions: Iterable[CoachAction], profile: AthleteProfile) -> list[progression.CoachAction]:
    """Coach changes as the engine replays them, each on its local day in the athlete's zone."""
    zone = ZoneInfo(profile.timezone)
    return [progression.CoachAction(at=action.created_at, kind=action.kind, value=action.value, by=action.coach_name,
                                    local_date=action.created_at.replace(tzinfo=UTC).astimezone(zone).date())
            for action in actions]
