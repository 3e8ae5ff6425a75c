"""One athlete as the coach sees them, and the coach's acts: each recorded with who and when,
shown on the timeline, and every bad input refused with its message next to the field."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachAction, WarmupLog
from app.progress import progress_for
from tests.fixtures.coaching import add_checkin, add_link, add_user, log_session, text
from tests.coach.test_matrix import fingerprint
from tests.conftest import TEST_TODAY

TODAY = TEST_TODAY


@pytest.fixture
def coached(client, cast, login):
    login(cast.coach)
    return f"/coach/athletes/{cast.athlete}"


def actions_of(app, athlete_id: int) -> list[tuple]:
    with app.app_context():
        return [(a.kind, a.value, a.text, a.coach_id, a.coach_name, a.created_at is not None) for a in db.session.scalars(
            db.select(CoachAction).where(CoachAction.athlete_id == athlete_id).order_by(CoachAction.id))]


def profile_of(app, athlete_id: int) -> tuple:
    with app.app_context():
        profile = db.session.get(AthleteProfile, athlete_id)
        state = progress_for(profile)
        return profile.pain_threshold, profile.sessions_to_advance, state.stage, state.needed, state.paused


def test_the_page_shows_checkins_sessions_timeline_and_adherence(client, app, cast, coached):
    with app.app_context():
        add_checkin(cast.athlete, TODAY - timedelta(days=2), pain_now=2, stiffness="under_30", swelling="mild",
                    locations=["front_kneecap"], aggravators=["stairs"], note="Stairs at work.")
        add_checkin(cast.athlete, TODAY, pain_now=7, red_flags=["swollen_tender_calf"])
        log_session(cast.athlete, TODAY - timedelta(days=1), 1, [0, 4, None])
        db.session.add(WarmupLog(athlete_id=cast.athlete, local_date=TODAY, built_for="green"))
        db.session.commit()
    page = text(client.get(coached))
    assert "<h1>Riley Runner</h1>" in page
    assert 'class="pain-chart"' in page and '<path class="dot dot-red" d="M' in page
    assert "Pain 2/10" in page and "Stiff for less than 30 minutes" in page and "Front of the knee" in page
    assert "worse with stairs" in page and "“Stairs at work.”" in page
    assert "Red check-ins to acknowledge" in page and "Swollen, tender calf" in page
    assert '<th scope="row">Quad sets</th><td>2 × 10 each side</td>' in page
    assert 'class="pain pain-amber">4/10' in page and "skipped" in page
    assert "had pain 4/10" in page  # the engine's verdict on the session
    assert "Progression timeline" in page and "Started at Stage 1" in page
    assert "(this week)" in page


def test_pausing_and_resuming_are_recorded_with_who_and_when(client, app, cast, coached):
    response = client.post(f"{coached}/pause")
    assert response.status_code == 303 and response.headers["Location"] == f"{coached}#coach-actions"
    assert profile_of(app, cast.athlete)[4] is True
    page = text(client.get(coached))
    assert "Progression paused by Coach Sam" in page and "Resume progression" in page
    client.post(f"{coached}/pause")
    assert "already paused" in text(client.get(coached))
    client.post(f"{coached}/resume")
    assert profile_of(app, cast.athlete)[4] is False
    assert actions_of(app, cast.athlete) == [("pause", None, None, cast.coach, "Coach Sam", True),
                                             ("resume", None, None, cast.coach, "Coach Sam", True)]


def test_setting_the_stage_moves_the_athlete_and_shows_on_the_timeline(client, app, cast, coached):
    assert client.post(f"{coached}/stage", data={"stage": "3"}).status_code == 303
    assert profile_of(app, cast.athlete)[2] == 3
    assert "Stage set to 3 by Coach Sam" in text(client.get(coached))
    assert actions_of(app, cast.athlete) == [("set_stage", 3, None, cast.coach, "Coach Sam", True)]


def test_stage_5_only_for_a_returning_runner(client, app, cast, coached, password_hash):
    response = client.post(f"{coached}/stage", data={"stage": "5"})
    assert response.status_code == 422
    assert 'id="stage-error"' in text(response) and "Choose a stage from the list." in text(response)
    with app.app_context():
        db.session.get(AthleteProfile, cast.athlete).knee_status = "returning"
        db.session.commit()
    assert client.post(f"{coached}/stage", data={"stage": "5"}).status_code == 303
    assert profile_of(app, cast.athlete)[2] == 5


@pytest.mark.parametrize("value", ["0", "2"])
def test_the_pain_threshold_is_recorded_and_mirrored_on_the_profile(client, app, cast, coached, value):
    assert client.post(f"{coached}/threshold", data={"threshold": value}).status_code == 303
    assert profile_of(app, cast.athlete)[0] == int(value)
    assert actions_of(app, cast.athlete) == [("set_threshold", int(value), None, cast.coach, "Coach Sam", True)]
    assert f"set the pain limit for a counting session to {value}/10" in text(client.get(coached))


@pytest.mark.parametrize("value", ["2", "5"])
def test_days_to_advance_are_recorded_mirrored_and_used_by_the_engine(client, app, cast, coached, value):
    assert client.post(f"{coached}/sessions-to-advance", data={"sessions_to_advance": value}).status_code == 303
    threshold, sessions, _, needed, _ = profile_of(app, cast.athlete)
    assert sessions == needed == int(value)
    assert f"set {value} pain-free days to unlock the next stage" in text(client.get(coached))


def test_a_note_is_recorded_and_shown_on_the_timeline(client, app, cast, coached):
    response = client.post(f"{coached}/note", data={"text": "  Keep the step-downs shallow this week.  "})
    assert response.status_code == 303 and response.headers["Location"].endswith("#timeline")
    assert actions_of(app, cast.athlete) == [("note", None, "Keep the step-downs shallow this week.", cast.coach,
                                              "Coach Sam", True)]
    page = text(client.get(coached))
    assert "Note from Coach Sam: Keep the step-downs shallow this week." in page
    assert "Note saved: Riley Runner sees it on their Today page." in page


BAD_INPUTS = [
    ("stage", "stage", "0", "Choose a stage from the list."),
    ("stage", "stage", "6", "Choose a stage from the list."),
    ("stage", "stage", "two", "Choose a stage from the list."),
    ("stage", "stage", "", "Choose a stage from the list."),
    ("stage", "stage", None, "Choose a stage from the list."),
    ("threshold", "threshold", "3", "Choose 0, 1 or 2"),
    ("threshold", "threshold", "-1", "Choose 0, 1 or 2"),
    ("threshold", "threshold", "1.5", "Choose 0, 1 or 2"),
    ("threshold", "threshold", "", "Choose 0, 1 or 2"),
    ("threshold", "threshold", "9" * 40, "Choose 0, 1 or 2"),
    ("sessions-to-advance", "sessions_to_advance", "1", "Choose between 2 and 5 days."),
    ("sessions-to-advance", "sessions_to_advance", "6", "Choose between 2 and 5 days."),
    ("sessions-to-advance", "sessions_to_advance", "three", "Choose between 2 and 5 days."),
    ("sessions-to-advance", "sessions_to_advance", None, "Choose between 2 and 5 days."),
    ("note", "text", "", "Write the note first."),
    ("note", "text", "   \n ", "Write the note first."),
    ("note", "text", "x" * 2001, "Keep the note to 2,000 characters or fewer."),
]


@pytest.mark.parametrize("route, field, value, message", BAD_INPUTS,
                         ids=[f"{route}={str(value)[:8]!r}" for route, _, value, _ in BAD_INPUTS])
def test_bad_input_is_refused_next_to_its_field_and_changes_nothing(client, app, cast, coached, route, field,
                                                                   value, message):
    with app.app_context():
        before = fingerprint()
    response = client.post(f"{coached}/{route}", data={} if value is None else {field: value})
    assert response.status_code == 422
    page = text(response)
    assert f'id="{field}-error"' in page and message in page
    assert f'aria-describedby="{field}-error"' in page or f'aria-describedby="{field}-hint {field}-error"' in page
    assert "That change wasn't saved" in page and 'href="#coach-actions"' in page
    with app.app_context():
        assert fingerprint() == before


def test_a_long_note_keeps_what_was_typed(client, cast, coached):
    page = text(client.post(f"{coached}/note", data={"text": "y" * 2001}))
    assert "y" * 2001 in page


def test_coach_actions_need_the_csrf_token(client, app, cast, coached):
    with app.app_context():
        before = fingerprint()
    for route, data in [("pause", {}), ("stage", {"stage": "2"}), ("note", {"text": "hi"})]:
        assert client.post(f"{coached}/{route}", data=data, csrf=False).status_code == 400
    with app.app_context():
        assert fingerprint() == before


def test_acknowledging_twice_records_once(client, app, cast, coached):
    with app.app_context():
        checkin = add_checkin(cast.athlete, TODAY, pain_now=8)
    url = f"{coached}/checkins/{checkin}/acknowledge"
    assert client.post(url).status_code == 303
    assert client.post(url).status_code == 303
    page = text(client.get(coached))
    assert "Someone had already acknowledged that check-in." in page
    assert "Coach Sam acknowledged the red check-in of" in page and "Acknowledged by Coach Sam" in page
    assert [kind for kind, *_ in actions_of(app, cast.athlete)] == ["ack_red_flag"]


def test_only_the_athletes_own_red_checkins_can_be_acknowledged(client, app, cast, coached):
    with app.app_context():
        green = add_checkin(cast.athlete, TODAY, pain_now=1)
        others = add_checkin(cast.other_athlete, TODAY, pain_now=9)
        before = fingerprint()
    for checkin in (green, others, 999999):
        assert client.post(f"{coached}/checkins/{checkin}/acknowledge").status_code == 404
    with app.app_context():
        assert fingerprint() == before
        assert db.session.get(CheckIn, others).acknowledged_at is None


def test_progression_needs_a_profile_but_a_note_does_not(client, app, cast, login, password_hash):
    with app.app_context():
        newbie = add_user(password_hash, "newbie@example.com", "Nell Newbie", profile=False)
        add_link(cast.coach, newbie)
        db.session.commit()
        before = fingerprint()
    login(cast.coach)
    url = f"/coach/athletes/{newbie}"
    for route, data in [("pause", {}), ("resume", {}), ("stage", {"stage": "2"}), ("threshold", {"threshold": "1"}),
                        ("sessions-to-advance", {"sessions_to_advance": "3"})]:
        response = client.post(f"{url}/{route}", data=data)
        assert response.status_code == 409
        assert "hasn't set up a running profile yet" in text(response)
    with app.app_context():
        assert fingerprint() == before
    assert client.post(f"{url}/note", data={"text": "Welcome!"}).status_code == 303


def test_the_90_day_window_shows_older_history(client, app, cast, coached):
    with app.app_context():
        add_checkin(cast.athlete, TODAY - timedelta(days=40), pain_now=5, note="Long ago")
    assert "Long ago" not in text(client.get(coached))
    assert "Long ago" in text(client.get(f"{coached}?days=90"))
    assert "Long ago" not in text(client.get(f"{coached}?days=-3"))
