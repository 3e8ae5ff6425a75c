"""The sweep sends each due reminder once, says the right thing, retries failures, never loses one."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from app.extensions import db
from app.models import CheckIn, ReminderDue, ReminderSend, ReminderSettings, TrainingSession
from tests.fixtures.mail import parts
from tests.reminders.conftest import MONDAY_0730_LONDON, run_sweep


def _sends(app, **filters):
    with app.app_context():
        return db.session.scalars(db.select(ReminderSend).filter_by(**filters).order_by(ReminderSend.id)).all()


def _due(app, user_id, kind="daily") -> ReminderDue:
    with app.app_context():
        return db.session.get(ReminderDue, (user_id, kind))


def _smtp_port(app, port: int) -> None:
    """Point the app's mail at another port (9, the discard port, has no server: SMTP is down)."""
    from app import mail

    app.config["MAIL_PORT"] = port
    mail.mail.init_app(app)


def _add(app, *rows):
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()


def test_a_due_check_in_reminder_is_emailed_once_with_both_parts_and_one_click_unsubscribe(mail_app, athlete, inbox):
    assert _due(mail_app, athlete).due_at == MONDAY_0730_LONDON
    result = run_sweep(mail_app, MONDAY_0730_LONDON)
    assert (result.claimed, result.sent) == (1, 1)
    [received] = inbox.messages
    assert received.recipients == ["riley@example.com"]
    assert received.message["Subject"] == "Time for your 20-second knee check-in"
    assert received.message["List-Unsubscribe"].strip().startswith("<https://kneeready.example/reminders/unsubscribe/")
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    bodies = parts(received.message)
    assert "https://kneeready.example/checkin" in bodies["text/plain"]
    assert 'href="https://kneeready.example/checkin"' in bodies["text/html"]

    again = run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(minutes=1))
    assert (again.claimed, len(inbox.messages)) == (0, 1)
    assert _due(mail_app, athlete).due_at == MONDAY_0730_LONDON + timedelta(days=1)
    [send] = _sends(mail_app)
    assert (send.status, send.local_day, send.channel, send.attempts) == ("sent", date(2026, 6, 1), "email", 1)


def test_nothing_goes_before_its_time_and_the_next_day_goes_again(mail_app, athlete, inbox):
    assert run_sweep(mail_app, MONDAY_0730_LONDON - timedelta(minutes=1)).claimed == 0
    run_sweep(mail_app, MONDAY_0730_LONDON)
    run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(days=1))
    assert [s.local_day for s in _sends(mail_app, kind="daily")] == [date(2026, 6, 1), date(2026, 6, 2)]
    assert len(inbox.messages) == 2


def test_no_reminder_once_today_is_checked_in_and_no_health_data_in_any(mail_app, athlete, inbox):
    _add(mail_app, CheckIn(athlete_id=athlete, local_date=date(2026, 6, 1), pain_now=7, status="red",
                           note="Sharp pain 7/10 on stairs"))
    result = run_sweep(mail_app, MONDAY_0730_LONDON)
    assert (result.quiet, result.sent, inbox.messages) == (1, 0, [])
    run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(days=1))
    [received] = inbox.messages
    text = received.message.as_string()
    for health in ("7/10", "pain", "Sharp", "red", "stairs"):
        assert health not in text


def test_the_morning_after_a_session_the_reminder_asks_how_the_knee_took_it(mail_app, athlete, inbox):
    _add(mail_app, TrainingSession(athlete_id=athlete, local_date=date(2026, 5, 31), stage=1, kind="strength",
                                   started_at=datetime(2026, 5, 31, 17), finished_at=datetime(2026, 5, 31, 18)))
    run_sweep(mail_app, MONDAY_0730_LONDON)
    assert inbox.messages[0].message["Subject"] == "Morning after: your 20-second knee check-in"
    assert _sends(mail_app)[0].message == "next_morning"


def test_three_silent_days_bring_one_nudge_then_plain_check_ins(mail_app, athlete, inbox):
    _add(mail_app, CheckIn(athlete_id=athlete, local_date=date(2026, 5, 29), pain_now=1, status="green"))
    # Checked in Fri 29 May, signed up Sat 30 May (which counts as a start): silent from Sun 31.
    for day in range(4):  # Mon 1 … Thu 4 June
        run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(days=day))
    assert [s.message for s in _sends(mail_app, kind="daily")] == ["checkin", "nudge", "checkin", "checkin"]
    assert inbox.messages[1].message["Subject"] == "Pick up where you left off"


def test_training_days_get_a_training_reminder_at_the_training_time(mail_app, athlete, inbox):
    monday_1730_london = datetime(2026, 6, 1, 16, 30)
    assert _due(mail_app, athlete, "training").due_at == monday_1730_london
    result = run_sweep(mail_app, monday_1730_london)
    assert result.missed == 1  # the morning's check-in reminder, ten hours late: not sent now
    assert [m.message["Subject"] for m in inbox.messages] == ["Training day: see what your knee is ready for"]
    assert "https://kneeready.example/training" in parts(inbox.messages[0].message)["text/plain"]
    assert _due(mail_app, athlete, "training").due_at == datetime(2026, 6, 3, 16, 30)  # Wednesday


