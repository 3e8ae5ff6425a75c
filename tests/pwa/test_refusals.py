"""A write replayed from the phone's outbox and refused is told why in the KneeReady-Refusal
header (app/refusals.py), so the phone never reads the reason out of the page's HTML."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

from tests.conftest import TEST_TODAY as TODAY
from tests.pwa.test_offline_day import CHECKIN

SYNC = {"KneeReady-Sync": "1"}


def replay(client, path, data, key="phone-key-0001", **headers):
    return client.post(path, data=data, headers={"Idempotency-Key": key, **SYNC, **headers})


def said(response) -> str:
    return unquote(response.headers["KneeReady-Refusal"])


def test_a_form_refusal_is_its_field_errors(client, athlete):
    stale = {**CHECKIN, "local_date": (TODAY - timedelta(days=1)).isoformat()}
    answer = replay(client, "/checkin", stale)
    assert answer.status_code == 422
    assert "Check-ins are for today only" in said(answer)
    assert "Please fix" not in said(answer)


def test_several_field_errors_are_said_once_each(client, athlete):
    answer = replay(client, "/profile", {"runner_type": "marathon-on-mars", "knee_status": "sore"})
    assert answer.status_code == 422
    reason = said(answer)
    assert reason.count("Choose one of the options") == 1 and len(reason) <= 300


def test_an_error_page_refusal_is_its_title_and_message(client, athlete):
    assert replay(client, "/checkin", CHECKIN).status_code == 303
    answer = replay(client, "/checkin", {**CHECKIN, "pain_now": "7"})
    assert answer.status_code == 422
    assert said(answer) == ("Already saved with different answers. This was sent before with different "
                            "answers, so it was not saved again. Open the page, check what is saved, and "
                            "change it there if you need to.")


def test_only_the_outbox_is_told_and_only_for_a_refusal(client, athlete):
    stale = {**CHECKIN, "local_date": (TODAY - timedelta(days=1)).isoformat()}
    page = client.post("/checkin", data=stale)  # the runner's own tap: the page says why
    assert page.status_code == 422 and "KneeReady-Refusal" not in page.headers
    saved = replay(client, "/checkin", CHECKIN, key="phone-key-0002")
    assert saved.status_code == 303 and "KneeReady-Refusal" not in saved.headers
