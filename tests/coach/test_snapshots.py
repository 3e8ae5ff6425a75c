"""Progress snapshots: always equal to a full replay of the engine, and invalidated by every
write that could change one."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from app.clock import local_today
from app.progress import snapshots
from app.progress.snapshots import Snapshot, snapshots_for
from app.extensions import db
from app.models import (
    AthleteProfile, CheckIn, CoachAction, Exercise, ExerciseLog, ProgressSnapshot, TrainingSession, User,
)
from app.progress import progress_for
from tests.fixtures.coaching import add_user, log_session
from tests.conftest import TEST_TODAY

TODAY = TEST_TODAY


@pytest.fixture(autouse=True)
def _listening(app):
    snapshots.listen()  # as registering the coach blueprint does


def random_history(athlete_id: int, rng: random.Random, days: int = 50) -> None:
    """A messy history: pain that comes and goes, red days, pauses and stage changes by a coach.

    Sessions are mostly logged at the stage the engine has reached, as the app would show it."""
    profile = db.session.get(AthleteProfile, athlete_id)
    for offset in range(days, -1, -1):
        day = TODAY - timedelta(days=offset)
        if rng.random() < 0.8:
            pain = rng.choice((0, 0, 0, 1, 1, 2, 3, 4, 6))
            db.session.add(CheckIn(athlete_id=athlete_id, local_date=day, pain_now=pain,
                                   status="red" if pain >= 6 else "amber" if pain >= 3 else "green",
                                   swelling=rng.choice(("none", "none", "none", "mild")),
                                   after_session=rng.choice((None, None, "same", "better", "worse"))))
        if rng.random() < 0.5:
            state = progress_for(profile, day)
            stage = state.stage if rng.random() < 0.85 else rng.randint(1, 4)
            pains = [rng.choice((0, 0, 0, 0, 0, 0, 1, 2, 3, 5, None)) for _ in range(4)]
            if stage == 5:
                log_session(athlete_id, day, 5, pains[:1], kind="run", run_level=state.run_level)
            else:
                log_session(athlete_id, day, stage, pains, kind="entry_test" if rng.random() < 0.1 else "strength")
        if rng.random() < 0.08:
            kind = rng.choice(("pause", "resume", "set_stage", "set_stage", "set_threshold", "set_sessions_to_advance"))
            value = {"set_stage": rng.randint(1, 5), "set_threshold": rng.randint(0, 2),
                     "set_sessions_to_advance": rng.randint(2, 5)}.get(kind)
            db.session.add(CoachAction(athlete_id=athlete_id, coach_name="Coach Sam", kind=kind, value=value,
                                       created_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=12)))
        db.session.commit()


def expected(profile: AthleteProfile) -> tuple:
    """What a snapshot must hold: the full replay "as of" the athlete's real today."""
    state = progress_for(profile, local_today(profile))
    setback = snapshots.setback_of(state)
    return (state.stage, state.run_level, state.streak, state.needed, state.paused,
            setback and (setback.kind, setback.local_date))


def held(snapshot: Snapshot) -> tuple:
    setback = snapshot.setback
    return (snapshot.stage, snapshot.run_level, snapshot.streak, snapshot.needed, snapshot.paused,
            setback and (setback.kind, setback.local_date))


def stored_state(athlete_id: int):
    db.session.expire_all()
    return db.session.scalar(db.select(ProgressSnapshot.state).where(ProgressSnapshot.athlete_id == athlete_id))


@pytest.fixture
def athletes(app, password_hash):
    zones = ("UTC", "Pacific/Auckland", "America/Los_Angeles", "Europe/London")
    with app.app_context():
        ids = [add_user(password_hash, f"a{n}@example.com", f"Athlete {n}", timezone=zones[n % 4],
                        knee_status="returning" if n % 5 == 0 else "niggles") for n in range(12)]
        db.session.commit()
    return ids


