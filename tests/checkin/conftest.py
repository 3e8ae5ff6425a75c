"""Fixtures for the athlete's day: a signed-in athlete whose local today is fixed, and rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import CheckIn, TrainingSession, WarmupLog

TODAY = date(2026, 11, 20)


@pytest.fixture
def today(monkeypatch) -> date:
    """Pin every athlete's local today, so no test depends on the clock."""
    monkeypatch.setattr("app.profile.access.local_today", lambda profile: TODAY)
    return TODAY


@pytest.fixture
def athlete(make_user, auth, today) -> int:
    """A signed-in athlete (general runner, bodyweight only); returns their id."""
    user_id = make_user()
    auth.signin()
    return user_id


@dataclass
class Rows:
    """Rows written and read in their own app context (requests must not share one)."""

    app: Flask

    def add(self, *rows) -> None:
        with self.app.app_context():
            db.session.add_all(rows)
            db.session.commit()

    def checkin(self, athlete_id: int, day: date, pain_now: int = 0, status: str = "green", **fields) -> None:
        self.add(CheckIn(athlete_id=athlete_id, local_date=day, pain_now=pain_now, status=status, **fields))

    def session(self, athlete_id: int, day: date, finished: bool = True) -> None:
        start = datetime.combine(day, datetime.min.time()) + timedelta(hours=18)
        self.add(TrainingSession(athlete_id=athlete_id, local_date=day, stage=1, started_at=start,
                                 finished_at=start + timedelta(minutes=30) if finished else None))

    def checkins(self, athlete_id: int) -> list[CheckIn]:
        with self.app.app_context():
            return list(db.session.scalars(
                db.select(CheckIn).where(CheckIn.athlete_id == athlete_id).order_by(CheckIn.local_date)))

    def warmups(self, athlete_id: int) -> list[WarmupLog]:
        with self.app.app_context():
            return list(db.session.scalars(
                db.select(WarmupLog).where(WarmupLog.athlete_id == athlete_id).order_by(WarmupLog.id)))


@pytest.fixture
def rows(app) -> Rows:
    return Rows(app)
