"""Coaching fixtures: the cast of the authorization matrix, built fast (one password hash per
run) and signed in by session, since sign-in itself is tested in tests/test_auth.py."""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachLink, Exercise, ExerciseLog, TrainingSession, User, utcnow

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def password_hash():
    from app.auth.passwords import hash_password

    return hash_password(PASSWORD)


@dataclass
class Cast:
    athlete: int
    other_athlete: int
    coach: int  # linked to the athlete
    stranger: int  # a coach with no link to anyone
    former: int  # was linked to the athlete; the link has ended
    pending: int  # has invited someone; nobody has accepted yet
    link: int  # coach ↔ athlete
    former_link: int
    other_link: int  # coach ↔ other athlete
    invitation: int  # the pending coach's open invitation
    code: str  # its stored code


def add_user(password_hash, email, name, athlete=True, coach=False, profile=True, **fields) -> int:
    user = User(email=email, display_name=name, password_hash=password_hash, is_athlete=athlete, is_coach=coach)
    db.session.add(user)
    db.session.flush()
    if athlete and profile:
        values = {"runner_type": "general", "knee_status": "none", "timezone": "UTC", **fields}
        db.session.add(AthleteProfile(user_id=user.id, **values))
    return user.id


def add_link(coach, athlete, status="active", **fields) -> int:
    now = utcnow()
    link = CoachLink(coach_id=coach, athlete_id=athlete, status=status, responded_at=now,
                     ended_at=now if status == "ended" else None, **fields)
    db.session.add(link)
    db.session.flush()
    return link.id


@pytest.fixture
def cast(app, password_hash) -> Cast:
    with app.app_context():
        athlete = add_user(password_hash, "riley@example.com", "Riley Runner")
        other = add_user(password_hash, "olive@example.com", "Olive Other")
        coach = add_user(password_hash, "coach@example.com", "Coach Sam", athlete=False, coach=True)
        stranger = add_user(password_hash, "stranger@example.com", "Coach Stranger", athlete=False, coach=True)
        former = add_user(password_hash, "former@example.com", "Coach Former", athlete=False, coach=True)
        pending = add_user(password_hash, "pending@example.com", "Coach Pending", athlete=False, coach=True)
        link = add_link(coach, athlete)
        former_link = add_link(former, athlete, status="ended")
        other_link = add_link(coach, other)
        now = utcnow()
        invitation = CoachLink(coach_id=pending, status="invited", invite_code="7Q4MX2PD", created_at=now,
                               expires_at=now + timedelta(days=7))
        db.session.add(invitation)
        db.session.commit()
        return Cast(athlete, other, coach, stranger, former, pending, link, former_link, other_link,
                    invitation.id, "7Q4MX2PD")


def sign_in_as(client, app, user_id: int | None) -> None:
    """Sign a test client in as a user (None: sign out)."""
    with app.app_context():
        token = db.session.get(User, user_id).session_token if user_id else None
    with client.session_transaction() as session:
        session.clear()
        if token:
            session["_user_id"] = token
            session["_fresh"] = True


@pytest.fixture
def login(client, app):
    return lambda user_id: sign_in_as(client, app, user_id)


def add_checkin(athlete_id: int, day: date, pain_now: int = 1, status: str | None = None, **fields) -> int:
    status = status or ("red" if pain_now >= 6 or fields.get("red_flags") else "amber" if pain_now >= 3 else "green")
    checkin = CheckIn(athlete_id=athlete_id, local_date=day, pain_now=pain_now, status=status, **fields)
    db.session.add(checkin)
    db.session.commit()
    return checkin.id


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)


def text(response) -> str:
    """A response's page as a person reads it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def exercises_by_stage() -> dict[int, list[Exercise]]:
    rows = db.session.scalars(db.select(Exercise).where(Exercise.kind == "strength").order_by(Exercise.position))
    by_stage: dict[int, list[Exercise]] = {}
    for exercise in rows:
        by_stage.setdefault(exercise.stage, []).append(exercise)
    return by_stage


def log_session(athlete_id: int, day: date, stage: int, pains: list[int | None], kind: str = "strength",
                run_level: int | None = None) -> TrainingSession:
    moment = datetime.combine(day, datetime.min.time()) + timedelta(hours=18)
    session = TrainingSession(athlete_id=athlete_id, local_date=day, stage=stage, kind=kind, run_level=run_level,
                              started_at=moment - timedelta(minutes=30), finished_at=moment)
    for position, (exercise, pain) in enumerate(zip(exercises_by_stage()[min(stage, 4)], pains)):
        session.logs.append(ExerciseLog(exercise_id=exercise.id, position=position, sets=2, reps=10, pain=pain,
                                        skipped=pain is None))
    db.session.add(session)
    return session
