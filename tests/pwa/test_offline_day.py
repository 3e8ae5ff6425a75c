"""The day's writes made offline — check-in, quick check, warm-up — are stored once however
often the phone sends them, and a stale one is refused with a reason (never silently)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import IdempotencyKey
from tests.conftest import TEST_TODAY as TODAY
from tests.warmup.test_warmup import QUICK, slugs

CHECKIN = {"pain_now": "2", "worst_pain": "3", "stiffness": "none", "swelling": "none",
           "locations": ["front_kneecap"], "aggravators": ["stairs"], "note": "Trail day",
           "save": "1", "local_date": TODAY.isoformat()}


def keys(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(IdempotencyKey))


def send(client, path, data, key="phone-key-0001"):
    return client.post(path, data=data, headers={"Idempotency-Key": key})


def test_a_check_in_replayed_three_times_stores_one_row(client, app, rows, athlete):
    answers = [send(client, "/checkin", CHECKIN) for _ in range(3)]
    assert [a.status_code for a in answers] == [303, 303, 303]
    assert {a.headers["Location"] for a in answers} == {"/checkin/result"}
    [checkin] = rows.checkins(athlete)
    assert (checkin.pain_now, checkin.note, checkin.status) == (2, "Trail day", "green")
    assert keys(app) == 1


def test_a_check_in_from_yesterday_is_refused_with_its_reason(client, app, rows, athlete):
    stale = {**CHECKIN, "local_date": (TODAY - timedelta(days=1)).isoformat()}
    answer = send(client, "/checkin", stale)
    assert answer.status_code == 422 and "Check-ins are for today only" in answer.get_data(as_text=True)
    assert rows.checkins(athlete) == [] and keys(app) == 0


def test_the_same_key_with_other_answers_is_refused(client, app, rows, athlete):
    send(client, "/checkin", CHECKIN)
    assert send(client, "/checkin", {**CHECKIN, "pain_now": "7"}).status_code == 422
    assert rows.checkins(athlete)[0].pain_now == 2


def test_a_quick_check_replayed_stores_one_check_in(client, app, rows, athlete):
    data = {**QUICK, "local_date": TODAY.isoformat()}
    assert [send(client, "/warmup/check", data).status_code for _ in range(3)] == [303, 303, 303]
    assert len(rows.checkins(athlete)) == 1


@pytest.mark.parametrize("status", ["green", "amber"])
def test_a_finished_warm_up_replayed_three_times_stores_one_log(client, app, rows, athlete, status):
    rows.checkin(athlete, TODAY, pain_now=4 if status == "amber" else 0, status=status)
    data = {"built_for": status, "done": slugs(status), "duration_seconds": "380", "local_date": TODAY.isoformat()}
    answers = [send(client, "/warmup/finish", data) for _ in range(3)]
    assert [a.status_code for a in answers] == [303, 303, 303]
    [log] = rows.warmups(athlete)
    assert (log.built_for, log.duration_seconds) == (status, 380)
    assert keys(app) == 1


def test_a_warm_up_with_nothing_to_log_it_against_is_refused_not_synced(client, app, rows, athlete):
    data = {"built_for": "green", "done": slugs("green"), "local_date": TODAY.isoformat()}
    answer = send(client, "/warmup/finish", data)
    assert answer.status_code == 422 and "Warm-up not saved" in answer.get_data(as_text=True)
    assert rows.warmups(athlete) == [] and keys(app) == 0


def test_day_forms_are_marked_for_offline_use(client, rows, athlete):
    checkin_page = client.get("/checkin").get_data(as_text=True)
    assert 'data-offline-write="Check-in"' in checkin_page
    assert 'name="all_good" value="1" data-offline-skip' in checkin_page
    assert 'data-offline-write="Quick check"' in client.get("/warmup").get_data(as_text=True)
    rows.checkin(athlete, TODAY)
    assert 'data-offline-write="Warm-up"' in client.get("/warmup").get_data(as_text=True)
