"""Outcome-measure fixtures: an athlete who started on a fixed day, a linked and an unlinked
coach, a movable "today", and quick ways to answer a round."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from app.extensions import db
from app.models import CheckIn, CoachLink, OutcomeResponse, utcnow

START = date(2026, 3, 2)
# Kujala item choices (option indices) worth 84 and 98 points; see tests/unit/test_outcomes.py.
AKPS_84 = dict(zip(("limp", "support", "walking", "stairs", "squatting", "running", "jumping", "sitting", "pain",
                    "swelling", "kneecap", "thigh", "flexion"), map(str, (0, 0, 0, 1, 1, 2, 1, 1, 1, 1, 0, 0, 0))))
AKPS_98 = {**{key: "0" for key in AKPS_84}, "stairs": "1"}  # 100 − 2 (slight pain descending)


@dataclass
class Clock:
    day: date

    def set(self, day: date) -> None:
        self.day = day


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Every athlete's local today, pinned and movable."""
    clock = Clock(START)
    monkeypatch.setattr("app.profile.access.local_today", lambda profile: clock.day)
    monkeypatch.setattr("app.outcomes.coach_routes.local_today", lambda profile: clock.day)
    return clock


@dataclass
class People:
    athlete: int
    coach: int
    stranger: int


@pytest.fixture
def people(app, make_user, clock) -> People:
    athlete = make_user(created_at=datetime(2026, 3, 2, 9, 0))
    coach = make_user(email="coach@example.com", name="Coach Sam", athlete=False, coach=True)
    stranger = make_user(email="stranger@example.com", name="Coach Stranger", athlete=False, coach=True)
    with app.app_context():
        db.session.add(CoachLink(coach_id=coach, athlete_id=athlete, status="active", responded_at=utcnow()))
        db.session.commit()
    return People(athlete, coach, stranger)


def baseline_form(akps=AKPS_84, activities=("running downhill", "stairs", ""), ratings=("3", "5", "")) -> dict:
    data = dict(akps)
    for n, (name, rating) in enumerate(zip(activities, ratings), 1):
        data[f"activity_{n}"], data[f"rating_{n}"] = name, rating
    return data


def follow_up_form(akps=AKPS_98, ratings=("7", "8"), groc="5") -> dict:
    data = dict(akps, groc=groc)
    for n, rating in enumerate(ratings, 1):
        data[f"rating_{n}"] = rating
    return data


def stored(app, athlete_id: int) -> list[tuple[str, date, float]]:
    with app.app_context():
        return [(r.kind, r.local_date, r.score) for r in db.session.scalars(
            db.select(OutcomeResponse).where(OutcomeResponse.athlete_id == athlete_id)
            .order_by(OutcomeResponse.local_date, OutcomeResponse.kind))]


def add_pain(app, athlete_id: int, days: dict[date, int]) -> None:
    with app.app_context():
        for day, pain in days.items():
            db.session.add(CheckIn(athlete_id=athlete_id, local_date=day, pain_now=pain,
                                   status="green" if pain <= 2 else "amber"))
        db.session.commit()
