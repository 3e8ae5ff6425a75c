"""The coach's weekly digest: off by default, Monday 08:00 local, once per week, names and counts
only, one-click unsubscribe; retried when SMTP is down. Sent through a real SMTP server."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.coach import digest
from app.extensions import db
from app.models import CoachDigest, DigestSend
from tests.fixtures.coaching import add_checkin, text
from tests.fixtures.mail import free_port, parts

SUNDAY_NOON = datetime(2026, 5, 31, 12)
MONDAY_0800_LONDON = datetime(2026, 6, 1, 7)  # 08:00 BST
UNSUBSCRIBE = re.compile(r"<(https://kneeready\.example(/coach/digest/unsubscribe/[^>]+))>")
HEALTH_WORDS = re.compile(r"pain|/10|\bred\b|amber|green|flag|swell|\block|symptom|stiff", re.IGNORECASE)


def _setting(app, coach_id) -> CoachDigest | None:
    with app.app_context():
        row = db.session.get(CoachDigest, coach_id)
        if row is not None:
            db.session.expunge(row)
        return row


def _sends(app) -> list[tuple]:
    with app.app_context():
        return [(row.coach_id, row.week_of, row.status, row.attempts)
                for row in db.session.scalars(db.select(DigestSend).order_by(DigestSend.id))]


def _sweep(app, now):
    with app.app_context():
        return digest.sweep(now)


@pytest.fixture
def weekly(mail_app, cast):
    """Coach Sam in London, digest on since Sunday; Riley has a red check-in to acknowledge
    (needs attention), Olive has logged nothing for 6 days (silent)."""
    with mail_app.app_context():
        digest.save(cast.coach, True, "Europe/London", now=SUNDAY_NOON)
        add_checkin(cast.athlete, date(2026, 5, 31), pain_now=7, red_flags=["locks_or_gives_way"])
        add_checkin(cast.other_athlete, date(2026, 5, 26), pain_now=1)
    return cast


# ── the setting ─────────────────────────────────────────────────────────────────────────────

def test_the_digest_is_off_until_the_coach_turns_it_on(client, app, cast, login):
    login(cast.coach)
    page = text(client.get("/account"))
    assert "Weekly summary" in page and 'action="/account/digest"' in page
    assert re.search(r'<input id="weekly_on" name="weekly_on" type="checkbox" value="y">', page)
    assert _setting(app, cast.coach) is None
    login(cast.athlete)  # a runner has no athletes to summarise
    assert "Weekly summary" not in text(client.get("/account"))


def test_turning_it_on_schedules_the_next_monday_at_eight_local(client, app, cast, login):
    login(cast.coach)
    response = client.post("/account/digest", data={"weekly_on": "y", "timezone": "America/New_York"})
    assert response.status_code == 303 and response.headers["Location"] == "/account#digest"
    setting = _setting(app, cast.coach)
    local = setting.due_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("America/New_York"))
    assert setting.weekly_on and setting.timezone == "America/New_York"
    assert (local.weekday(), local.hour, local.minute, local.date()) == (0, 8, 0, setting.week_of)
    assert timedelta(0) < setting.due_at - datetime.utcnow() <= timedelta(days=7)
    page = text(client.get("/account"))
    assert "Weekly summary on: it comes on Mondays at 08:00." in page
    assert re.search(r'<input checked id="weekly_on"', page)

    client.post("/account/digest", data={"timezone": "America/New_York"})  # unticked: off
    setting = _setting(app, cast.coach)
    assert (setting.weekly_on, setting.due_at, setting.week_of) == (False, None, None)


@pytest.mark.parametrize("zone, message", [
    ("", "Choose your time zone."), ("Mars/Olympus_Mons", "Choose one of the options."),
    ("<script>", "Choose one of the options."),
])
def test_a_bad_time_zone_is_refused_next_to_the_field_and_nothing_is_stored(client, app, cast, login, zone, message):
    login(cast.coach)
    response = client.post("/account/digest", data={"weekly_on": "y", "timezone": zone})
    assert response.status_code == 422
    assert f'<p class="field-error" id="timezone-error">{message}' in text(response)
    assert _setting(app, cast.coach) is None


def test_only_coaches_have_a_digest(client, app, cast, login):
    login(cast.athlete)
    assert client.post("/account/digest", data={"weekly_on": "y", "timezone": "UTC"}).status_code == 404
    assert _setting(app, cast.athlete) is None


# ── the sweep ───────────────────────────────────────────────────────────────────────────────

def test_the_digest_goes_on_monday_at_eight_with_names_and_counts_only(mail_app, weekly, inbox):
    assert _sweep(mail_app, MONDAY_0800_LONDON - timedelta(minutes=1)).claimed == 0
    assert inbox.messages == []
    result = _sweep(mail_app, MONDAY_0800_LONDON)
    assert (result.claimed, result.sent) == (1, 1)
    [received] = inbox.messages
    assert received.recipients == ["coach@example.com"]
    assert received.message["Subject"] == "Your athletes this week"
    bodies = parts(received.message)
    assert set(bodies) == {"text/plain", "text/html"}
    plain = bodies["text/plain"].replace("\r\n", "\n")
    assert "Needs attention: 1 athlete\n  - Riley Runner" in plain
    assert "Silent for 3 days or more: 1 athlete\n  - Olive Other" in plain
    assert "Ready to progress: nobody" in plain
    assert "Your 2 athletes this week" in plain and "https://kneeready.example/coach" in plain
    for body in bodies.values():
        found = HEALTH_WORDS.findall(html.unescape(body))
        assert not found, f"health words in the digest: {found}"
    assert "<li>Riley Runner</li>" in bodies["text/html"] and "<li>Olive Other</li>" in bodies["text/html"]
    assert _sends(mail_app) == [(weekly.coach, date(2026, 6, 1), "sent", 1)]
    setting = _setting(mail_app, weekly.coach)
    assert (setting.due_at, setting.week_of) == (datetime(2026, 6, 8, 7), date(2026, 6, 8))


def test_one_digest_per_week_even_when_the_due_time_is_read_twice(mail_app, weekly, inbox):
    _sweep(mail_app, MONDAY_0800_LONDON)
    _sweep(mail_app, MONDAY_0800_LONDON + timedelta(minutes=30))
    with mail_app.app_context():  # a second worker that read the old due time
        db.session.execute(db.update(CoachDigest).values(due_at=MONDAY_0800_LONDON, week_of=date(2026, 6, 1)))
        db.session.commit()
    assert _sweep(mail_app, MONDAY_0800_LONDON + timedelta(minutes=1)).claimed == 0
    assert len(inbox.messages) == 1 and len(_sends(mail_app)) == 1
    _sweep(mail_app, datetime(2026, 6, 8, 7))  # the next Monday: the next one
    assert len(inbox.messages) == 2


def test_winter_time_moves_the_utc_hour_not_the_local_one(mail_app, cast, inbox):
    with mail_app.app_context():
        digest.save(cast.coach, True, "Europe/London", now=datetime(2026, 3, 20, 12))
    assert _setting(mail_app, cast.coach).due_at == datetime(2026, 3, 23, 8)  # GMT
    _sweep(mail_app, datetime(2026, 3, 23, 8))
    assert _setting(mail_app, cast.coach).due_at == datetime(2026, 3, 30, 7)  # BST since the 29th
    assert len(inbox.messages) == 1


def test_a_digest_found_more_than_twelve_hours_late_is_skipped_for_that_week(mail_app, weekly, inbox):
    result = _sweep(mail_app, MONDAY_0800_LONDON + timedelta(hours=12, minutes=1))
    assert (result.claimed, result.missed) == (0, 1) and inbox.messages == []
    assert _setting(mail_app, weekly.coach).due_at == datetime(2026, 6, 8, 7)


def test_a_coach_with_no_athletes_gets_no_email(mail_app, cast, inbox):
    with mail_app.app_context():
        digest.save(cast.stranger, True, "Europe/London", now=SUNDAY_NOON)
    result = _sweep(mail_app, MONDAY_0800_LONDON)
    assert (result.claimed, result.sent, result.skipped) == (1, 0, 1) and inbox.messages == []
    assert _sends(mail_app) == [(cast.stranger, date(2026, 6, 1), "skipped", 1)]


def test_smtp_down_is_retried_with_backoff_and_sent_once(mail_app, weekly, inbox):
    from app import mail

    port = mail_app.config["MAIL_PORT"]
    mail_app.config["MAIL_PORT"] = free_port()  # nobody listens there: SMTP is down
    mail.mail.init_app(mail_app)
    result = _sweep(mail_app, MONDAY_0800_LONDON)
    assert (result.claimed, result.deferred) == (1, 1) and inbox.messages == []
    with mail_app.app_context():
        send = db.session.scalar(db.select(DigestSend))
        assert (send.status, send.attempts, send.next_try_at) == ("retry", 1, MONDAY_0800_LONDON + timedelta(minutes=1))
        assert send.last_error
    status = mail_app.test_cli_runner().invoke(args=["reminders", "status"]).output
    assert "Weekly digests: 1 on; last 7 days: " in status  # (counted from the real clock's week)
    assert f"digest for coach {weekly.coach}, week of 2026-06-01 — retry after 1 tries, next try 2026-06-01 07:01" \
        in status
    mail_app.config["MAIL_PORT"] = port
    mail.mail.init_app(mail_app)
    assert _sweep(mail_app, MONDAY_0800_LONDON + timedelta(seconds=30)).sent == 0  # not yet
    assert _sweep(mail_app, MONDAY_0800_LONDON + timedelta(minutes=1)).sent == 1
    assert len(inbox.messages) == 1 and _sends(mail_app) == [(weekly.coach, date(2026, 6, 1), "sent", 2)]


def test_the_worker_task_sweeps_digests(mail_app, cast, monkeypatch):
    from app import worker

    called = []
    monkeypatch.setattr("app.coach.digest.sweep", lambda: called.append(True) or digest.DigestResult())
    with mail_app.app_context():
        worker.sweep_digests.call_local()
    assert called == [True]


# ── unsubscribe ─────────────────────────────────────────────────────────────────────────────

def test_one_click_unsubscribe_stops_the_digest_without_signing_in(mail_app, weekly, inbox):
    _sweep(mail_app, MONDAY_0800_LONDON)
    message = inbox.messages[0].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url, path = UNSUBSCRIBE.search(message["List-Unsubscribe"]).groups()
    assert url in parts(message)["text/plain"]
    client = mail_app.test_client()
    page = client.get(path)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and "Stop the weekly summary?" in text(page)
    assert _setting(mail_app, weekly.coach).weekly_on
    response = client.post(path, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200 and "Weekly summary stopped" in text(response)
    setting = _setting(mail_app, weekly.coach)
    assert (setting.weekly_on, setting.due_at) == (False, None)
    assert _sweep(mail_app, datetime(2026, 6, 8, 7)).claimed == 0 and len(inbox.messages) == 1


@pytest.mark.parametrize("token", ["nonsense", "MQ.abc", "x" * 300])
def test_a_bad_unsubscribe_link_changes_nothing(mail_app, weekly, token):
    client = mail_app.test_client()
    for response in (client.get(f"/coach/digest/unsubscribe/{token}"),
                     client.post(f"/coach/digest/unsubscribe/{token}", csrf=False)):
        assert response.status_code == 400 and "This unsubscribe link isn't valid" in text(response)
    assert _setting(mail_app, weekly.coach).weekly_on


def test_an_athletes_token_is_not_a_coach_unsubscribe(mail_app, weekly):
    with mail_app.app_context():
        token = digest.unsubscribe_token(weekly.athlete)
    response = mail_app.test_client().post(f"/coach/digest/unsubscribe/{token}", csrf=False)
    assert response.status_code == 400
