"""No training-day reminder on a day the safety gate says stop (a red flag): the sweep asks
app.domain.gate.from_checkins with the newest check-in on or before the athlete's day."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import CheckIn, ReminderDue, ReminderSend
from tests.reminders.conftest import run_sweep

MONDAY_1730_LONDON = datetime(2026, 6, 1, 16, 30)
TRAINING = "Training day: see what your knee is ready for"


def _checkin(app, athlete, day, **fields):
    values = {"pain_now": 1, "status": "green", **fields}
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athlete, local_date=day, **values))
        db.session.commit()


def _training_sends(app):
    with app.app_context():
        return [(s.local_day, s.status, s.message) for s in db.session.scalars(
            db.select(ReminderSend).where(ReminderSend.kind == "training").order_by(ReminderSend.id))]


def _subjects(inbox):
    return [m.message["Subject"] for m in inbox.messages]


@pytest.mark.parametrize("checkins, sent", [
    ([], True),  # no check-in: the Training page says what today offers
    ([(date(2026, 6, 1), {"red_flags": ["locks_or_gives_way"], "status": "red", "pain_now": 3})], False),
    ([(date(2026, 6, 1), {"swelling": "obvious", "status": "red"})], False),  # swelling is a red flag too
    ([(date(2026, 5, 30), {"red_flags": ["cannot_bear_weight"], "status": "red"})], False),  # not cleared since
    ([(date(2026, 5, 30), {"red_flags": ["cannot_bear_weight"], "status": "red"}),
      (date(2026, 6, 1), {})], True),  # a check-in without a flag today clears it
    ([(date(2026, 6, 1), {"pain_now": 7, "status": "red"})], True),  # a red day offers recovery: not "stop"
    ([(date(2026, 6, 2), {"red_flags": ["locks_or_gives_way"], "status": "red"})], True),  # a later day's
], ids=["no-checkin", "flag-today", "swelling-today", "flag-earlier", "flag-cleared", "red-no-flag",
        "flag-after"])
def test_the_training_reminder_waits_for_the_safety_gate(mail_app, athlete, inbox, checkins, sent):
    for day, fields in checkins:
        _checkin(mail_app, athlete, day, **fields)
    result = run_sweep(mail_app, MONDAY_1730_LONDON)
    assert (TRAINING in _subjects(inbox)) is sent
    if not sent:
        assert result.quiet == 1 and _training_sends(mail_app) == []
    with mail_app.app_context():  # moved on to Wednesday either way, never stuck
        assert db.session.get(ReminderDue, (athlete, "training")).due_at == datetime(2026, 6, 3, 16, 30)


def test_the_reminder_comes_back_once_a_check_in_clears_the_flag(mail_app, athlete, inbox):
    _checkin(mail_app, athlete, date(2026, 6, 1), red_flags=["locks_or_gives_way"], status="red")
    run_sweep(mail_app, MONDAY_1730_LONDON)
    _checkin(mail_app, athlete, date(2026, 6, 3))  # Wednesday, no flag
    run_sweep(mail_app, MONDAY_1730_LONDON + timedelta(days=2))
    assert _training_sends(mail_app) == [(date(2026, 6, 3), "sent", "training")]


def test_asking_the_gate_costs_no_query_per_athlete(mail_app, make_user, inbox, statements):
    """The newest check-in is read in the due rows' own statement: a batch of 1 and a batch of
    12 athletes (some flagged) run the same statements."""
    from app.reminders.schedule import reschedule, settings_for
    from app.reminders.sweep import sweep

    def cost(count: int, offset: int) -> int:
        ids = [make_user(email=f"r{offset + n}@example.com", timezone="Europe/London") for n in range(count)]
        with mail_app.app_context():
            for n, user_id in enumerate(ids):
                reschedule(settings_for(user_id), datetime(2026, 5, 31, 20))
                if n % 2:
                    db.session.add(CheckIn(athlete_id=user_id, local_date=date(2026, 6, 1), pain_now=2,
                                           status="red", red_flags=["locks_or_gives_way"]))
            db.session.execute(db.update(ReminderDue).where(ReminderDue.kind == "daily")
                               .values(due_at=datetime(2026, 6, 2, 6, 30), local_day=date(2026, 6, 2)))
            db.session.commit()
            with statements() as seen:
                sweep(MONDAY_1730_LONDON, batch=50)
            db.session.execute(db.delete(ReminderDue))
            db.session.commit()
        return len([s for s in seen if "smtp" not in s.lower()])

    assert cost(1, 0) == cost(12, 100)
