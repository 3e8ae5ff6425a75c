"""Training fixtures: helpers to log sessions through the routes."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from app.clock import local_today
from app.extensions import db
from app.models import CheckIn, Exercise, ExerciseLog, TrainingSession


def today() -> date:
    """The test athletes' today (the suite's frozen clock, read the way the app reads it)."""
    return local_today(None)


def start(client, **data) -> int:
    """Start a session through the route; its id."""
    response = client.post("/training/sessions", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(re.search(r"/training/sessions/(\d+)$", response.headers["Location"]).group(1))


def slugs(app, session_id: int) -> list[str]:
    with app.app_context():
        record = db.session.get(TrainingSession, session_id)
        return [log.exercise.slug for log in record.logs]


def log_all(client, app, session_id: int, pain: int = 0, hurt: str | None = None, hurt_pain: int = 0):
    """Log every exercise of a session with `pain` (and `hurt_pain` for the `hurt` one)."""
    for slug in slugs(app, session_id):
        response = client.post(f"/training/sessions/{session_id}/exercises/{slug}",
                               data={"sets": "3", "reps": "10", "seconds": "30",
                                     "pain": str(hurt_pain if slug == hurt else pain)})
        assert response.status_code == 303, response.get_data(as_text=True)


def back_date(app, session_id: int, days: int) -> None:
    """Move a session `days` into the past, as if logged then (the test clock)."""
    with app.app_context():
        record = db.session.get(TrainingSession, session_id)
        record.local_date -= timedelta(days=days)
        record.finished_at = record.finished_at - timedelta(days=days) if record.finished_at else None
        db.session.commit()


def insert_finished(app, athlete_id: int, day: date, stage: int = 1, pain: int = 0, kind="strength"):
    """A finished session straight in the database (two exercises of the stage)."""
    with app.app_context():
        exercises = db.session.scalars(db.select(Exercise).where(
            Exercise.kind == "strength", Exercise.stage == stage).order_by(Exercise.position).limit(2)).all()
        record = TrainingSession(athlete_id=athlete_id, local_date=day, stage=stage, kind=kind,
                                 finished_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=8))
        for position, exercise in enumerate(exercises):
            record.logs.append(ExerciseLog(exercise_id=exercise.id, position=position, sets=3,
                                           reps=10, pain=pain if position else 0))
        db.session.add(record)
        db.session.commit()
        return record.id


def add_checkin(app, athlete_id: int, day: date, status: str, pain_now: int = 0) -> None:
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athlete_id, local_date=day, pain_now=pain_now, status=status))
        db.session.commit()


def green_days(app, athlete_id: int, *days_ago: int) -> None:
    """Calm green check-ins on those days: sessions count only on green days, and a streak's
    last session waits for the next morning's check-in (the safety gate, rules 4 and 5)."""
    for n in days_ago:
        add_checkin(app, athlete_id, today() - timedelta(days=n), "green")
