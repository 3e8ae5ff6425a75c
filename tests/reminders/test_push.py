"""Web Push: VAPID-signed, encrypted reminders to a local push service; cleanup and retries."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import PushSubscription, ReminderSend, ReminderSettings
from app.reminders import push
from tests.conftest import TEST_VAPID_KEY
from tests.reminders.conftest import MONDAY_0730_LONDON, run_sweep


def _push_only(app, user_id):
    with app.app_context():
        settings = db.session.get(ReminderSettings, user_id)
        settings.email_on = False
        db.session.commit()


def _subscribe(app, user_id, browser):
    with app.app_context():
        db.session.add(PushSubscription(user_id=user_id, endpoint=browser.endpoint, **browser.keys))
        db.session.commit()


def _endpoints(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(db.select(PushSubscription.endpoint)))


def _sends(app):
    with app.app_context():
        return db.session.scalars(db.select(ReminderSend).order_by(ReminderSend.id)).all()


def test_a_due_reminder_is_pushed_signed_with_vapid_and_encrypted_for_the_device(mail_app, athlete, push_service):
    _push_only(mail_app, athlete)
    _subscribe(mail_app, athlete, push_service.browser("phone"))
    result = run_sweep(mail_app, MONDAY_0730_LONDON)
    assert push_service.problems == []
    [received] = push_service.received
    with mail_app.app_context():
        assert received.vapid_key == push.application_server_key()
    assert received.claims["sub"] == "mailto:tests@kneeready.example"
    assert received.payload == {"web_push": 8030, "notification": {
        "title": "Time for your 20-second knee check-in",
        "body": "A quick check-in keeps today's warm-up and session right for you.",
        "navigate": "https://kneeready.example/checkin", "tag": "daily", "lang": "en-GB", "silent": False}}
    assert int(received.ttl) > 0
    assert (result.sent, [(s.channel, s.status) for s in _sends(mail_app)]) == (1, [("push", "sent")])


def test_email_and_push_each_go_once(mail_app, athlete, push_service, inbox):
    _subscribe(mail_app, athlete, push_service.browser("phone"))
    run_sweep(mail_app, MONDAY_0730_LONDON)
    run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(minutes=1))
    assert len(push_service.received) == 1 and len(inbox.messages) == 1
    assert sorted(s.channel for s in _sends(mail_app)) == ["email", "push"]


def test_a_gone_device_loses_its_subscription_and_nothing_else(mail_app, athlete, make_user, push_service):
    _push_only(mail_app, athlete)
    _subscribe(mail_app, athlete, push_service.browser("old-phone", answer=410))
    _subscribe(mail_app, athlete, push_service.browser("laptop", answer=404))
    _subscribe(mail_app, athlete, push_service.browser("new-phone"))
    other = make_user(email="other@example.com")
    _subscribe(mail_app, other, push_service.browser("other-phone", answer=410))  # never pushed to here
    run_sweep(mail_app, MONDAY_0730_LONDON)
    assert sorted(p.name for p in push_service.received) == ["laptop", "new-phone", "old-phone"]
    assert _endpoints(mail_app) == {push_service.browsers["new-phone"].endpoint,
                                    push_service.browsers["other-phone"].endpoint}
    assert [s.status for s in _sends(mail_app)] == ["sent"]


def test_when_every_device_is_gone_the_send_is_skipped_not_retried(mail_app, athlete, push_service):
    _push_only(mail_app, athlete)
    _subscribe(mail_app, athlete, push_service.browser("phone", answer=410))
    run_sweep(mail_app, MONDAY_0730_LONDON)
    assert _endpoints(mail_app) == set()
    [send] = _sends(mail_app)
    assert (send.status, send.next_try_at) == ("skipped", None)
    assert run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(minutes=5)).retried == 0


def test_a_push_service_error_is_retried_with_backoff_then_delivered(mail_app, athlete, push_service):
    _push_only(mail_app, athlete)
    _subscribe(mail_app, athlete, push_service.browser("phone", answer=500))
    result = run_sweep(mail_app, MONDAY_0730_LONDON)
    assert result.deferred == 1
    [send] = _sends(mail_app)
    assert (send.status, send.next_try_at) == ("retry", MONDAY_0730_LONDON + timedelta(minutes=1))
    assert "500" in send.last_error
    assert _endpoints(mail_app) == {push_service.browsers["phone"].endpoint}  # a 500 removes nothing
    push_service.answers["phone"] = 201
    assert run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(minutes=1)).sent == 1
    assert len(push_service.received) == 2 and _sends(mail_app)[0].status == "sent"


def test_no_health_data_in_a_push(mail_app, athlete, push_service):
    from datetime import date

    from app.models import CheckIn

    with mail_app.app_context():
        db.session.add(CheckIn(athlete_id=athlete, local_date=date(2026, 5, 31), pain_now=7, status="red",
                               note="sharp pain on stairs"))
        db.session.commit()
    _subscribe(mail_app, athlete, push_service.browser("phone"))
    run_sweep(mail_app, MONDAY_0730_LONDON)
    text = str(push_service.received[0].payload)
    for health in ("7", "pain", "red", "stairs"):
        assert health not in text.replace("20-second", "").replace("en-GB", "")


@pytest.mark.parametrize("subject", ["mailto:admin@localhost", "https://localhost/contact", "https://127.0.0.1",
                                     "http://kneeready.example", "kneeready.example", "", "mailto:nobody",
                                     "https://[::1]/"])
def test_a_vapid_subject_push_services_would_refuse_stops_the_app_at_start_up(_schema, subject):
    from app import create_app

    with pytest.raises(push.PushSetupError, match="VAPID_SUBJECT"):
        create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": _schema,
                    "VAPID_PRIVATE_KEY": TEST_VAPID_KEY, "VAPID_SUBJECT": subject})


@pytest.mark.parametrize("subject", ["mailto:ops@kneeready.example", "https://kneeready.example/contact"])
def test_a_real_vapid_subject_is_accepted(_schema, subject):
    from app import create_app

    create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": _schema,
                "VAPID_PRIVATE_KEY": TEST_VAPID_KEY, "VAPID_SUBJECT": subject})


def test_development_generates_a_vapid_key_once_and_production_without_one_has_no_push(tmp_path):
    config = {"PRODUCTION": False, "VAPID_PRIVATE_KEY": None, "VAPID_SUBJECT": "mailto:a@kneeready.example"}
    push.configure(config, tmp_path)
    key = (tmp_path / "vapid_private_key").read_text()
    again = {**config, "VAPID_PRIVATE_KEY": None}
    push.configure(again, tmp_path)
    assert config["VAPID_PRIVATE_KEY"] == again["VAPID_PRIVATE_KEY"] == key
    assert oct((tmp_path / "vapid_private_key").stat().st_mode & 0o777) == "0o600"
    production = {"PRODUCTION": True, "VAPID_PRIVATE_KEY": None, "VAPID_SUBJECT": ""}
    push.configure(production, tmp_path / "prod")
    assert production["VAPID_PRIVATE_KEY"] is None and not (tmp_path / "prod").exists()
