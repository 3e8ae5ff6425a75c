"""Sign up, sign in, sign out, change password, delete account — and every bad input."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AthleteProfile, User

GOOD = {
    "email": "Jo.Runner@Example.com",
    "display_name": "Jo Runner",
    "password": "knees like new 2026",
    "role": "athlete",
    "accept_disclaimer": "y",
}


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(User))


def test_signup_creates_athlete_and_goes_to_onboarding(client, app):
    response = client.post("/signup", data=GOOD)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/profile")
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email == "jo.runner@example.com"
        assert user.is_athlete and not user.is_coach
        assert user.password_hash.startswith("$argon2id$")
        assert user.disclaimer_accepted_at is not None
    page = client.get("/profile").get_data(as_text=True)
    assert "Welcome, Jo Runner" in page


@pytest.mark.parametrize("role, athlete, coach, landing", [
    ("coach", False, True, "/today"),
    ("both", True, True, "/profile"),
])
def test_signup_roles(client, app, role, athlete, coach, landing):
    response = client.post("/signup", data={**GOOD, "role": role})
    assert response.status_code == 303
    assert response.headers["Location"].startswith(landing)
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert (user.is_athlete, user.is_coach) == (athlete, coach)


BAD_SIGNUPS = [
    ("duplicate email", {"email": "taken@example.com"}, "email", "already exists"),
    ("duplicate email, other case", {"email": "TAKEN@example.com "}, "email", "already exists"),
    ("malformed email", {"email": "not-an-email"}, "email", "Enter an email address like"),
    ("missing email", {"email": ""}, "email", "Enter your email address"),
    ("short password", {"password": "short1"}, "password", "at least 10 characters"),
    ("common password", {"password": "password123"}, "password", "too common"),
    ("password is the email", {"email": "kneesafe123@example.com", "password": "kneesafe123@example.com"},
     "password", "Don't use your email"),
    ("missing password", {"password": ""}, "password", "Choose a password"),
    ("missing name", {"display_name": "   "}, "display_name", "Enter the name to show"),
    ("over-long name", {"display_name": "x" * 81}, "display_name", "80 characters or fewer"),
    ("unknown role", {"role": "admin"}, "role", "Choose one of the options."),
    ("disclaimer not accepted", {"accept_disclaimer": ""}, "accept_disclaimer", "medical disclaimer"),
]


@pytest.mark.parametrize("case, changes, field, message", BAD_SIGNUPS, ids=[c[0] for c in BAD_SIGNUPS])
def test_signup_rejects_bad_input_next_to_the_field(client, app, make_user, case, changes, field, message):
    make_user(email="taken@example.com")
    before = user_count(app)
    response = client.post("/signup", data={**GOOD, **changes})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    error_text = page.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error_text.replace("&#39;", "'")
    assert user_count(app) == before


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_signup_without_valid_csrf_token_is_refused(client, app, token):
    data = dict(GOOD)
    if token:
        data["csrf_token"] = token
    response = client.post("/signup", data=data, csrf=False)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_signin_and_signout(client, auth, make_user):
    make_user()
    response = auth.signin()
    assert response.status_code == 303
    assert response.headers["Location"] == "/today"
    assert client.get("/today").status_code == 200
    response = auth.signout()
    assert response.status_code == 303
    assert client.get("/today").status_code == 302


def test_signin_follows_only_local_next(client, make_user):
    make_user()
    data = {"email": "runner@example.com", "password": "correct horse battery"}
    assert client.post("/signin?next=/exercises/", data=data).headers["Location"] == "/exercises/"
    client.post("/signout")
    assert client.post("/signin?next=https://evil.example/", data=data).headers["Location"] == "/today"
    client.post("/signout")
    assert client.post("/signin?next=//evil.example/", data=data).headers["Location"] == "/today"


@pytest.mark.parametrize("target", ["/\n", "/today\r\nSet-Cookie: x=1", "/\t/evil.example", "/a\x7f"])
def test_signin_ignores_a_next_with_control_characters(client, make_user, target):
    """A line break in next once reached the Location header, and Werkzeug's refusal was a 500."""
    make_user()
    data = {"email": "runner@example.com", "password": "correct horse battery", "next": target}
    response = client.post("/signin", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/today"


@pytest.mark.parametrize("email, password", [
    ("runner@example.com", "wrong password here"),
    ("nobody@example.com", "correct horse battery"),
    ("", ""),
])
def test_signin_failure_says_so_without_revealing_which(client, make_user, email, password):
    make_user()
    response = client.post("/signin", data={"email": email, "password": password})
    assert response.status_code == 422
    assert client.get("/today").status_code == 302


def test_remember_me_sets_a_lasting_httponly_cookie(client, auth, make_user):
    make_user()
    response = auth.signin(remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember and "Expires=" in remember
    session = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session


def test_session_fixation_old_session_data_does_not_survive_signin(client, auth, make_user):
    make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.signin()
    with client.session_transaction() as session:
        assert "planted" not in session


def test_changing_password_signs_out_other_sessions(app, make_user):
    make_user()
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        device.post("/signin", data={"email": "runner@example.com", "password": "correct horse battery"})
        assert device.get("/today").status_code == 200
    response = phone.post("/account/password", data={
        "pw-current_password": "correct horse battery", "pw-new_password": "a fresh new passphrase"})
    assert response.status_code == 303
    assert phone.get("/today").status_code == 200
    assert laptop.get("/today").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/signin", data={"email": "runner@example.com",
                                       "password": "a fresh new passphrase"}).status_code == 303


