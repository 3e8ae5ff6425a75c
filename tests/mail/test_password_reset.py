"""Password reset by email: signed, one hour, single use, silent about who has an account."""
from __future__ import annotations

import html
import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.auth import reset
from app.extensions import db
from app.models import User
from tests.fixtures.mail import parts

LINK = re.compile(r"https://kneeready\.example(/password/reset/[A-Za-z0-9_.\-]+)")
NEW = "a brand new knee phrase"


def _ask(client, email="runner@example.com"):
    return client.post("/password/forgot", data={"email": email})


def _link(inbox) -> str:
    return LINK.search(parts(inbox.messages[-1].message)["text/plain"]).group(1)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _user(app, email="runner@example.com") -> User:
    with app.app_context():
        return db.session.scalar(db.select(User).where(User.email == email))


def test_the_sign_in_page_links_to_the_reset(client):
    assert 'href="/password/forgot"' in client.get("/signin").get_data(as_text=True)


def test_a_reset_email_arrives_with_a_link_on_the_public_address_and_no_unsubscribe(mail_app, make_user, inbox):
    make_user(name="Riley")
    client = mail_app.test_client()
    response = _ask(client, " Runner@Example.com ")
    assert response.status_code == 303 and response.headers["Location"] == "/password/forgot/sent"
    [received] = inbox.messages
    assert received.recipients == ["runner@example.com"]
    assert received.message["Subject"] == "Reset your KneeReady password"
    assert received.message["List-Unsubscribe"] is None
    bodies = parts(received.message)
    assert LINK.search(bodies["text/plain"]) and LINK.search(bodies["text/html"])
    assert "Hi Riley" in bodies["text/plain"]


def test_a_forged_host_header_never_reaches_the_link(mail_app, make_user, inbox):
    make_user()
    mail_app.config["WTF_CSRF_ENABLED"] = False  # the CSRF cookie belongs to the real host
    response = mail_app.test_client().post("/password/forgot", data={"email": "runner@example.com"},
                                           headers={"Host": "evil.example"}, csrf=False)
    assert response.status_code == 303
    assert "evil.example" not in inbox.messages[0].message.as_string()


def test_an_unknown_address_gets_the_same_answer_and_no_email(mail_app, make_user, inbox):
    make_user()
    client = mail_app.test_client()
    known, unknown = _ask(client), _ask(client, "nobody@example.com")
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert [m.recipients for m in inbox.messages] == [["runner@example.com"]]
    page = client.get("/password/forgot/sent").get_data(as_text=True)
    assert "If that address has a KneeReady account" in page


def test_the_link_sets_a_new_password_signs_out_every_other_session_and_works_once(mail_app, make_user, inbox):
    make_user()
    other_device = mail_app.test_client()
    other_device.post("/signin", data={"email": "runner@example.com", "password": "correct horse battery"})
    assert other_device.get("/today").status_code == 200

    client = mail_app.test_client()
    _ask(client)
    link = _link(inbox)
    assert "Choose a new password" in client.get(link).get_data(as_text=True)
    response = client.post(link, data={"new_password": NEW})
    assert response.status_code == 303 and response.headers["Location"] == "/today"
    assert client.get("/today").status_code == 200  # this browser is signed in
    assert other_device.get("/today").status_code == 302  # the other one is signed out

    before = _user(mail_app).password_hash
    again = mail_app.test_client().post(link, data={"new_password": "yet another knee phrase"})
    assert again.status_code == 400
    assert "This link doesn't work any more" in _text(again)
    assert _user(mail_app).password_hash == before
    assert mail_app.test_client().post("/signin", data={"email": "runner@example.com",
                                                        "password": NEW}).status_code == 303


def test_an_expired_link_says_so_and_changes_nothing(app, make_user, client):
    make_user()

    class HourOldSigner(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - reset.MAX_AGE_SECONDS - 5

    with app.app_context():
        user = db.session.scalar(db.select(User))
        old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=reset.SALT, signer=HourOldSigner)
        token = old.dumps({"u": user.id, "f": reset._fingerprint(user)})
        before = user.password_hash
    response = client.post(f"/password/reset/{token}", data={"new_password": NEW})
    assert response.status_code == 400
    assert "This link has expired" in _text(response)
    assert _user(app).password_hash == before


def test_a_link_for_a_deleted_account_is_a_clear_page(app, make_user, client):
    make_user()
    with app.app_context():
        user = db.session.scalar(db.select(User))
        token = reset.make_token(user)
        db.session.delete(user)
        db.session.commit()
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 400
    assert "Get a new link" in _text(response)


@pytest.mark.parametrize("token", ["nonsense", "a" * 500, "eyJ1IjoxfQ.forged.sig", "x.y.z"])
def test_a_forged_or_garbled_link_is_a_clear_page(client, token):
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 400
    assert "This link doesn't work any more" in _text(response)


def test_a_weak_new_password_is_refused_next_to_the_field_and_the_link_still_works(app, make_user, client):
    make_user()
    with app.app_context():
        token = reset.make_token(db.session.scalar(db.select(User)))
    for weak, message in [("short", "Use at least 10 characters."), ("password123", "too common"),
                          ("runner@example.com", "Don't use your email")]:
        response = client.post(f"/password/reset/{token}", data={"new_password": weak})
        assert response.status_code == 422
        assert message in _text(response)
    assert client.post(f"/password/reset/{token}", data={"new_password": NEW}).status_code == 303


def test_a_newer_password_change_cancels_the_link(app, make_user, auth, client):
    make_user()
    with app.app_context():
        token = reset.make_token(db.session.scalar(db.select(User)))
    auth.signin()
    client.post("/account/password", data={"pw-current_password": "correct horse battery", "pw-new_password": NEW})
    assert client.get(f"/password/reset/{token}").status_code == 400


def test_asking_for_links_is_rate_limited(app, make_user, limited_app):
    make_user()
    client = limited_app.test_client()
    statuses = [client.post("/password/forgot", data={"email": "nobody@example.com"}).status_code
                for _ in range(6)]
    assert statuses == [303] * 5 + [429]


def test_smtp_down_still_gives_the_same_answer(app, make_user, client):
    make_user()
    app.config.update({"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9,
                       "MAIL_USE_TLS": False, "MAIL_TIMEOUT": 2})
    from app import mail

    mail.mail.init_app(app)
    response = _ask(client)
    assert response.status_code == 303 and response.headers["Location"] == "/password/forgot/sent"
