"""Exactly-once writes: the same Idempotency-Key stores one row, however often it arrives."""
from __future__ import annotations

import pytest

from app import idempotency
from tests.pwa.conftest import KEY


@pytest.fixture
def runner(writes_app, make_user, auth):
    user_id = make_user()
    auth.signin()
    return user_id


def post(client, data=None, key=KEY, **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/test-writes", data={"seconds": "300", **(data or {})}, headers=headers)


def test_the_same_request_replayed_three_times_stores_one_row(client, runner, log_count, key_rows):
    answers = [post(client) for _ in range(3)]
    assert [a.status_code for a in answers] == [303, 303, 303]
    assert {a.headers["Location"] for a in answers} == {"/today"}
    assert "Idempotent-Replayed" not in answers[0].headers
    assert [a.headers.get("Idempotent-Replayed") for a in answers[1:]] == ["true", "true"]
    assert log_count() == 1
    assert key_rows() == [(runner, KEY, 303, "/today")]


def test_without_a_key_every_post_is_a_new_write(client, runner, log_count, key_rows):
    post(client, key=None)
    post(client, key=None)
    assert log_count() == 2 and key_rows() == []


def test_a_new_key_is_a_new_write(client, runner, log_count):
    post(client, key="key-one-11111111")
    post(client, key="key-two-22222222")
    assert log_count() == 2


def test_the_same_key_with_different_content_is_refused(client, runner, log_count):
    post(client)
    answer = post(client, {"seconds": "420"})
    assert answer.status_code == 422
    assert "Already saved with different answers" in answer.get_data(as_text=True)
    assert log_count() == 1


def test_a_fresh_csrf_token_is_not_different_content(client, runner, auth, log_count):
    first = client.csrf_token()
    post(client, {"csrf_token": first})
    auth.signout()
    auth.signin()  # a new session: a new token, as when the phone replays after signing in again
    second = client.csrf_token()
    answer = post(client, {"csrf_token": second})
    assert second != first
    assert answer.status_code == 303 and answer.headers["Idempotent-Replayed"] == "true"
    assert log_count() == 1


def test_a_refused_write_keeps_no_key_so_it_can_be_sent_again(client, runner, log_count, key_rows):
    answer = post(client, {"seconds": "five minutes"})
    assert answer.status_code == 422
    assert log_count() == 0 and key_rows() == []
    assert post(client).status_code == 303
    assert log_count() == 1


def test_a_write_whose_answer_was_lost_is_not_stored_twice(client, runner, log_count, key_rows):
    assert post(client, {"explode": "1"}).status_code == 500
    assert log_count() == 1 and key_rows()[0][2] == idempotency.ANSWER_LOST
    answer = post(client, {"explode": "1"})
    assert answer.status_code == 204 and answer.headers["Idempotent-Replayed"] == "true"
    assert log_count() == 1


def test_keys_belong_to_one_user(client, writes_app, make_user, auth, log_count):
    make_user()
    make_user(email="other@example.com")
    auth.signin()
    post(client)
    auth.signout()
    auth.signin(email="other@example.com")
    answer = post(client)
    assert answer.status_code == 303 and "Idempotent-Replayed" not in answer.headers
    assert log_count() == 2


def test_a_racing_copy_meets_the_unique_constraint_and_replays(client, runner, log_count, monkeypatch):
    post(client)
    real_lookup = idempotency._lookup
    calls = []

    def lookup_missing_the_first_time(user_id, key):
        calls.append(key)
        return None if len(calls) == 1 else real_lookup(user_id, key)

    monkeypatch.setattr(idempotency, "_lookup", lookup_missing_the_first_time)
    answer = post(client)
    assert answer.status_code == 303 and answer.headers["Idempotent-Replayed"] == "true"
    assert len(calls) == 2 and log_count() == 1


def test_an_htmx_replay_redirects_the_htmx_way(client, runner):
    post(client)
    answer = post(client, **{"HX-Request": "true"})
    assert answer.status_code == 204 and answer.headers["HX-Location"] == "/today"


def test_the_outbox_replay_drops_the_flash_message(client, runner):
    post(client, **{"KneeReady-Sync": "1"})
    assert "Warm-up saved." not in client.get("/today").get_data(as_text=True)
    post(client, key="another-key-3333")
    assert "Warm-up saved." in client.get("/today").get_data(as_text=True)


@pytest.mark.parametrize("key", ["short", "x" * 101, "has spaces in it", "semi;colon-123", "ümlaut-12345"])
def test_a_malformed_key_is_refused(client, runner, log_count, key):
    header = key.encode().decode("latin-1")  # as it arrives in an HTTP header
    answer = client.post("/test-writes", data={"seconds": "300"}, headers={"Idempotency-Key": header})
    assert answer.status_code == 400
    assert log_count() == 0


def test_signed_out_writes_with_a_key_get_401_not_a_redirect(client, writes_app, log_count):
    answer = post(client)
    assert answer.status_code == 401 and "Location" not in answer.headers
    assert "HX-Redirect" not in answer.headers
    assert log_count() == 0


def test_signed_out_htmx_requests_get_401_and_go_to_sign_in(client):
    answer = client.get("/today", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"] == "/signin?next=%2Ftoday"
    fragment = client.post("/profile", data={}, headers={"HX-Request": "true",
                                                         "HX-Current-URL": "http://localhost/profile"})
    assert fragment.status_code == 401 and fragment.headers["HX-Redirect"] == "/signin?next=%2Fprofile"


def test_signed_out_browsers_still_go_to_sign_in(client):
    answer = client.get("/today")
    assert answer.status_code == 302 and answer.headers["Location"] == "/signin?next=%2Ftoday"
    assert "Please sign in to see that page." in client.get("/signin").get_data(as_text=True)


def test_a_csrf_failure_says_so_in_a_header(client, runner, log_count):
    answer = client.post("/test-writes", csrf=False, data={"seconds": "300"}, headers={"Idempotency-Key": KEY})
    assert answer.status_code == 400 and answer.headers["KneeReady-Error"] == "csrf"
    assert log_count() == 0


def test_a_get_ignores_the_key(client, runner):
    assert client.get("/profile", headers={"Idempotency-Key": KEY}).status_code == 200


def test_the_profile_form_is_idempotent(client, runner, key_rows):
    data = {"runner_type": "trail", "knee_status": "none", "timezone": "UTC"}
    for _ in range(3):
        answer = client.post("/profile", data=data, headers={"Idempotency-Key": KEY})
        assert answer.status_code == 303
    assert answer.headers["Idempotent-Replayed"] == "true"
    assert len(key_rows()) == 1


def test_copies_sent_at_the_same_moment_store_one_row(writes_app, make_user, log_count, key_rows):
    import threading

    from tests.conftest import AuthActions

    make_user()
    clients = [writes_app.test_client() for _ in range(4)]
    for each in clients:
        AuthActions(each).signin()
    barrier = threading.Barrier(len(clients))
    answers = []

    def send(each):
        token = each.csrf_token()
        barrier.wait(timeout=10)
        answers.append(post(each, {"csrf_token": token}).status_code)

    threads = [threading.Thread(target=send, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [303, 303, 303, 303]
    assert log_count() == 1 and len(key_rows()) == 1
