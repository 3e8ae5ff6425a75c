"""The coach board: "silent N days" from the nudge's 3-day mark, and "Reminders off" when no
reminder of any kind can reach the athlete. Read in the board's existing queries."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.extensions import db
from app.models import PushSubscription, ReminderSettings, WarmupLog
from tests.fixtures.coaching import add_checkin, text
from tests.coach.test_dashboard import card_of, count_dashboard_queries

DAY = date(2026, 3, 18)  # a Wednesday; the board's "today" for everyone in these tests


@pytest.fixture(autouse=True)
def fixed_today(frozen_clock):
    """Noon UTC on DAY: the same day in the cast's time zones."""
    frozen_clock.move_to(datetime.combine(DAY, time(12), UTC))


def _board(client, login, coach) -> str:
    login(coach)
    return text(client.get("/coach"))


@pytest.mark.parametrize("days_ago, badge", [(0, None), (2, None), (3, "Silent 3 days"), (9, "Silent 9 days")])
def test_silence_shows_from_the_third_day(client, app, cast, login, days_ago, badge):
    with app.app_context():
        add_checkin(cast.athlete, DAY - timedelta(days=days_ago), pain_now=1)
    card = card_of(_board(client, login, cast.coach), "Riley Runner")
    if badge is None:
        assert "badge-silent" not in card and "Silent" not in card
    else:
        assert f'<span class="badge badge-silent">{badge}</span>' in card


def test_any_logging_breaks_the_silence_and_never_logging_is_not_called_silent(client, app, cast, login):
    with app.app_context():
        add_checkin(cast.athlete, DAY - timedelta(days=6), pain_now=1)
        db.session.add(WarmupLog(athlete_id=cast.athlete, local_date=DAY - timedelta(days=1), built_for="green"))
        db.session.commit()
    page = _board(client, login, cast.coach)
    assert "Silent" not in card_of(page, "Riley Runner")
    olive = card_of(page, "Olive Other")  # nothing ever logged: the reasons say so instead
    assert "Silent" not in olive and "Nothing logged yet" in olive


def _settings(user_id: int, device: bool = False, **values) -> None:
    db.session.add(ReminderSettings(user_id=user_id, **values))
    if device:
        db.session.add(PushSubscription(user_id=user_id, endpoint=f"https://push.example/{user_id}",
                                        p256dh="k" * 87, auth="a" * 22))
    db.session.commit()


ALL_KINDS_OFF = {"checkin_on": False, "next_morning_on": False, "nudge_on": False, "training_on": False}


@pytest.mark.parametrize("settings, device, off", [
    (None, False, False),  # not stored yet: the defaults, which are on
    ({}, False, False),  # stored defaults: email on
    ({"email_on": False, "push_on": False}, False, True),
    ({"email_on": False, "push_on": True}, False, True),  # push on, but no phone subscribed
    ({"email_on": False, "push_on": True}, True, False),
    (ALL_KINDS_OFF, True, True),
    ({**ALL_KINDS_OFF, "nudge_on": True}, False, False),
    ({**ALL_KINDS_OFF, "training_on": True, "training_days": 0}, False, True),  # no weekday picked
    ({**ALL_KINDS_OFF, "training_on": True, "training_days": 0b0000101}, False, False),
    ({"snoozed_until": DAY}, False, False),  # a day's snooze is not "off"
], ids=["no-row", "defaults", "no-channel", "push-no-device", "push-device", "no-kind", "nudge-only",
        "training-no-days", "training-days", "snoozed"])
def test_reminders_off_shows_when_nothing_can_reach_the_athlete(client, app, cast, login, settings, device, off):
    with app.app_context():
        if settings is not None:
            _settings(cast.athlete, device, **settings)
    page = _board(client, login, cast.coach)
    card = card_of(page, "Riley Runner")
    assert ('<span class="badge badge-none">Reminders off</span>' in card) is off
    assert "Reminders off" not in card_of(page, "Olive Other")


def test_an_athlete_without_a_profile_gets_no_reminders_badge(client, app, cast, login, password_hash):
    from tests.fixtures.coaching import add_link, add_user

    with app.app_context():
        newcomer = add_user(password_hash, "new@example.com", "Nell Newcomer", profile=False)
        add_link(cast.coach, newcomer)
        _settings(newcomer, email_on=False, push_on=False)
    card = card_of(_board(client, login, cast.coach), "Nell Newcomer")
    assert "No running profile yet" in card and "Reminders off" not in card


def test_the_badges_cost_no_extra_query(client, app, cast, login, statements):
    login(cast.coach)
    _, warm = count_dashboard_queries(statements, client)
    with app.app_context():
        _settings(cast.athlete, email_on=False, push_on=False)
        _settings(cast.other_athlete, device=True, push_on=True)
        add_checkin(cast.athlete, DAY - timedelta(days=5), pain_now=1)
    assert count_dashboard_queries(statements, client)[1] == warm <= 9
    page = _board(client, login, cast.coach)
    assert "Reminders off" in card_of(page, "Riley Runner") and "Silent 5 days" in card_of(page, "Riley Runner")


def test_a_coach_with_no_link_sees_neither(client, app, cast, login):
    with app.app_context():
        _settings(cast.athlete, email_on=False, push_on=False)
    login(cast.stranger)
    page = text(client.get("/coach"))
    assert "Riley Runner" not in page and "Reminders off" not in page
