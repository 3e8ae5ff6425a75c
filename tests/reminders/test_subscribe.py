"""The page's subscription reaches the server: stored per device, or refused with a message."""
from __future__ import annotations

import json

import pytest

from app.extensions import db
from app.models import PushSubscription
from tests.reminders.push_service import Browser, b64
from tests.security.snapshot import database_snapshot

DEVICE = Browser("https://fcm.googleapis.com/fcm/send/abc:123")


def _post(client, body, raw: bool = False, token: bool = True):
    headers = {"X-CSRFToken": client.csrf_token()} if token else {}
    data = body if raw else json.dumps(body)
    return client.post("/reminders/push/subscriptions", data=data, content_type="application/json",
                       headers=headers, csrf=False)


def _good(**changes) -> dict:
    return {"endpoint": DEVICE.endpoint, "expirationTime": None, "keys": dict(DEVICE.keys), **changes}


def _rows(app) -> list[tuple]:
    with app.app_context():
        return [(s.user_id, s.endpoint, s.p256dh) for s in db.session.scalars(db.select(PushSubscription))]


@pytest.fixture
def athlete(client, auth, make_user):
    user_id = make_user()
    auth.signin()
    return user_id


def test_a_subscription_is_stored_once_per_device(app, client, athlete):
    response = _post(client, _good())
    assert response.status_code == 201 and response.get_data(as_text=True) == "Reminders will come to this device."
    assert _post(client, _good()).status_code == 201  # the page re-sends it on each visit
    laptop = Browser("https://updates.push.services.mozilla.com/wpush/v2/xyz")
    _post(client, {"endpoint": laptop.endpoint, "keys": laptop.keys})
    assert sorted(row[1] for row in _rows(app)) == sorted([DEVICE.endpoint, laptop.endpoint])


def test_a_device_that_changes_hands_moves_to_the_person_signed_in(app, make_user):
    first, second = make_user(email="a@example.com"), make_user(email="b@example.com")
    for email in ("a@example.com", "b@example.com"):
        client = app.test_client()
        client.post("/signin", data={"email": email, "password": "correct horse battery"})
        _post(client, _good())
    assert [row[0] for row in _rows(app)] == [second]
    assert first != second


def test_removing_this_device_deletes_only_its_own_subscription(app, client, athlete, make_user):
    _post(client, _good())
    response = client.post("/reminders/push/unsubscribe", data=json.dumps({"endpoint": DEVICE.endpoint}),
                           content_type="application/json", headers={"X-CSRFToken": client.csrf_token()}, csrf=False)
    assert response.status_code == 200
    assert _rows(app) == []


def _bad_point() -> str:
    return b64(b"\x04" + b"\x01" * 64)  # the right length, but not a point on P-256


BAD = [
    ("not JSON", "endpoint=https://x", True, "Send the subscription as JSON."),
    ("JSON but not an object", "[1, 2]", True, "Send the subscription as a JSON object."),
    ("no endpoint", {"keys": DEVICE.keys}, False, "The subscription has no endpoint."),
    ("plain http", _good(endpoint="http://fcm.googleapis.com/x"), False, "The endpoint must be an https:// address."),
    ("not a URL", _good(endpoint="javascript:alert(1)"), False, "The endpoint must be an https:// address."),
    ("space in endpoint", _good(endpoint="https://push.example/a b"), False, "The endpoint must be an https:// address."),
    ("endpoint too long", _good(endpoint="https://push.example/" + "a" * 2100), False, "The endpoint is too long."),
    ("no keys", _good(keys=None), False, "The subscription has no keys."),
    ("unknown key type", _good(keys={**DEVICE.keys, "x25519": "AAAA"}), False, "Unknown key type: x25519."),
    ("p256dh not base64url", _good(keys={**DEVICE.keys, "p256dh": "<script>"}), False, "The p256dh key must be"),
    ("p256dh off the curve", _good(keys={**DEVICE.keys, "p256dh": _bad_point()}), False, "The p256dh key must be"),
    ("auth too short", _good(keys={**DEVICE.keys, "auth": b64(b"1234")}), False, "The auth key must be 16 bytes"),
    ("auth not a string", _good(keys={**DEVICE.keys, "auth": 16}), False, "The auth key must be 16 bytes"),
    ("huge body", json.dumps(_good(padding="x" * 5000)), True, "The subscription is too large."),
    ("bad UTF-8", b'{"endpoint": "\xff\xfe"}', True, "Send the subscription as JSON."),
]


@pytest.mark.parametrize("body, raw, message", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_subscription_is_refused_with_a_message_and_nothing_is_stored(app, client, athlete, body, raw, message):
    before = database_snapshot(app)
    response = _post(client, body, raw=raw)
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith(message)
    assert database_snapshot(app) == before


def test_a_subscription_without_the_csrf_token_is_refused(app, client, athlete):
    response = _post(client, _good(), token=False)
    assert response.status_code == 400
    assert _rows(app) == []


def test_a_coach_without_a_running_profile_cannot_subscribe(app, client, auth, make_user):
    make_user(email="coach@example.com", athlete=False, coach=True)
    auth.signin(email="coach@example.com")
    assert _post(client, _good()).status_code == 404


def test_at_most_ten_devices(app, client, athlete):
    for n in range(10):
        device = Browser(f"https://push.example.net/{n}")
        assert _post(client, {"endpoint": device.endpoint, "keys": device.keys}).status_code == 201
    eleventh = Browser("https://push.example.net/11")
    response = _post(client, {"endpoint": eleventh.endpoint, "keys": eleventh.keys})
    assert response.status_code == 400 and "At most 10" in response.get_data(as_text=True)
