"""Account → Reminders, snooze, and one-click unsubscribe without signing in."""
from __future__ import annotations

import html

import pytest

from app.extensions import db
from app.models import ReminderDue, ReminderSettings
from app.reminders.delivery import unsubscribe_token
from tests.security.snapshot import database_snapshot

GOOD = {"checkin_on": "y", "checkin_time": "06:45", "next_morning_on": "y", "nudge_on": "y",
        "training_on": "y", "training_time": "18:00", "training_days": ["1", "3"],
        "quiet_start": "22:00", "quiet_end": "06:30", "email_on": "y"}


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _settings(app, user_id) -> ReminderSettings:
    with app.app_context():
        return db.session.get(ReminderSettings, user_id)


@pytest.fixture
def signed_in(client, auth, make_user):
    user_id = make_user(timezone="Europe/Paris")
    auth.signin()
    return user_id


def test_the_account_page_links_to_reminders(client, signed_in):
    assert 'href="/account/reminders"' in client.get("/account").get_data(as_text=True)


def test_the_page_shows_the_defaults_in_the_profile_zone_and_reading_it_writes_nothing(app, client, signed_in):
    before = database_snapshot(app)
    page = _text(client.get("/account/reminders"))
    assert "Europe/Paris" in page
    assert 'value="07:30"' in page and 'value="17:30"' in page
    assert 'value="21:00"' in page and 'value="07:00"' in page
    assert database_snapshot(app) == before


def test_the_first_save_stores_the_settings_and_schedules_both_kinds(app, client, signed_in):
    client.post("/account/reminders", data=GOOD)
    with app.app_context():
        kinds = set(db.session.scalars(db.select(ReminderDue.kind).where(ReminderDue.user_id == signed_in)))
    assert kinds == {"daily", "training"}


def test_saving_stores_the_choices_and_moves_the_due_times(app, client, signed_in):
    response = client.post("/account/reminders", data=GOOD)
    assert response.status_code == 303 and response.headers["Location"] == "/account/reminders"
    settings = _settings(app, signed_in)
    assert (settings.checkin_minute, settings.training_minute, settings.training_days) == (405, 1080, 0b1010)
    assert (settings.quiet_start_minute, settings.quiet_end_minute) == (1320, 390)
    with app.app_context():
        due = db.session.get(ReminderDue, (signed_in, "training"))
        assert due.local_day.weekday() in (1, 3)
    assert "Reminder settings saved." in _text(client.get("/account/reminders"))


def test_switching_email_off_leaves_no_channel_and_nothing_scheduled(app, client, signed_in):
    client.post("/account/reminders", data={key: value for key, value in GOOD.items() if key != "email_on"})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ReminderDue)) == 0
    assert "Every channel is off" in _text(client.get("/account/reminders"))


@pytest.mark.parametrize("change, message", [
    ({"checkin_time": "25:00"}, "Enter a time like 07:30."),
    ({"checkin_time": "7.30"}, "Enter a time like 07:30."),
    ({"quiet_end": ""}, "Enter a time like 07:30."),
    ({"training_days": ["1"]}, "Pick 2 or 3 days"),
    ({"training_days": ["0", "1", "2", "3"]}, "Pick 2 or 3 days"),
    ({"training_days": ["1", "9"]}, "Not a day of the week: 9."),
])
def test_a_bad_setting_is_refused_next_to_its_field_and_nothing_changes(app, client, signed_in, change, message):
    client.post("/account/reminders", data=GOOD)
    before = database_snapshot(app)
    response = client.post("/account/reminders", data={**GOOD, **change})
    assert response.status_code == 422
    assert message in _text(response)
    assert database_snapshot(app) == before


def test_two_days_are_enough_when_training_reminders_are_off(app, client, signed_in):
    data = {**GOOD, "training_days": []}
    del data["training_on"]
    assert client.post("/account/reminders", data=data).status_code == 303
    with app.app_context():
        assert db.session.get(ReminderDue, (signed_in, "training")) is None


def test_snoozing_skips_today_and_resuming_brings_it_back(app, client, signed_in):
    assert client.post("/account/reminders/snooze", data={"snooze": "day"}).status_code == 303
    settings = _settings(app, signed_in)
    assert settings.snoozed_until is not None
    with app.app_context():
        due = db.session.get(ReminderDue, (signed_in, "daily"))
        assert due.local_day > settings.snoozed_until
    assert "Snoozed until tomorrow" in _text(client.get("/account/reminders"))
    client.post("/account/reminders/snooze", data={"snooze": "off"})
    assert _settings(app, signed_in).snoozed_until is None