def test_a_reminder_hours_late_is_missed_not_sent_and_the_next_one_is_scheduled(mail_app, athlete, inbox):
    result = run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(hours=4))
    assert (result.missed, result.sent, inbox.messages) == (1, 0, [])
    assert _due(mail_app, athlete).due_at == MONDAY_0730_LONDON + timedelta(days=1)


def test_smtp_down_is_retried_with_backoff_reported_and_sent_once_it_is_back(app, mail_app, athlete, inbox, runner_cli):
    good_port = mail_app.config["MAIL_PORT"]
    _smtp_port(mail_app, 9)
    result = run_sweep(mail_app, MONDAY_0730_LONDON)
    assert (result.claimed, result.sent, result.deferred) == (1, 0, 1)
    [send] = _sends(mail_app)
    assert (send.status, send.attempts, send.next_try_at) == ("retry", 1, MONDAY_0730_LONDON + timedelta(minutes=1))
    assert send.last_error

    status = runner_cli(mail_app, "status")
    assert "Failing:" in status and f"user {athlete} daily/email 2026-06-01 — retry after 1 tries" in status

    run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(minutes=1))  # still down: two minutes now
    assert _sends(mail_app)[0].next_try_at == MONDAY_0730_LONDON + timedelta(minutes=3)
    _smtp_port(mail_app, good_port)
    result = run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(minutes=3))
    assert (result.retried, result.sent) == (1, 1)
    assert len(inbox.messages) == 1
    assert _sends(mail_app)[0].status == "sent"
    assert "Failing: none" in runner_cli(mail_app, "status")


def test_a_send_that_keeps_failing_is_marked_failed_never_deleted(mail_app, athlete, inbox):
    _smtp_port(mail_app, 9)
    now = MONDAY_0730_LONDON
    for _ in range(10):
        run_sweep(mail_app, now)
        now += timedelta(minutes=31)
    [send] = _sends(mail_app, kind="daily", local_day=date(2026, 6, 1))
    assert (send.status, send.attempts, send.next_try_at) == ("failed", 6, None)


def test_a_retry_that_would_come_in_quiet_hours_waits_until_morning(mail_app, make_user, inbox):
    from app.reminders.schedule import reschedule, settings_for

    user = make_user(email="late@example.com", timezone="UTC")
    with mail_app.app_context():
        settings = settings_for(user)
        settings.checkin_minute = 20 * 60 + 59
        reschedule(settings, datetime(2026, 6, 1, 12))
        db.session.commit()
    _smtp_port(mail_app, 9)
    run_sweep(mail_app, datetime(2026, 6, 1, 20, 59))
    assert _sends(mail_app)[0].next_try_at == datetime(2026, 6, 2, 7, 0)


def test_a_worker_that_died_mid_send_has_its_claim_taken_over_after_the_lease(mail_app, athlete, inbox):
    from app.reminders.sweep import LEASE

    with mail_app.app_context():
        db.session.add(ReminderSend(user_id=athlete, kind="daily", local_day=date(2026, 6, 1), channel="email",
                                    message="checkin", status="sending", next_try_at=MONDAY_0730_LONDON + LEASE))
        db.session.get(ReminderDue, (athlete, "daily")).due_at = MONDAY_0730_LONDON + timedelta(days=1)
        db.session.commit()
    assert run_sweep(mail_app, MONDAY_0730_LONDON + timedelta(minutes=5)).retried == 0
    assert run_sweep(mail_app, MONDAY_0730_LONDON + LEASE).retried == 1
    assert len(inbox.messages) == 1


def test_athletes_without_settings_are_enrolled_with_the_defaults(mail_app, make_user, inbox):
    user = make_user(email="new@example.com", timezone="America/New_York")
    result = run_sweep(mail_app, datetime(2026, 6, 1, 3, 0))
    assert result.enrolled == 1
    with mail_app.app_context():
        settings = db.session.get(ReminderSettings, user)
        assert (settings.checkin_minute, settings.email_on) == (450, True)
    assert _due(mail_app, user).due_at == datetime(2026, 6, 1, 11, 30)  # 07:30 EDT


def test_a_coach_without_an_athlete_profile_gets_no_reminders(mail_app, make_user, inbox):
    make_user(email="coach@example.com", athlete=False, coach=True)
    assert run_sweep(mail_app, MONDAY_0730_LONDON).enrolled == 0


def test_deleting_the_account_removes_its_reminder_rows(mail_app, athlete, inbox):
    run_sweep(mail_app, MONDAY_0730_LONDON)
    from app.models import User

    with mail_app.app_context():
        db.session.delete(db.session.get(User, athlete))
        db.session.commit()
        for model in (ReminderSettings, ReminderDue, ReminderSend):
            assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0
