"""Today: can I run today, and what should I do?"""
from __future__ import annotations

import html
from datetime import datetime, timedelta

import pytest

from app.models import CoachAction, CoachLink, WarmupLog
from tests.conftest import TEST_TODAY as TODAY


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_before_checking_in_today_asks_for_a_checkin(client, athlete):
    page = text(client.get("/today"))
    assert "Can I run today?" in page and "Check in first" in page
    assert 'href="/checkin"' in page and 'href="/warmup"' in page
    assert 'href="/exercises/"' in page and 'href="/profile"' in page


@pytest.mark.parametrize("pain, status, headline, button", [
    (1, "green", "Good to go: warm up first.", "Start your warm-up"),
    (4, "amber", "Run easy and short today.", "Start your warm-up"),
    (7, "red", "Don't run today.", "Gentle recovery routine"),
])
def test_after_checking_in_today_shows_the_verdict_and_the_way_on(client, rows, athlete, pain, status, headline, button):
    rows.checkin(athlete, TODAY, pain_now=pain, status=status)
    page = text(client.get("/today"))
    assert headline in page and button in page and "Check in first" not in page
    assert f'badge-{status}' in page and 'href="/checkin/result"' in page


def test_a_red_flag_shows_the_referral_on_today(client, rows, athlete):
    rows.checkin(athlete, TODAY, pain_now=0, status="red", red_flags=["hot_red_fever"])
    page = text(client.get("/today"))
    assert "Urgent — today." in page and "Possible infection. Get an urgent appointment today" in page
    assert "GP or physio" not in page


def test_streak_and_warm_ups_this_week(client, rows, athlete):
    for offset in (1, 2, 3, 5):  # today still open: the streak runs to yesterday
        rows.checkin(athlete, TODAY - timedelta(days=offset))
    monday = TODAY - timedelta(days=TODAY.weekday())
    for day in (monday, monday, TODAY - timedelta(days=TODAY.weekday() + 1)):  # the Sunday before doesn't count
        rows.add(WarmupLog(athlete_id=athlete, local_date=day, built_for="green", items=[]))
    page = text(client.get("/today"))
    assert "<dt>Check-in streak</dt><dd>3 days</dd>" in page
    assert "<dt>Warm-ups this week</dt><dd>2</dd>" in page
    rows.checkin(athlete, TODAY)
    assert "<dt>Check-in streak</dt><dd>4 days</dd>" in text(client.get("/today"))


def _note(rows, athlete, coach, text_, at, coach_id="same"):
    rows.add(CoachAction(athlete_id=athlete, coach_id=coach if coach_id == "same" else coach_id,
                         coach_name="Coach Sam", kind="note", text=text_, created_at=at))


@pytest.mark.parametrize("link_status, shown", [("active", True), ("ended", False), ("invited", False),
                                                 ("revoked", False), (None, False)])
def test_the_coachs_latest_note_shows_only_while_linked(client, rows, athlete, make_user, link_status, shown):
    coach = make_user(email="coach@example.com", athlete=False, coach=True)
    if link_status:
        rows.add(CoachLink(coach_id=coach, athlete_id=athlete, status=link_status))
    _note(rows, athlete, coach, "Older note", datetime(2026, 11, 18, 9))
    _note(rows, athlete, coach, "Easy week: keep the runs short.", datetime(2026, 11, 19, 9))
    rows.add(CoachAction(athlete_id=athlete, coach_id=coach, coach_name="Coach Sam", kind="pause",
                         created_at=datetime(2026, 11, 19, 10)))
    page = text(client.get("/today"))
    assert ("Easy week: keep the runs short." in page) is shown
    assert "Older note" not in page
    if shown:
        assert "From your coach" in page and "Coach Sam · Thu 19 Nov" in page


def test_a_note_from_a_deleted_coach_is_not_shown(client, rows, athlete, make_user):
    coach = make_user(email="coach@example.com", athlete=False, coach=True)
    rows.add(CoachLink(coach_id=coach, athlete_id=athlete, status="active"))
    _note(rows, athlete, coach, "Orphaned note", datetime(2026, 11, 19, 9), coach_id=None)
    assert "Orphaned note" not in text(client.get("/today"))


def test_another_athletes_coach_note_is_never_shown(client, rows, athlete, make_user):
    coach = make_user(email="coach@example.com", athlete=False, coach=True)
    other = make_user(email="other@example.com")
    rows.add(CoachLink(coach_id=coach, athlete_id=athlete, status="active"),
             CoachLink(coach_id=coach, athlete_id=other, status="active"))
    _note(rows, other, coach, "For someone else", datetime(2026, 11, 19, 9))
    assert "For someone else" not in text(client.get("/today"))


def test_today_shows_the_training_card(client, athlete):
    page = text(client.get("/today"))
    assert "Stage 1 · Calm & activate" in page
    assert "Start today's session" in page


def test_a_coach_only_account_sees_the_library(client, make_user, auth):
    make_user(athlete=False, coach=True)
    auth.signin()
    page = text(client.get("/today"))
    assert "Exercise library" in page and "Can I run today?" not in page