def test_a_bad_snooze_is_refused_with_a_message(app, client, signed_in):
    before = database_snapshot(app)
    response = client.post("/account/reminders/snooze", data={"snooze": "week"})
    assert response.status_code == 422
    assert "Choose to snooze for a day or to resume." in _text(response)
    assert database_snapshot(app) == before


def test_a_coach_without_a_running_profile_has_no_reminders_page(client, auth, make_user):
    make_user(email="coach@example.com", athlete=False, coach=True)
    auth.signin(email="coach@example.com")
    assert client.get("/account/reminders").status_code == 404


def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get("/account/reminders")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_the_unsubscribe_link_shows_a_button_and_changes_nothing_on_its_own(app, client, signed_in):
    client.post("/account/reminders", data=GOOD)
    with app.app_context():
        token = unsubscribe_token(signed_in)
    fresh = app.test_client()
    before = database_snapshot(app)
    page = _text(fresh.get(f"/reminders/unsubscribe/{token}"))
    assert "Stop reminder emails?" in page
    assert database_snapshot(app) == before


def test_one_click_unsubscribe_needs_no_sign_in_and_no_csrf_token(app, client, signed_in):
    client.post("/account/reminders", data=GOOD)
    with app.app_context():
        token = unsubscribe_token(signed_in)
    response = app.test_client().post(f"/reminders/unsubscribe/{token}", data="List-Unsubscribe=One-Click",
                                      content_type="application/x-www-form-urlencoded", csrf=False)
    assert response.status_code == 200
    assert "Reminder emails stopped" in _text(response)
    assert _settings(app, signed_in).email_on is False
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ReminderDue)) == 0


@pytest.mark.parametrize("token", ["nonsense", "MQ.forged", "Ig.x", "a" * 300])
def test_a_bad_unsubscribe_link_is_a_clear_page_and_changes_nothing(app, client, signed_in, token):
    before = database_snapshot(app)
    for response in (client.get(f"/reminders/unsubscribe/{token}"),
                     app.test_client().post(f"/reminders/unsubscribe/{token}", csrf=False)):
        assert response.status_code == 400
        assert "This unsubscribe link isn't valid" in _text(response)
    assert database_snapshot(app) == before


def test_an_unsubscribe_link_of_a_deleted_account_is_a_clear_page(app, make_user):
    from app.models import User

    user_id = make_user()
    with app.app_context():
        token = unsubscribe_token(user_id)
        db.session.delete(db.session.get(User, user_id))
        db.session.commit()
    assert app.test_client().post(f"/reminders/unsubscribe/{token}", csrf=False).status_code == 400


def test_a_new_time_zone_in_the_profile_moves_the_reminders_to_its_wall_clock(app, client, signed_in):
    client.post("/account/reminders", data=GOOD)
    client.post("/profile", data={"runner_type": "trail", "knee_status": "none", "timezone": "Asia/Tokyo"})
    with app.app_context():
        due = db.session.get(ReminderDue, (signed_in, "daily"))
    from zoneinfo import ZoneInfo

    local = due.due_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Asia/Tokyo"))
    assert (local.hour, local.minute) == (6, 45)


def test_the_export_has_the_reminder_choices_and_what_was_sent(app, client, signed_in):
    import json as json_module
    from datetime import date as day

    from app.models import ReminderSend

    client.post("/account/reminders", data=GOOD)
    with app.app_context():
        db.session.add(ReminderSend(user_id=signed_in, kind="daily", local_day=day(2026, 6, 1), channel="email",
                                    message="checkin", status="sent", attempts=1))
        db.session.commit()
    data = json_module.loads(client.get("/account/export.json").get_data())
    assert data["reminder_settings"]["checkin_minute"] == 405 and data["reminder_devices"] == 0
    assert [(r["local_day"], r["channel"], r["status"]) for r in data["reminders_sent"]] == [
        ("2026-06-01", "email", "sent")]


def test_without_a_vapid_key_the_page_offers_no_push(app, client, signed_in):
    app.config["VAPID_PRIVATE_KEY"] = None  # production with no key: push is off, email works
    page = _text(client.get("/account/reminders"))
    assert "Remind me on this phone" not in page and "Notifications on the phones" not in page
    assert "Email" in page
