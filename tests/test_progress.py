"""Progress loaded from the database and judged by the engine, for one or many athletes."""
from __future__ import annotations

from datetime import date, datetime, timedelta


from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachAction, Exercise, ExerciseLog, TrainingSession
from app.progress import progress_for, progress_for_many

TODAY = date(2026, 11, 20)


def log_session(athlete_id: int, day: date, pains: list[int | None], stage: int = 1) -> None:
    exercises = db.session.scalars(
        db.select(Exercise).where(Exercise.kind == "strength", Exercise.stage == stage).limit(len(pains))).all()
    session = TrainingSession(athlete_id=athlete_id, local_date=day, stage=stage,
                              started_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=7),
                              finished_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=8))
    for position, (exercise, pain) in enumerate(zip(exercises, pains)):
        session.logs.append(ExerciseLog(exercise_id=exercise.id, position=position, sets=2, reps=10,
                                        pain=pain, skipped=pain is None))
    db.session.add(session)
    db.session.commit()


def green_days(athlete_id: int, *days: date) -> None:
    """Calm check-ins on those days: sessions count on green days, confirmed the next morning."""
    db.session.add_all(CheckIn(athlete_id=athlete_id, local_date=day, pain_now=0, status="green")
                       for day in days)
    db.session.commit()


def test_three_pain_free_days_advance_and_a_painful_one_holds(app, make_user):
    athlete = make_user()
    with app.app_context():
        green_days(athlete, *(TODAY - timedelta(days=offset) for offset in (4, 3, 2, 1)))
        for offset in (4, 3, 2):
            log_session(athlete, TODAY - timedelta(days=offset), [0, 0])
        profile = db.session.get(AthleteProfile, athlete)
        assert progress_for(profile, TODAY).stage == 2
        log_session(athlete, TODAY - timedelta(days=1), [0, 3], stage=2)
        state = progress_for(profile, TODAY)
        assert state.stage == 2 and state.streak == 0
        assert "3/10" in state.summary


def test_unfinished_sessions_do_not_count(app, make_user):
    athlete = make_user()
    with app.app_context():
        for offset in (4, 3, 2):
            log_session(athlete, TODAY - timedelta(days=offset), [0])
        db.session.execute(db.update(TrainingSession).values(finished_at=None))
        db.session.commit()
        assert progress_for(db.session.get(AthleteProfile, athlete), TODAY).stage == 1


def test_a_red_checkin_and_coach_actions_are_part_of_the_history(app, make_user):
    athlete = make_user()
    with app.app_context():
        db.session.add(CoachAction(athlete_id=athlete, coach_name="Coach Sam", kind="set_stage", value=3,
                                   created_at=datetime(2026, 11, 10, 9)))
        db.session.add(CheckIn(athlete_id=athlete, local_date=date(2026, 11, 15), pain_now=7, status="red"))
        db.session.commit()
        state = progress_for(db.session.get(AthleteProfile, athlete), TODAY)
        assert state.stage == 2
        assert [e.kind for e in state.events][-2:] == ["coach_set_stage", "step_back"]


def test_many_athletes_load_in_a_constant_number_of_queries(app, make_user, statements):
    def count_queries(n_athletes: int) -> int:
        ids = [make_user(email=f"a{n_athletes}-{i}@example.com") for i in range(n_athletes)]
        with app.app_context():
            for athlete in ids:
                log_session(athlete, TODAY - timedelta(days=1), [0, 1])
                db.session.add(CheckIn(athlete_id=athlete, local_date=TODAY, pain_now=1, status="green"))
            db.session.commit()
            profiles = db.session.scalars(db.select(AthleteProfile).where(AthleteProfile.user_id.in_(ids))).all()
            with statements() as seen:
                states = progress_for_many(profiles, {i: TODAY for i in ids})
            assert set(states) == set(ids)
            return len(seen)

    assert count_queries(2) == count_queries(12) == 3


def test_a_walk_run_counts_by_its_own_pain(app, make_user):
    athlete = make_user(knee_status="returning")
    with app.app_context():
        db.session.add(CoachAction(athlete_id=athlete, coach_name="Coach Sam", kind="set_stage", value=5,
                                   created_at=datetime(2026, 11, 10, 9)))
        green_days(athlete, date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18))
        finished = datetime(2026, 11, 16, 8)
        db.session.add_all([
            TrainingSession(athlete_id=athlete, local_date=date(2026, 11, 16), stage=5, kind="run",
                            run_level=1, run_pain=0, finished_at=finished),
            TrainingSession(athlete_id=athlete, local_date=date(2026, 11, 18), stage=5, kind="run",
                            run_level=2, run_pain=3, finished_at=finished + timedelta(days=2)),
        ])
        db.session.commit()
        state = progress_for(db.session.get(AthleteProfile, athlete), TODAY)
        assert (state.stage, state.run_level) == (5, 2)
        assert state.summary == "Held: Wednesday's session had pain 3/10 (the walk–run (level 2))"


def test_editing_or_deleting_a_past_log_is_recomputed(app, make_user):
    athlete = make_user()
    with app.app_context():
        green_days(athlete, *(TODAY - timedelta(days=offset) for offset in range(5)))
        for offset, pains in ((4, [0, 0]), (3, [0, 3]), (2, [0, 0]), (1, [0, 0])):
            log_session(athlete, TODAY - timedelta(days=offset), pains)
        profile = db.session.get(AthleteProfile, athlete)
        assert (progress_for(profile, TODAY).stage, progress_for(profile, TODAY).streak) == (1, 2)
        painful = db.session.scalar(db.select(ExerciseLog).where(ExerciseLog.pain == 3))
        db.session.delete(db.session.get(TrainingSession, painful.session_id))
        db.session.commit()
        assert (progress_for(profile, TODAY).stage, progress_for(profile, TODAY).streak) == (2, 0)
        tuesday = db.session.scalar(db.select(ExerciseLog).join(TrainingSession)
                                    .where(TrainingSession.local_date == TODAY - timedelta(days=2)).limit(1))
        tuesday.pain = 2
        db.session.commit()
        state = progress_for(profile, TODAY)
        assert (state.stage, state.streak, state.verdicts[tuesday.session_id].outcome) == (1, 1, "held")
