"""Athlete onboarding and profile editing."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AthleteProfile

GOOD = {"runner_type": "trail", "knee_status": "niggles", "has_band": "y", "has_step": "y",
        "timezone": "Europe/Lisbon"}


@pytest.fixture
def newcomer(make_user, auth):
    make_user(profile=False)
    auth.signin()


def test_today_sends_a_new_athlete_to_onboarding(client, newcomer):
    response = client.get("/today")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/profile")


def test_onboarding_saves_the_profile(client, app, newcomer):
    page = client.get("/profile?welcome=1").get_data(as_text=True)
    assert "Four quick questions" in page and "data-timezone-prefill" in page
    response = client.post("/profile", data=GOOD)
    assert response.status_code == 303 and response.headers["Location"] == "/today"
    with app.app_context():
        profile = db.session.scalar(db.select(AthleteProfile))
        assert (profile.runner_type, profile.knee_status, profile.timezone) == ("trail", "niggles", "Europe/Lisbon")
        assert profile.equipment == frozenset({"band", "step"})
    today = client.get("/today").get_data(as_text=True)
    assert "Trail" in today and "Band, Step" in today


def test_profile_can_be_edited_later(client, app, make_user, auth):
    make_user(runner_type="new", has_band=True)
    auth.signin()
    page = client.get("/profile").get_data(as_text=True)
    assert "Running profile" in page and "data-timezone-prefill" not in page
    client.post("/profile", data={**GOOD, "runner_type": "long_distance", "has_band": ""})
    with app.app_context():
        profile = db.session.scalar(db.select(AthleteProfile))
        assert profile.runner_type == "long_distance"
        assert not profile.has_band


@pytest.mark.parametrize("changes, field", [
    ({"runner_type": "sprinter"}, "runner_type"),
    ({"runner_type": ""}, "runner_type"),
    ({"knee_status": "broken"}, "knee_status"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": ""}, "timezone"),
])
def test_onboarding_rejects_bad_input(client, app, newcomer, changes, field):
    response = client.post("/profile", data={**GOOD, **changes})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AthleteProfile)) == 0


def test_a_coach_only_account_has_no_running_profile(client, make_user, auth):
    make_user(athlete=False, coach=True)
    auth.signin()
    assert client.get("/profile").status_code == 404
    assert client.get("/today").status_code == 200
