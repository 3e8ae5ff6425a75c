"""Four weeks of training history for the demo athletes: advances, holds and a step back.

Each session is logged at the stage the engine showed that day, as the app would have.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from app.clock import local_today
from app.domain import training
from app.extensions import db
from app.models import AthleteProfile, Exercise, ExerciseLog, TrainingSession, User
from app.progress import offer_for, progress_for
from app.library import library

# Per demo athlete: (days ago, pain in the session's second exercise). Everything else pain-free.
HISTORIES = {
    # Niggles: up to Stage 2, a hold, up to Stage 3, another hold, two pain-free since.
    "maya@demo.kneeready.app": ((27, 0), (25, 0), (22, 0), (20, 0), (18, 3), (15, 0), (13, 0),
                                (11, 0), (8, 0), (6, 2), (4, 0), (1, 0)),
    # Returning: up to Stage 2, pain 5 steps back, climbs to Stage 3 and is due the entry test.
    "leo@demo.kneeready.app": ((27, 0), (26, 0), (24, 0), (22, 5), (20, 0), (18, 0), (17, 0),
                               (15, 0), (13, 0), (11, 0), (8, 0), (6, 0), (4, 0)),
    # Prevention, once a week: up to Stage 2, then a hold.
    "ana@demo.kneeready.app": ((26, 0), (19, 0), (12, 0), (5, 1), (2, 0)),
}
DEFAULT = ((20, 0), (17, 0), (13, 0), (9, 2), (5, 0), (2, 0))


def checked_in_days(email: str) -> frozenset[int]:
    """Days ago the athlete checks in for sure: each session day and the morning after it."""
    return frozenset(d - after for d, _pain in HISTORIES.get(email, DEFAULT) for after in (0, 1))


def add_training_history(emails) -> None:
    """Log the demo sessions of each athlete (by email), oldest first."""
    profiles = db.session.scalars(
        db.select(AthleteProfile).join(User).where(User.email.in_(list(emails)))).all()
    exercise_ids = dict(db.session.execute(db.select(Exercise.slug, Exercise.id)).all())
    for profile in profiles:
        today = local_today(profile)
        for days_ago, pain in HISTORIES.get(profile.user.email, DEFAULT):
            day = today - timedelta(days=days_ago)
            state = progress_for(profile, day)
            offer = offer_for(profile, day, state)
            if not offer.allows("strength"):
                continue  # a red day: the app offers no session, so none is logged
            plan = training.plan(library(), state, offer, profile.equipment)
            db.session.add(_session(profile.user_id, day, plan, pain, exercise_ids))
            db.session.commit()


def _session(athlete_id: int, day, plan: training.Plan, pain: int, exercise_ids) -> TrainingSession:
    """A finished session of the plan, pain-free except `pain` in its second exercise."""
    started = datetime.combine(day, time(17, 30))
    session = TrainingSession(athlete_id=athlete_id, local_date=day, stage=plan.stage,
                              kind=plan.kind, started_at=started,
                              finished_at=started + timedelta(minutes=18))
    for position, exercise in enumerate(plan.exercises):
        session.logs.append(ExerciseLog(
            exercise_id=exercise_ids[exercise.slug], position=position, sets=exercise.sets,
            reps=exercise.reps, seconds=exercise.seconds, pain=pain if position == 1 else 0))
    return session
