"""Synthetic history for benchmarks: a coach with many athletes, each with `days` of
check-ins, warm-ups, strength sessions and a few coach actions, written with bulk inserts."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from app.auth.passwords import hash_password
from app.extensions import db
from app.models import (
    AthleteProfile, CheckIn, CoachAction, CoachLink, Exercise, ExerciseLog, TrainingSession, User,
    WarmupLog,
)

ZONES = ("Europe/London", "Europe/Lisbon", "America/New_York", "Australia/Sydney", "UTC")
RED_FLAG = ["locks_or_gives_way"]
BATCH = 5000


def build(athletes: int, days: int, today: date, seed: int = 7, tag: str = "bench",
          password_hash: str | None = None) -> int:
    """Insert a coach linked to `athletes` athletes with `days` days of history; the coach's id."""
    rng = random.Random(seed)
    password = password_hash or hash_password("bench password 1000")
    coach_id = _insert_returning_id(User, dict(email=f"coach@{tag}.example", display_name="Bench Coach",
                                               password_hash=password, is_athlete=False, is_coach=True,
                                               session_token=f"{tag}-coach"))
    ids = _athletes(athletes, password, rng, tag)
    _insert(CoachLink, [dict(coach_id=coach_id, athlete_id=i, status="active", responded_at=_at(today, -days))
                        for i in ids])
    exercises = _exercises_by_stage()
    rows: dict[type, list] = defaultdict(list)
    for athlete_id in ids:
        _history(rows, athlete_id, coach_id, days, today, rng)
    for model in (CheckIn, WarmupLog, CoachAction):
        _insert(model, rows[model])
    _sessions(rows[TrainingSession], exercises, rng)
    db.session.commit()
    return coach_id


def _athletes(count: int, password: str, rng: random.Random, tag: str) -> list[int]:
    users = [dict(email=f"athlete{n}@{tag}.example", display_name=f"Athlete {n:04d}", password_hash=password,
                  is_athlete=True, is_coach=False, session_token=f"{tag}-athlete-{n}") for n in range(count)]
    _insert(User, users)
    ids = list(db.session.scalars(db.select(User.id).where(User.email.like(f"athlete%@{tag}.example"))
                                  .order_by(User.id)))
    _insert(AthleteProfile, [dict(user_id=i, runner_type=rng.choice(("new", "long_distance", "trail")),
                                  knee_status=rng.choice(("none", "niggles", "returning")),
                                  timezone=rng.choice(ZONES)) for i in ids])
    return ids


def _history(rows, athlete_id: int, coach_id: int, days: int, today: date, rng: random.Random) -> None:
    """One athlete's days: a low everyday pain with the odd flare-up (the runners KneeReady is
    for: mostly 0–3/10, sometimes a few bad days), check-ins on most days, warm-ups on about
    half, strength sessions on most Mondays, Wednesdays and Fridays."""
    baseline, flare, stage, streak = rng.choice((0, 0, 1, 1, 2, 3)), 0, 1, 0
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        flare = rng.choice((3, 4, 5, 6)) if rng.random() < 0.03 else max(0, flare - 1)
        pain = min(10, baseline + flare + rng.choice((-1, 0, 0, 0, 1)) if baseline + flare else rng.choice((0, 0, 0, 1)))
        if rng.random() < 0.85:
            rows[CheckIn].append(_checkin(athlete_id, day, max(0, pain), rng, offset))
        if rng.random() < 0.55:
            rows[WarmupLog].append(dict(athlete_id=athlete_id, local_date=day, built_for="green", items=[],
                                        duration_seconds=400, planned_seconds=420, finished_at=_at(day, 7)))
        if day.weekday() in (0, 2, 4) and rng.random() < 0.8:
            session_pain = max(0, pain - 2) if rng.random() < 0.8 else max(0, pain)
            rows[TrainingSession].append((athlete_id, day, stage, session_pain))
            streak = streak + 1 if session_pain == 0 else 0
            if streak >= 3 and stage < 4:
                stage, streak = stage + 1, 0
    if rng.random() < 0.3:
        rows[CoachAction].append(dict(athlete_id=athlete_id, coach_id=coach_id, coach_name="Bench Coach",
                                      kind="set_threshold", value=1, created_at=_at(today, -days // 2)))


def _checkin(athlete_id: int, day: date, pain: int, rng: random.Random, age: int) -> dict:
    flags = RED_FLAG if rng.random() < 0.01 else []
    status = "red" if flags or pain >= 6 else ("amber" if pain >= 3 else "green")
    acknowledged = status == "red" and age > 2
    return dict(athlete_id=athlete_id, local_date=day, pain_now=pain, worst_pain=min(10, pain + 1),
                stiffness="none", swelling="none", locations=[], aggravators=[], red_flags=flags, note="",
                status=status, acknowledged_at=_at(day, 12) if acknowledged else None,
                created_at=_at(day, 6), updated_at=_at(day, 6))


def _sessions(sessions: list, exercises: dict[int, list[int]], rng: random.Random) -> None:
    """Insert sessions, then their exercise logs (ids read back in insertion order)."""
    _insert(TrainingSession, [dict(athlete_id=a, local_date=d, stage=s, kind="strength",
                                   started_at=_at(d, 17), finished_at=_at(d, 18))
                              for a, d, s, _ in sessions])
    if not sessions:
        return
    ids = list(db.session.scalars(db.select(TrainingSession.id).order_by(TrainingSession.id)))
    logs = []
    for session_id, (_, _, stage, pain) in zip(ids[-len(sessions):], sessions):
        for position, exercise_id in enumerate(exercises[stage][:6]):
            logs.append(dict(session_id=session_id, exercise_id=exercise_id, position=position, sets=2,
                             reps=10, pain=pain if position == 2 else min(pain, rng.choice((0, 0, 1))),
                             skipped=False))
    _insert(ExerciseLog, logs)


def _exercises_by_stage() -> dict[int, list[int]]:
    rows = db.session.execute(db.select(Exercise.stage, Exercise.id)
                              .where(Exercise.kind == "strength").order_by(Exercise.position)).all()
    by_stage: dict[int, list[int]] = defaultdict(list)
    for stage, exercise_id in rows:
        by_stage[stage].append(exercise_id)
    return by_stage


def _insert(model, rows: list[dict]) -> None:
    # Every row belongs to an athlete this build created, in this transaction: no kept snapshot or
    # board card can be stale, so the inserts clear none (unnamed, each batch would clear all).
    for start in range(0, len(rows), BATCH):
        db.session.execute(db.insert(model.__table__).execution_options(progress_athletes=[], board_athletes=[]),
                           rows[start:start + BATCH])


def _insert_returning_id(model, row: dict) -> int:
    return db.session.execute(db.insert(model.__table__).values(**row).returning(model.__table__.c.id)).scalar_one()


def _at(day: date, hour: int) -> datetime:
    """A naive UTC moment on a day (hour may be negative: days before)."""
    return datetime.combine(day, time()) + timedelta(hours=hour) if hour >= 0 else \
        datetime.combine(day + timedelta(days=hour), time())