def test_snapshots_equal_a_full_replay_for_many_messy_histories(app, athletes):
    with app.app_context():
        for n, athlete_id in enumerate(athletes):
            random_history(athlete_id, random.Random(n))
        profiles = list(db.session.scalars(db.select(AthleteProfile).where(AthleteProfile.user_id.in_(athletes))))
        cold = snapshots_for([p.user_id for p in profiles])
        warm = snapshots_for([p.user_id for p in profiles])
        assert warm == cold  # the second read comes back from the table, unchanged
        stages = set()
        for profile in profiles:
            assert held(cold[profile.user_id]) == expected(profile), profile.user_id
            stages.add(cold[profile.user_id].stage)
        assert len(stages) > 2, f"the histories should be varied enough to test something: {stages}"


def test_a_snapshot_names_days_absolutely_so_it_stays_true_tomorrow(app, athletes):
    with app.app_context():
        log_session(athletes[1], TODAY - timedelta(days=1), 1, [0, 3])
        db.session.commit()
        profile = db.session.get(AthleteProfile, athletes[1])
        snapshot = snapshots_for([athletes[1]])[athletes[1]]
        assert snapshot.setback.kind == "hold"
        day = TODAY - timedelta(days=1)
        assert f"{day.day} {day.strftime('%B')}" in snapshot.setback.reason
        assert "yesterday" not in snapshot.summary
        for later in (1, 10):  # still what a full replay says on later days
            state = progress_for(profile, TODAY + timedelta(days=later))
            assert (state.stage, state.streak, state.needed, state.paused) == (
                snapshot.stage, snapshot.streak, snapshot.needed, snapshot.paused)


def cached(app, athlete_ids) -> None:
    with app.app_context():
        snapshots_for(athlete_ids)
        for athlete_id in athlete_ids:
            assert stored_state(athlete_id) is not None


WRITES = {
    "a new session": lambda a: log_session(a, TODAY, 1, [0, 3]),
    "a new check-in": lambda a: db.session.add(CheckIn(athlete_id=a, local_date=TODAY, pain_now=7, status="red")),
    "a coach sets the stage": lambda a: db.session.add(
        CoachAction(athlete_id=a, coach_name="Coach Sam", kind="set_stage", value=3)),
    "a new knee status": lambda a: setattr(db.session.get(AthleteProfile, a), "knee_status", "none"),
    "an exercise's pain edited": lambda a: setattr(db.session.scalar(
        db.select(ExerciseLog).join(TrainingSession).where(TrainingSession.athlete_id == a)), "pain", 4),
    "yesterday's check-in edited": lambda a: setattr(db.session.scalar(
        db.select(CheckIn).where(CheckIn.athlete_id == a)), "pain_now", 5),
    "a session deleted": lambda a: db.session.delete(db.session.scalar(
        db.select(TrainingSession).where(TrainingSession.athlete_id == a))),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_writes_to_the_history_invalidate_that_athlete_only(app, athletes, write):
    mine, other = athletes[0], athletes[1]
    with app.app_context():
        for athlete_id in (mine, other):
            log_session(athlete_id, TODAY - timedelta(days=1), 1, [0, 0])
            db.session.add(CheckIn(athlete_id=athlete_id, local_date=TODAY - timedelta(days=1), pain_now=1,
                                   status="green"))
        db.session.commit()
    cached(app, [mine, other])
    with app.app_context():
        write(mine)
        db.session.commit()
        assert stored_state(mine) is None
        assert stored_state(other) is not None
        profile = db.session.get(AthleteProfile, mine)
        assert held(snapshots_for([mine])[mine]) == expected(profile)


NOT_PROGRESS = {
    "a note": lambda a: db.session.add(CoachAction(athlete_id=a, coach_name="Coach Sam", kind="note", text="Hi")),
    "a check-in's free note": lambda a: setattr(db.session.scalar(
        db.select(CheckIn).where(CheckIn.athlete_id == a)), "note", "sore stairs"),
    "a red check-in acknowledged": lambda a: setattr(db.session.scalar(
        db.select(CheckIn).where(CheckIn.athlete_id == a)), "acknowledged_at", datetime(2026, 1, 1)),
    "the pain threshold mirrored": lambda a: setattr(db.session.get(AthleteProfile, a), "pain_threshold", 2),
}


@pytest.mark.parametrize("write", NOT_PROGRESS.values(), ids=NOT_PROGRESS.keys())
def test_writes_the_engine_does_not_read_keep_the_snapshot(app, athletes, write):
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athletes[0], local_date=TODAY, pain_now=7, status="red"))
        db.session.commit()
    cached(app, [athletes[0]])
    with app.app_context():
        write(athletes[0])
        db.session.commit()
        assert stored_state(athletes[0]) is not None


