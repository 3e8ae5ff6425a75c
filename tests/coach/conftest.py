"""Fixtures of the coach's board tests."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import User
from tests.conftest import TEST_TODAY

UNICODE_NAMES = ("Émile Zola", "zoë Adams", "Åsa Berg", "Straße Runner", "ÆSIR", "100%_athlete")


@pytest.fixture
def roster(app, password_hash) -> tuple[int, list[int]]:
    """A coach with 70 athletes of three weeks' history, a few with names past ASCII: (coach, athletes)."""
    from bench.history import build

    with app.app_context():
        coach = build(athletes=70, days=21, today=TEST_TODAY, tag="kept", password_hash=password_hash)
        athletes = list(db.session.scalars(db.select(User.id).where(User.is_athlete.is_(True)).order_by(User.id)))
        for athlete_id, name in zip(athletes[::11], UNICODE_NAMES):
            db.session.get(User, athlete_id).display_name = name
        db.session.commit()
    return coach, athletes
