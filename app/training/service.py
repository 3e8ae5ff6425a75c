"""Training's database work: sessions and their logs, read and written for one athlete."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort
from sqlalchemy import Row, bindparam
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.domain import training
from app.domain.gate import Offer
from app.domain.progression import STAGES, ProgressState, SessionRecord
from app.extensions import db
from app.models import AthleteProfile, Exercise, ExerciseLog, TrainingSession, utcnow
from app.per_page import known_on_this_page
from app.progress import finished_sessions, offer_for, progress_for, remembered
from app.library import library


MAX_ID = 2**31 - 1  # the largest INTEGER primary key on PostgreSQL


@dataclass(frozen=True)
class TrainingDay:
    """Everything the Training page shows for one athlete today."""

    today: date
    state: ProgressState
    offer: Offer  # the safety gate's answer: what may be offered today, and why not the rest
    plan: training.Plan | None  # the strength session, when the gate offers one
    week_note: str
    open_session: Row | None
    done_today: bool


def own_session(athlete_id: int, session_id: int) -> TrainingSession:
    """The athlete's own session with its logs and exercises, or 404 — never anyone else's."""
    if not 0 < session_id <= MAX_ID:  # the URL takes any number; the column doesn't
        abort(404)
    session = db.session.scalar(OWN_SESSION, {"session_id": session_id, "athlete_id": athlete_id})
    if session is None:
        abort(404)
    return session


@dataclass(frozen=True)
class LoggedExercise:
    """One exercise of a finished session, as its page shows it."""

    slug: str
    name: str
    sets: int | None
    reps: int | None
    seconds: int | None
    pain: int | None
    skipped: bool


@dataclass(frozen=True)
class FinishedSession:
    """A finished session as its page shows it: what was logged, in the order it was shown."""

    id: int
    local_date: date
    stage: int
    kind: str
    run_level: int | None
    run_pain: int | None
    logs: tuple[LoggedExercise, ...]


def finished_session(athlete_id: int, session_id: int) -> FinishedSession | None:
    """The athlete's own finished session, or None when it is no finished session of theirs
    (remembered between their pages: a finished session changes only when it is deleted, a
    write that gives them a new generation)."""
    if session_id not in {record.id for record in finished_sessions(athlete_id)}:
        return None
    return remembered(("finished-session", session_id), athlete_id,
                      lambda: _finished_session(athlete_id, session_id))


def _finished_session(athlete_id: int, session_id: int) -> FinishedSession | None:
    """The session read afresh; None when it went in the meantime (deleted by another request)."""
    rows = db.session.execute(FINISHED_SESSION, {"session_id": session_id, "athlete_id": athlete_id}).all()
    if not rows:
        return None
    first = rows[0]
    return FinishedSession(
        id=first.id, local_date=first.local_date, stage=first.stage, kind=first.kind, run_level=first.run_level,
        run_pain=first.run_pain, logs=tuple(
            LoggedExercise(row.slug, row.name, row.sets, row.reps, row.seconds, row.pain, row.skipped)
            for row in rows if row.slug is not None))


FINISHED_SESSION = (  # a finished session's page: one statement, built once
    db.select(TrainingSession.id, TrainingSession.local_date, TrainingSession.stage, TrainingSession.kind,
              TrainingSession.run_level, TrainingSession.run_pain, Exercise.slug, Exercise.name, ExerciseLog.sets,
              ExerciseLog.reps, ExerciseLog.seconds, ExerciseLog.pain, ExerciseLog.skipped)
    .outerjoin(ExerciseLog, ExerciseLog.session_id == TrainingSession.id)
    .outerjoin(Exercise, Exercise.id == ExerciseLog.exercise_id)
    .where(TrainingSession.id == bindparam("session_id"), TrainingSession.athlete_id == bindparam("athlete_id"),
           TrainingSession.finished_at.is_not(None))
    .order_by(ExerciseLog.position)
)


OWN_SESSION = (  # a session's page and every set saved in it ask: built once
    db.select(TrainingSession)
    .where(TrainingSession.id == bindparam("session_id"), TrainingSession.athlete_id == bindparam("athlete_id"))
    .options(selectinload(TrainingSession.logs).selectinload(ExerciseLog.exercise))
)


def training_day(profile: AthleteProfile, today: date | None = None) -> TrainingDay:
    """The athlete's stage, today's offer and this week's guidance."""
    today = today or local_today(profile)
    state = progress_for(profile, today)
    offer = offer_for(profile, today, state)
    recent = _recent_days(profile.user_id, today)
    plan = (training.plan(library(), state, offer, profile.equipment)
            if offer.allows("strength") else None)
    return TrainingDay(
        today=today, state=state, offer=offer, plan=plan,
        week_note=training.week_note((day for day, _ in recent), today),
        open_session=open_session(profile.user_id),
        done_today=any(day == today for day, _ in recent),
    )


