"""Where athletes stand in their program: history loaded from the database, judged by the
pure progression engine (app/domain/progression.py) and by the safety gate (app/domain/gate.py).
Used by Training, Today, the warm-up, the run log and the coach.

Loads any number of athletes in a constant number of queries. `snapshots` caches each athlete's
progress for the coach's board and clears it on every write to their history (its listener is
switched on by create_app).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row

from app.clock import local_today
from app.domain import gate, progression, triage
from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachAction, Exercise, ExerciseLog, TrainingSession
from app.per_page import once_per_page

ENGINE_ACTIONS = ("pause", "resume", "set_stage", "set_threshold", "set_sessions_to_advance")


def settings_for(profile: AthleteProfile | None) -> progression.Settings:
    """The settings the program started with; coach changes are replayed from coach actions."""
    returning = profile is not None and profile.knee_status == "returning"
    return progression.Settings(return_to_run=returning)


def progress_for(profile: AthleteProfile, today: date | None = None) -> progression.ProgressState:
    """One athlete's progress today."""
    today = today or local_today(profile)
    return progress_for_many([profile], {profile.user_id: today})[profile.user_id]


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
    # Plain rows, not ORM objects: every page that shows the safety gate reads the whole history.
    rows = db.session.execute(
        db.select(TrainingSession.id, TrainingSession.athlete_id, TrainingSession.local_date,
                  TrainingSession.finished_at, TrainingSession.stage, TrainingSession.kind,
                  TrainingSession.run_level, TrainingSession.run_pain,
                  ExerciseLog.pain, ExerciseLog.skipped, ExerciseLog.skip_reason,
                  ExerciseLog.sets, ExerciseLog.reps, Exercise.name)
        .outerjoin(ExerciseLog, ExerciseLog.session_id == TrainingSession.id)
        .outerjoin(Exercise, Exercise.id == ExerciseLog.exercise_id)
        .where(TrainingSession.athlete_id.in_(ids), TrainingSession.finished_at.is_not(None))
        .order_by(TrainingSession.id, ExerciseLog.position)
    ).all()
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
    checkin = db.session.scalar(
        db.select(CheckIn).where(CheckIn.athlete_id == athlete_id, CheckIn.local_date <= today)
        .order_by(CheckIn.local_date.desc()).limit(1))
    if checkin is None:
        return None
    return checkin_facts(checkin.local_date, checkin.status, checkin.pain_now, checkin.red_flags,
                         checkin.calf_breathless, checkin.swelling)


def checkin_facts(local_date, status, pain_now, red_flags, calf_breathless, swelling) -> gate.CheckinFacts:
    """A check-in's columns as the gate reads them (the reminder sweep reads them in bulk)."""
    urgency = triage.urgency_of(red_flags, calf_breathless, swelling)
    advice = triage.urgency_guidance(urgency, red_flags, calf_breathless) if urgency else None
    return gate.CheckinFacts(local_date, status, pain_now, urgency is not None, urgency, advice)


def _ran_recently(athlete_id: int, today: date) -> bool:
    """A walk–run was logged today or yesterday (the ladder's rest day)."""
    return db.session.scalar(
        db.select(TrainingSession.id).where(
            TrainingSession.athlete_id == athlete_id, TrainingSession.kind == "run",
            TrainingSession.finished_at.is_not(None),
            TrainingSession.local_date.between(today - timedelta(days=1), today)).limit(1)
    ) is not None


def _checkin_records(ids: list[int]) -> dict[int, list[progression.CheckinRecord]]:
    rows = db.session.execute(
        db.select(CheckIn.athlete_id, CheckIn.local_date, CheckIn.pain_now, CheckIn.status,
                  CheckIn.swelling, CheckIn.after_session)
        .where(CheckIn.athlete_id.in_(ids))
    ).all()
    records: dict[int, list] = defaultdict(list)
    for athlete_id, day, pain_now, status, swelling, after in rows:
        records[athlete_id].append(progression.CheckinRecord(
            local_date=day, pain_now=pain_now, status=status, swelling=swelling, after_session=after))
    return records


def _action_records(ids: list[int], profiles: dict[int, AthleteProfile]) -> dict[int, list[progression.CoachAction]]:
    rows = db.session.scalars(
        db.select(CoachAction)
        .where(CoachAction.athlete_id.in_(ids), CoachAction.kind.in_(ENGINE_ACTIONS))
        .order_by(CoachAction.created_at, CoachAction.id)
    ).all()
    records: dict[int, list] = defaultdict(list)
    for action in rows:
        zone = ZoneInfo(profiles[action.athlete_id].timezone)
        local_day = action.created_at.replace(tzinfo=UTC).astimezone(zone).date()
        records[action.athlete_id].append(progression.CoachAction(
            at=action.created_at, kind=action.kind, value=action.value,
            by=action.coach_name, local_date=local_day))
    return records
