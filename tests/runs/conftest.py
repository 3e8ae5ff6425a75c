"""Fixtures for the run log: a signed-in athlete whose local today is fixed, and run rows."""
from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models import CheckIn, Run

TODAY = date(2026, 3, 20)


@pytest.fixture
def today(monkeypatch) -> date:
    """Pin every athlete's local today, so no test depends on the clock."""
    monkeypatch.setattr("app.profile.access.local_today", lambda profile: TODAY)
    return TODAY


@pytest.fixture
def athlete(make_user, auth, today) -> int:
    user_id = make_user()
    auth.signin()
    return user_id


@pytest.fixture
def add_run(app):
    def add(athlete_id: int, day: date, km: float | None = 5.0, minutes: int = 30, **fields) -> int:
        values = {"terrain": "road", "pain_during": 0, "source": "manual", **fields}
        with app.app_context():
            run = Run(athlete_id=athlete_id, local_date=day, distance_m=None if km is None else round(km * 1000),
                      duration_s=minutes * 60, **values)
            db.session.add(run)
            db.session.commit()
            return run.id
    return add


@pytest.fixture
def add_checkin(app):
    def add(athlete_id: int, day: date, pain_now: int = 1, status: str = "green", **fields) -> None:
        with app.app_context():
            db.session.add(CheckIn(athlete_id=athlete_id, local_date=day, pain_now=pain_now, status=status, **fields))
            db.session.commit()
    return add


@pytest.fixture
def stored_runs(app):
    def read(athlete_id: int) -> list[Run]:
        with app.app_context():
            return list(db.session.scalars(db.select(Run).where(Run.athlete_id == athlete_id).order_by(Run.id)))
    return read