@pytest.mark.parametrize("current, new, field, message", [
    ("wrong password here", "a fresh new passphrase", "pw-current_password", "isn't your current password"),
    ("correct horse battery", "short", "pw-new_password", "at least 10 characters"),
    ("correct horse battery", "qwertyuiop", "pw-new_password", "too common"),
])
def test_change_password_bad_input_changes_nothing(client, auth, app, make_user, current, new, field, message):
    make_user()
    auth.signin()
    with app.app_context():
        before = db.session.scalar(db.select(User.password_hash))
    response = client.post("/account/password", data={"pw-current_password": current, "pw-new_password": new})
    assert response.status_code == 422
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert f'id="{field}-error"' in page and message in page
    with app.app_context():
        assert db.session.scalar(db.select(User.password_hash)) == before


def test_delete_account_needs_password_and_removes_everything(client, auth, app, make_user):
    make_user()
    auth.signin()
    response = client.post("/account/delete", data={"del-password": "wrong password here", "del-confirm": "y"})
    assert response.status_code == 422
    assert user_count(app) == 1
    response = client.post("/account/delete", data={"del-password": "correct horse battery"})
    assert response.status_code == 422
    assert user_count(app) == 1
    response = client.post("/account/delete", data={"del-password": "correct horse battery", "del-confirm": "y"})
    assert response.status_code == 303
    assert user_count(app) == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AthleteProfile)) == 0
    assert client.get("/today").status_code == 302


def test_signout_needs_post(client, auth, make_user):
    make_user()
    auth.signin()
    assert client.get("/signout").status_code == 405
    assert client.get("/today").status_code == 200


@pytest.mark.parametrize("path, data", [
    ("/signin", {"email": "runner@example.com", "password": "nope nope nope"}),
    ("/signup", {"email": "not an email", "display_name": "Riley", "password": "short", "role": "athlete"}),
    ("/account/password", {"pw-current_password": "wrong password here", "pw-new_password": "a new long password",
                           "pw-confirm": "a new long password"}),
    ("/account/delete", {"del-password": "wrong password here", "del-confirm": "y"}),
])
def test_account_endpoints_are_rate_limited(app, make_user, limited_app, path, data):
    make_user()
    client = limited_app.test_client()
    if path.startswith("/account"):
        assert client.post("/signin", data={"email": "runner@example.com",
                                            "password": "correct horse battery"}).status_code == 303
    statuses = [client.post(path, data=data).status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
    assert "Too many attempts" in client.post(path, data=data).get_data(as_text=True)
    assert user_count(app) == 1


def test_account_page_shows_who_is_signed_in_with_the_address_wrapping_after_its_at(client, auth, make_user):
    make_user(email="a.very.long.mailbox+knees@example.com", name="Riley <Runner>")
    auth.signin(email="a.very.long.mailbox+knees@example.com")
    page = client.get("/account").get_data(as_text=True)
    assert "<dd>a.very.long.mailbox+knees@<wbr>example.com</dd>" in page
    assert "<dd>Riley &lt;Runner&gt;</dd>" in page


def test_pages_loaded_at_once_after_signin_keep_the_forms_token(app, client, auth, make_user):
    """Regression (a browser test's flake): right after sign-in the browser loads the landing
    page while the service worker checks the session, both with the cookie the sign-in set. If
    that cookie carried no CSRF token, each would mint its own and the last cookie to arrive
    would leave the other page's form token stale: the first check-in failed its CSRF check."""
    from tests.conftest import CSRF_IN_PAGE

    make_user()
    auth.signin()
    after_signin = client.get_cookie("session").value
    page = client.get("/checkin").get_data(as_text=True)
    token = CSRF_IN_PAGE.search(page).group(1)
    worker = app.test_client()  # the same browser's other request, sent with the same cookie
    worker.set_cookie("session", after_signin)
    answer = worker.get("/pwa/session")
    assert answer.status_code == 200
    client.set_cookie("session", worker.get_cookie("session").value)  # its cookie arrived last
    posted = client.post("/checkin", data={"csrf_token": token, "pain_now": "1", "worst_pain": "",
                                           "stiffness": "none", "swelling": "none", "save": "1"})
    assert posted.status_code == 303, posted.get_data(as_text=True)[-1500:]


def test_the_signed_in_user_is_read_once_as_plain_values(app, make_user, statements):
    """Every request reads who is signed in: one row, as frozen values a page cannot change by
    mistake, without the password hash; a token that was rotated away signs no one in."""
    from dataclasses import FrozenInstanceError

    from app.auth import signed_in

    user_id = make_user(has_band=True, has_step=True, timezone="Europe/Oslo")
    coach_id = make_user(email="coach@example.com", athlete=False, coach=True)
    with app.test_request_context():
        token, coach_token = (db.session.get(User, id_).session_token for id_ in (user_id, coach_id))
        with statements() as seen:
            user = signed_in.load(token)
        assert len(seen) == 1
        assert (user.id, user.email, user.is_athlete, user.is_coach) == (user_id, "runner@example.com", True, False)
        assert user.get_id() == token and user.is_authenticated
        assert user.profile.timezone == "Europe/Oslo" and user.profile.equipment == {"band", "step"}
        assert not hasattr(user, "password_hash")
        with pytest.raises(FrozenInstanceError):
            user.profile.pain_threshold = 2
        with pytest.raises(FrozenInstanceError):
            user.display_name = "Someone else"
        coach = signed_in.load(coach_token)
        assert coach.is_coach and coach.profile is None
        db.session.get(User, user_id).rotate_session_token()
        db.session.commit()
        assert signed_in.load(token) is None
        assert signed_in.load("a token no one has") is None