def _recent_days(athlete_id: int, today: date) -> set[tuple[date, str]]:
    """(day, kind) of the finished sessions of the last week."""
    since = today - timedelta(days=7)
    return {(session.local_date, session.kind) for session in finished_sessions(athlete_id) if session.local_date >= since}


def open_session(athlete_id: int) -> Row | None:
    """The athlete's unfinished session, if one was started, as a row with TrainingSession's
    columns (a GET of Today or Training shows it and lists it among the pages kept offline:
    remembered between pages)."""
    return remembered("open-session", athlete_id,
                      lambda: db.session.execute(OPEN_SESSION, {"athlete_id": athlete_id}).first())


def open_session_if_shown(athlete_id: int) -> Row | None:
    """The open session if this page already read it (Today, Training), else None: no query."""
    return known_on_this_page(("open-session", athlete_id), None)


OPEN_SESSION = (  # built once
    db.select(*TrainingSession.__table__.columns)
    .where(TrainingSession.athlete_id == bindparam("athlete_id"), TrainingSession.finished_at.is_(None))
    .order_by(TrainingSession.started_at.desc(), TrainingSession.id.desc()).limit(1)
)


def recent_sessions(athlete_id: int, limit: int = 5) -> list[SessionRecord]:
    """The latest finished sessions, newest first: from the finished sessions the page's progress
    reads anyway (remembered between the athlete's pages), not a query of their own."""
    newest = sorted(finished_sessions(athlete_id), key=lambda record: (record.local_date, record.finished_at),
                    reverse=True)
    return newest[:limit]


def start_session(athlete_id: int, plan: training.Plan, day: date) -> TrainingSession:
    """Create a session with one log per exercise, pre-filled from its dose."""
    rows = {e.slug: e for e in db.session.scalars(
        db.select(Exercise).where(Exercise.slug.in_([e.slug for e in plan.exercises])))}
    session = TrainingSession(athlete_id=athlete_id, local_date=day, stage=plan.stage,
                              kind=plan.kind, run_level=plan.run_level)
    for position, exercise in enumerate(plan.exercises):
        session.logs.append(ExerciseLog(
            exercise_id=rows[exercise.slug].id, position=position, sets=exercise.sets,
            reps=exercise.reps, seconds=exercise.seconds, pain=None, skipped=False))
    db.session.add(session)
    db.session.commit()
    return session


def log_for(session: TrainingSession, slug: str) -> ExerciseLog | None:
    """The session's log of one exercise, or None when it isn't part of this session."""
    return next((log for log in session.logs if log.exercise.slug == slug), None)


def save_log(log: ExerciseLog, sets, reps, seconds, pain, skip_reason: str | None) -> None:
    """Store what was done of one exercise (reps or seconds, whichever its dose uses), or that
    it was skipped and why."""
    amount = ("reps", reps) if log.exercise.reps is not None else ("seconds", seconds)
    for name, value in (("sets", sets), amount):
        if value is not None:  # a skipped exercise may leave them empty: keep the dose
            setattr(log, name, value)
    log.pain = None if skip_reason else pain
    log.skipped, log.skip_reason = bool(skip_reason), skip_reason or None
    db.session.commit()


def save_run(session: TrainingSession, pain: int | None) -> None:
    """Store the pain felt during a walk–run."""
    session.run_pain = pain
    db.session.commit()


def unrated(session: TrainingSession) -> list[str]:
    """Names of what still needs a pain score (or, for an exercise, a tick as skipped)."""
    if session.kind == "run":
        return [] if session.run_pain is not None else ["the walk–run"]
    return [log.exercise.name for log in session.logs if log.pain is None and not log.skipped]


def finish(session: TrainingSession) -> None:
    session.finished_at = utcnow()
    db.session.commit()


def delete(session: TrainingSession) -> None:
    db.session.delete(session)
    db.session.commit()


def verdict(profile: AthleteProfile, session: FinishedSession) -> training.VerdictView | None:
    """A finished session's verdict in plain words, from the whole history replayed."""
    state = progress_for(profile)
    found = state.verdicts.get(session.id)
    if found is None:
        return None
    advance = next((e for e in state.events if e.session_id == session.id and e.kind == "advance"),
                   None)
    return training.explain(found, state, advance)


def today_card(profile: AthleteProfile, today: date | None = None) -> dict:
    """The variables templates/training/_today_card.html needs."""
    day = training_day(profile, today)
    return {"progress": day.state, "stage_name": STAGES[day.state.stage][0],
            "today_session": day.open_session, "done_today": day.done_today,
            "week_note": day.week_note, "offer": day.offer}
