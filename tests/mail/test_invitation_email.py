"""Invitations by email: the coach types the runner's address; the link and the code still work."""
from __future__ import annotations

import html
import re

import pytest

from app.extensions import db
from app.models import CoachLink
from tests.fixtures.coaching import sign_in_as
from tests.fixtures.mail import parts

LINK = re.compile(r"https://kneeready\.example/invite/(KR-[0-9A-Z]{4}-[0-9A-Z]{4})")


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _invitations(app) -> list[CoachLink]:
    with app.app_context():
        return list(db.session.scalars(db.select(CoachLink).order_by(CoachLink.id)))


@pytest.fixture
def coach(mail_app, make_user):
    return make_user("coach@example.com", name="Coach Sam", athlete=False, coach=True)


def test_the_runner_gets_an_email_with_the_link_and_the_code(mail_app, coach, make_user, inbox):
    client = mail_app.test_client()
    sign_in_as(client, mail_app, coach)
    response = client.post("/coach/invitations/email", data={"email": " Runner@Example.com "})
    [link] = _invitations(mail_app)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/coach/invitations?new={link.id}#invite-{link.id}"
    assert (link.status, link.athlete_id, link.coach_id) == ("invited", None, coach)
    code = f"KR-{link.invite_code[:4]}-{link.invite_code[4:]}"

    [received] = inbox.messages
    assert received.recipients == ["Runner@Example.com"]
    assert received.message["Subject"] == "Coach Sam invites you to KneeReady"
    assert received.message["List-Unsubscribe"] is None  # one message asked for by a person
    bodies = parts(received.message)
    for body in bodies.values():
        assert LINK.search(body).group(1) == code
        assert code in body and "https://kneeready.example/invite" in body
        assert "pain was" not in body and "/10" not in body
    assert set(bodies) == {"text/plain", "text/html"}
    page = _text(client.get(response.headers["Location"]))
    assert "Invitation emailed to Runner@Example.com" in page and code in page

    # The emailed link is the invitation's own: the runner opens it and accepts.
    runner = make_user("runner@example.com")
    sign_in_as(client, mail_app, runner)
    path = LINK.search(bodies["text/plain"]).group(0).removeprefix("https://kneeready.example")
    assert "Coach Sam would like to coach you" in _text(client.get(path))
    assert client.post(f"{path}/accept").status_code == 303
    assert [(row.status, row.athlete_id) for row in _invitations(mail_app)] == [("active", runner)]


def test_the_code_from_the_email_can_be_typed_instead(mail_app, coach, make_user, inbox):
    client = mail_app.test_client()
    sign_in_as(client, mail_app, coach)
    client.post("/coach/invitations/email", data={"email": "runner@example.com"})
    code = LINK.search(parts(inbox.messages[0].message)["text/plain"]).group(1)
    sign_in_as(client, mail_app, make_user("runner@example.com"))
    response = client.post("/invite", data={"code": code.lower()})
    assert response.status_code == 303 and response.headers["Location"] == f"/invite/{code}"


@pytest.mark.parametrize("typed, message", [
    ("", "Enter the runner's email address."),
    ("   ", "Enter the runner's email address."),
    ("not-an-address", "Enter an email address like name@example.com."),
    ("a@@example.com", "Enter an email address like name@example.com."),
    ("a" * 250 + "@example.com", "Keep it to 254 characters or fewer."),
    ("COACH@example.com", "That's your own address. Enter the runner's."),
])
def test_a_bad_address_is_refused_next_to_the_field_and_nothing_is_stored_or_sent(
        mail_app, coach, inbox, typed, message):
    client = mail_app.test_client()
    sign_in_as(client, mail_app, coach)
    response = client.post("/coach/invitations/email", data={"email": typed})
    assert response.status_code == 422
    page = _text(response)
    assert f'<p class="field-error" id="email-error">{message}' in page
    assert 'aria-invalid="true"' in page
    assert _invitations(mail_app) == [] and inbox.messages == []


def test_only_coaches_can_email_invitations(mail_app, make_user, inbox):
    client = mail_app.test_client()
    sign_in_as(client, mail_app, make_user("runner@example.com"))
    assert client.post("/coach/invitations/email", data={"email": "x@example.com"}).status_code == 404
    assert _invitations(mail_app) == [] and inbox.messages == []
    anonymous = mail_app.test_client()
    assert anonymous.post("/coach/invitations/email", data={"email": "x@example.com"}).status_code == 302
    assert _invitations(mail_app) == []


def test_the_email_form_needs_its_csrf_token(mail_app, coach, inbox):
    client = mail_app.test_client()
    sign_in_as(client, mail_app, coach)
    response = client.post("/coach/invitations/email", data={"email": "runner@example.com"}, csrf=False)
    assert response.status_code == 400
    assert _invitations(mail_app) == [] and inbox.messages == []


def test_the_invitations_page_shows_the_email_form_with_a_label(mail_app, coach):
    client = mail_app.test_client()
    sign_in_as(client, mail_app, coach)
    page = _text(client.get("/coach/invitations"))
    assert 'action="/coach/invitations/email"' in page
    assert '<label for="email">Runner\'s email</label>' in page


def test_emailing_invitations_shares_the_invitation_rate_limit(limited_app, make_user, smtp_config, inbox):
    from app import mail

    limited_app.config.update(smtp_config)
    mail.mail.init_app(limited_app)
    coach = make_user("coach@example.com", name="Coach Sam", athlete=False, coach=True)
    client = limited_app.test_client()
    sign_in_as(client, limited_app, coach)
    statuses = [client.post("/coach/invitations").status_code for _ in range(10)]
    statuses += [client.post("/coach/invitations/email", data={"email": f"r{n}@example.com"}).status_code
                 for n in range(10)]
    assert set(statuses) == {303}
    response = client.post("/coach/invitations/email", data={"email": "late@example.com"})
    assert response.status_code == 429
    assert len(inbox.messages) == 10 and "late@example.com" not in {r.recipients[0] for r in inbox.messages}