def test_bulk_statements_invalidate_the_athletes_they_name_or_everyone(app, athletes):
    cached(app, athletes[:3])
    with app.app_context():
        db.session.execute(db.insert(CheckIn), [dict(athlete_id=athletes[0], local_date=TODAY, pain_now=8,
                                                     status="red")])
        db.session.commit()
        assert stored_state(athletes[0]) is None and stored_state(athletes[1]) is not None
    cached(app, athletes[:3])
    with app.app_context():
        db.session.execute(db.update(TrainingSession).values(finished_at=None))
        db.session.commit()
        assert all(stored_state(a) is None for a in athletes[:3])


def test_renaming_an_exercise_invalidates_everyone(app, athletes):
    cached(app, athletes[:2])
    with app.app_context():
        exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "wall-sit"))
        original, exercise.name = exercise.name, "Wall squat hold"
        db.session.commit()
        try:
            assert all(stored_state(a) is None for a in athletes[:2])
        finally:  # the library is shared by the whole run
            db.session.scalar(db.select(Exercise).where(Exercise.slug == "wall-sit")).name = original
            db.session.commit()


def test_a_write_racing_a_dashboard_load_never_leaves_a_stale_snapshot(app, athletes):
    athlete_id = athletes[0]
    cached(app, [athlete_id])
    with app.app_context():
        log_session(athlete_id, TODAY, 1, [0])  # invalidates: generation 1, no state
        db.session.commit()
        generation = db.session.scalar(db.select(ProgressSnapshot.generation)
                                       .where(ProgressSnapshot.athlete_id == athlete_id))
        profile = db.session.get(AthleteProfile, athlete_id)
        old = Snapshot.of(progress_for(profile, snapshots.TIMELESS))
        log_session(athlete_id, TODAY, 1, [6])  # a write lands while the old state was being computed
        db.session.commit()
        snapshots._store({athlete_id: old}, {athlete_id: generation})
        assert stored_state(athlete_id) is None
        snapshots._store({athlete_id: old}, {})  # as if no row had been read at all
        assert stored_state(athlete_id) is None
        assert held(snapshots_for([athlete_id])[athlete_id]) == expected(profile)


def test_a_first_snapshot_racing_a_write_is_not_kept(app, athletes):
    athlete_id = athletes[2]
    with app.app_context():
        profile = db.session.get(AthleteProfile, athlete_id)
        old = Snapshot.of(progress_for(profile, snapshots.TIMELESS))  # read before any row existed
        db.session.add(CheckIn(athlete_id=athlete_id, local_date=TODAY, pain_now=9, status="red"))
        db.session.commit()
        snapshots._store({athlete_id: old}, {})
        assert stored_state(athlete_id) is None


def test_deleting_an_athlete_takes_the_snapshot_with_it(app, athletes):
    cached(app, athletes[:1])
    with app.app_context():
        db.session.delete(db.session.get(User, athletes[0]))
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(ProgressSnapshot)
                                 .where(ProgressSnapshot.athlete_id == athletes[0])) == 0


def test_snapshots_made_by_other_rules_are_made_again(app, athletes, monkeypatch):
    cached(app, athletes[:1])
    with app.app_context():
        assert stored_state(athletes[0])["rules"] == snapshots.RULES
        monkeypatch.setattr(snapshots, "RULES", "a-newer-engine")
        snapshots_for(athletes[:1])
        assert stored_state(athletes[0])["rules"] == "a-newer-engine"
