"""Demo history: four weeks of honest check-ins and warm-ups for each demo athlete."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from app.checkin import service
from app.clock import local_today
from app.demo import ATHLETES, create_demo_data
from app.domain.warmup import RunnerProfile, build_warmup
from app.extensions import db
from app.library import library
from app.models import AthleteProfile, CheckIn, User, WarmupLog


def test_demo_athletes_have_four_weeks_of_varied_history(app):
    with app.app_context():
        create_demo_data("demo password 123")
        create_demo_data("demo password 123")  # twice: the same demo, no duplicates
        statuses = Counter()
        for email, *_ in ATHLETES:
            user = db.session.scalar(db.select(User).where(User.email == email))
            profile = db.session.get(AthleteProfile, user.id)
            today = local_today(profile)
            checkins = db.session.scalars(db.select(CheckIn).where(CheckIn.athlete_id == user.id)).all()
            days = {c.local_date for c in checkins}
            assert len(days) == len(checkins) and 12 <= len(checkins) < 28, email
            assert min(days) >= today - timedelta(days=27) and max(days) <= today
            for checkin in checkins:  # every stored status is what triage says
                assert service.verdict_of(checkin).status == checkin.status
            statuses.update(c.status for c in checkins)
            logs = db.session.scalars(db.select(WarmupLog).where(WarmupLog.athlete_id == user.id)).all()
            assert len(logs) >= 5, email
            for log in logs:
                routine = build_warmup(RunnerProfile(profile.runner_type, profile.equipment), log.built_for, library())
                assert [item["slug"] for item in log.items] == [i.exercise.slug for i in routine.items]
                assert log.local_date in days and log.routine_kind == routine.kind
        assert set(statuses) == {"green", "amber", "red"} and statuses["green"] > statuses["red"]
        leo = db.session.scalar(db.select(User).where(User.email == "leo@demo.kneeready.app"))
        assert service.checkin_of_day(leo.id, local_today(leo.profile)) is None  # left for the visitor
