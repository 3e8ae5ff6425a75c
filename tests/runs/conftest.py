"""Fixtures for the run log: run and check-in rows (the athlete and today: tests/fixtures/day.py)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.extensions import db
from app.models import CheckIn, Run

TODAY = date(2026, 3, 20)  # the sample recordings in tests/data were made in the week before


@pytest.fixture
def today(frozen_clock) -> date:
    """The run log's tests live on TODAY: the clock moves there (a Friday; no test reads the weekday)."""
    frozen_clock.move_to(datetime.combine(TODAY, datetime.min.time(), UTC).replace(hour=12))
    return TODAY

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
