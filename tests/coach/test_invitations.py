"""Linking a coach and an athlete: invitations, answers, leaving and removing — and every bad code."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.coach import invites
from app.extensions import db
from app.models import CoachLink, User, utcnow
from tests.fixtures.coaching import add_link, add_user, text

CODE_ON_PAGE = re.compile(r"KR-[0-9A-Z]{4}-[0-9A-Z]{4}")


def link_row(app, link_id: int) -> tuple:
    with app.app_context():
        link = db.session.get(CoachLink, link_id)
        return link.status, link.athlete_id


def test_a_coach_creates_an_invitation_with_a_link_and_a_short_code(client, app, cast, login):
    login(cast.coach)
    response = client.post("/coach/invitations")
    assert response.status_code == 303
    with app.app_context():
        link = db.session.scalar(db.select(CoachLink).where(CoachLink.coach_id == cast.coach,
                                                            CoachLink.status == "invited"))
        assert len(link.invite_code) == 8 and link.athlete_id is None
        assert link.expires_at - link.created_at == timedelta(days=7)
        code = f"KR-{link.invite_code[:4]}-{link.invite_code[4:]}"
    assert response.headers["Location"] == f"/coach/invitations?new={link.id}#invite-{link.id}"
    page = text(client.get("/coach/invitations"))
    assert code in page and f"http://localhost/invite/{code}" in page
    assert "Expires in 7 days" in page


def test_an_athlete_opens_the_link_sees_the_coach_and_accepts(client, app, cast, login):
    login(cast.athlete)
    page = text(client.get("/invite/KR-7Q4M-X2PD"))
    assert "Coach Pending would like to coach you" in page
    assert "Accept Coach Pending as my coach" in page and "Decline" in page
    response = client.post("/invite/KR-7Q4M-X2PD/accept")
    assert response.status_code == 303 and response.headers["Location"] == "/coaches"
    assert link_row(app, cast.invitation) == ("active", cast.athlete)
    assert "Coach Pending" in text(client.get("/coaches"))
    login(cast.pending)
    assert "Riley Runner" in text(client.get("/coach"))
    assert client.get(f"/coach/athletes/{cast.athlete}").status_code == 200


def test_one_athlete_can_have_more_than_one_coach(client, app, cast, login):
    login(cast.athlete)
    client.post("/invite/KR-7Q4M-X2PD/accept")
    page = text(client.get("/coaches"))
    assert "Coach Sam" in page and "Coach Pending" in page
    for coach in (cast.coach, cast.pending):
        login(coach)
        assert client.get(f"/coach/athletes/{cast.athlete}").status_code == 200


def test_declining_links_nobody_and_spends_the_code(client, app, cast, login):
    login(cast.athlete)
    response = client.post("/invite/KR-7Q4M-X2PD/decline")
    assert response.status_code == 303 and response.headers["Location"] == "/today"
    assert link_row(app, cast.invitation) == ("declined", cast.athlete)
    assert client.post("/invite/KR-7Q4M-X2PD/accept").status_code == 410
    login(cast.pending)
    assert client.get(f"/coach/athletes/{cast.athlete}").status_code == 404
    assert "Riley" not in text(client.get("/coach"))


def test_a_visitor_signs_up_through_the_invitation_then_accepts(client, app, cast):
    page = text(client.get("/invite/KR-7Q4M-X2PD"))
    assert "Coach Pending would like to coach you" in page
    assert 'href="/signup?next=/invite/KR-7Q4M-X2PD"' in page and 'href="/signin?next=/invite/KR-7Q4M-X2PD"' in page
    response = client.post("/signup?next=/invite/KR-7Q4M-X2PD", data={
        "email": "new.runner@example.com", "display_name": "New Runner", "password": "knees like new 2026",
        "role": "athlete", "accept_disclaimer": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/invite/KR-7Q4M-X2PD"
    assert "Accept Coach Pending as my coach" in text(client.get("/invite/KR-7Q4M-X2PD"))
    response = client.post("/invite/KR-7Q4M-X2PD/accept")
    assert response.status_code == 303 and response.headers["Location"] == "/profile?welcome=1"
    with app.app_context():
        runner = db.session.scalar(db.select(User).where(User.email == "new.runner@example.com"))
        assert link_row(app, cast.invitation) == ("active", runner.id)


def test_answering_while_signed_out_goes_to_sign_in_and_back_to_the_invitation(client, cast):
    response = client.post("/invite/KR-7Q4M-X2PD/accept")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin?next=")
    back = client.get("/invite/KR-7Q4M-X2PD/accept")
    assert back.status_code == 302 and back.headers["Location"] == "/invite/KR-7Q4M-X2PD"


@pytest.mark.parametrize("code", ["kr-7q4m-x2pd", "7Q4MX2PD", "KR 7Q4M X2PD"])
def test_codes_work_in_any_case_and_spacing(client, cast, code):
    assert client.get(f"/invite/{code}").status_code == 200
    response = client.post("/invite", data={"code": code})
    assert response.status_code == 303 and response.headers["Location"] == "/invite/KR-7Q4M-X2PD"


# ── codes that can't be answered: a clear page, never a 500, nothing changed ─────────────────

def expire(app, link_id):
    with app.app_context():
        db.session.get(CoachLink, link_id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


def revoke(app, link_id):
    with app.app_context():
        invites.revoke(db.session.get(CoachLink, link_id))


def reuse(app, link_id):
    with app.app_context():
        invites.answer(db.session.get(CoachLink, link_id), db.session.scalar(
            db.select(User.id).where(User.email == "olive@example.com")), accept=True)


@pytest.mark.parametrize("spoil, status, title", [
    (expire, 410, "This invitation has expired"),
    (revoke, 410, "This invitation was withdrawn"),
    (reuse, 410, "This invitation has already been used"),
])
def test_spent_codes_get_a_clear_page_and_change_nothing(client, app, cast, login, spoil, status, title):
    spoil(app, cast.invitation)
    before = link_row(app, cast.invitation)
    login(cast.athlete)
    for response in (client.get("/invite/KR-7Q4M-X2PD"), client.post("/invite/KR-7Q4M-X2PD/accept"),
                     client.post("/invite/KR-7Q4M-X2PD/decline")):
        assert response.status_code == status
        page = text(response)
        assert title in page and "Enter a code" in page
    assert link_row(app, cast.invitation) == before
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CoachLink).where(
            CoachLink.athlete_id == cast.athlete, CoachLink.status == "active")) == 1  # only Coach Sam


@pytest.mark.parametrize("code, title", [
    ("hello", "That isn't an invitation code"),
    ("not-a-code", "We can't find that invitation"),  # reads as N0TAC0DE: well-formed, unknown
    ("KR-7Q4M-X2P", "That isn't an invitation code"),
    ("%3Cscript%3E", "That isn't an invitation code"),
    ("KR-%E2%98%83%E2%98%83%E2%98%83%E2%98%83", "That isn't an invitation code"),
    ("x" * 300, "That isn't an invitation code"),
    ("KR-AAAA-AAAA", "We can't find that invitation"),
])
def test_malformed_and_unknown_codes_get_a_clear_404(client, cast, login, code, title):
    login(cast.athlete)
    for response in (client.get(f"/invite/{code}"), client.post(f"/invite/{code}/accept")):
        assert response.status_code == 404
        assert title in text(response)


@pytest.mark.parametrize("typed, message", [
    ("", "Enter the code your coach gave you."),
    ("   ", "Enter the code your coach gave you."),
    ("hello", "That isn't an invitation code."),
    ("K" * 41, "That's longer than any invitation code."),
])
def test_the_code_form_says_what_is_wrong_next_to_the_field(client, cast, typed, message):
    response = client.post("/invite", data={"code": typed})
    assert response.status_code == 422
    page = text(response)
    assert 'id="code-error"' in page and message in page
    assert 'aria-invalid="true"' in page


def test_a_nul_byte_in_the_code_is_refused_at_the_door(client, cast):
    response = client.post("/invite", data={"code": "KR-7Q4M-X2P\x00"})
    assert response.status_code == 400 and "NUL character" in text(response)
    assert client.get("/invite/KR-7Q4M-X2P%00").status_code == 400


def test_the_code_form_needs_its_csrf_token(client, cast):
    assert client.post("/invite", data={"code": "KR-7Q4M-X2PD"}, csrf=False).status_code == 400


@pytest.mark.parametrize("who, message", [
    ("coach", "you're signed in with a coach-only account"),
    ("pending", "you're signed in with a coach-only account"),
])
def test_who_cannot_accept_is_told_why(client, app, cast, login, who, message):
    login(getattr(cast, who))
    page = text(client.get("/invite/KR-7Q4M-X2PD"))
    assert message in page and "Accept Coach Pending" not in page
    response = client.post("/invite/KR-7Q4M-X2PD/accept")
    assert response.status_code == 409 and message in text(response)
    assert link_row(app, cast.invitation) == ("invited", None)


def test_a_runner_who_coaches_cannot_accept_their_own_invitation(client, app, cast, login, password_hash):
    with app.app_context():
        both = add_user(password_hash, "both@example.com", "Bo Both", athlete=True, coach=True)
        db.session.commit()
    login(both)
    client.post("/coach/invitations")
    with app.app_context():
        code = db.session.scalar(db.select(CoachLink.invite_code).where(CoachLink.coach_id == both))
    response = client.post(f"/invite/{code}/accept")
    assert response.status_code == 409 and "This is your own invitation" in text(response)


def test_an_athlete_already_linked_to_the_coach_is_told_so(client, app, cast, login):
    with app.app_context():
        add_link(cast.pending, cast.athlete)
        db.session.commit()
    login(cast.athlete)
    response = client.post("/invite/KR-7Q4M-X2PD/accept")
    assert response.status_code == 409
    assert "You're already linked with Coach Pending" in text(response)
    assert link_row(app, cast.invitation) == ("invited", None)


def test_a_code_is_used_once_even_when_two_answers_race(app, cast):
    with app.app_context():
        link = db.session.get(CoachLink, cast.invitation)
        assert invites.answer(link, cast.athlete, accept=True)
        stale = CoachLink(id=cast.invitation)  # the second request still holds the old row
        assert not invites.answer(stale, cast.other_athlete, accept=True)
    assert link_row(app, cast.invitation) == ("active", cast.athlete)


def test_a_code_clash_draws_again(app, cast, monkeypatch):
    codes = iter(["7Q4MX2PD", "7Q4MX2PD", "ABCDEFGH"])
    monkeypatch.setattr(invites, "new_code", lambda: next(codes))
    with app.app_context():
        assert invites.create_invitation(cast.coach).invite_code == "ABCDEFGH"


def test_revoking_is_for_open_invitations_only(client, app, cast, login):
    login(cast.pending)
    response = client.post(f"/coach/invitations/{cast.invitation}/revoke")
    assert response.status_code == 303
    assert link_row(app, cast.invitation) == ("revoked", None)
    assert "revoked" in text(client.get("/coach/invitations"))
    client.post(f"/coach/invitations/{cast.invitation}/revoke")
    assert "nothing to revoke" in text(client.get("/coach/invitations"))


def test_expired_invitations_are_shown_as_expired_without_a_link(client, app, cast, login):
    expire(app, cast.invitation)
    login(cast.pending)
    page = text(client.get("/coach/invitations"))
    assert "Expired" in page and "/invite/KR-7Q4M-X2PD" not in page and "Remove" in page


# ── ending a link ────────────────────────────────────────────────────────────────────────────

def test_an_athlete_leaves_a_coach_and_access_ends_at_once(client, app, cast, login):
    login(cast.athlete)
    response = client.post(f"/coaches/{cast.link}/leave")
    assert response.status_code == 303 and response.headers["Location"] == "/coaches"
    assert "You've left Coach Sam" in text(client.get("/coaches"))
    with app.app_context():
        link = db.session.get(CoachLink, cast.link)
        assert link.status == "ended" and link.ended_at is not None
    login(cast.coach)
    assert client.get(f"/coach/athletes/{cast.athlete}").status_code == 404
    assert "Riley" not in text(client.get("/coach"))
    assert client.post(f"/coach/athletes/{cast.athlete}/note", data={"text": "hello?"}).status_code == 404


def test_a_coach_removes_an_athlete_and_access_ends_at_once(client, app, cast, login):
    login(cast.coach)
    response = client.post(f"/coach/athletes/{cast.athlete}/remove")
    assert response.status_code == 303 and response.headers["Location"] == "/coach"
    assert client.get(f"/coach/athletes/{cast.athlete}").status_code == 404
    assert client.get(f"/coach/athletes/{cast.other_athlete}").status_code == 200
    login(cast.athlete)
    assert "Coach Sam" not in text(client.get("/coaches"))


def test_account_page_links_an_athlete_to_their_coaches(client, cast, login):
    login(cast.athlete)
    assert 'href="/coaches"' in text(client.get("/account"))
    login(cast.coach)
    assert 'href="/coaches"' not in text(client.get("/account"))


# ── rate limits ──────────────────────────────────────────────────────────────────────────────

def test_invitation_endpoints_share_a_rate_limit(limited_app, cast):
    client = limited_app.test_client()
    statuses = [client.get(f"/invite/KR-AAAA-{n:04d}").status_code for n in range(15)]
    statuses += [client.post("/invite", data={"code": "nope"}).status_code for _ in range(5)]
    assert set(statuses) <= {404, 422}
    response = client.get("/invite/KR-7Q4M-X2PD")
    assert response.status_code == 429 and "Too many attempts" in text(response)


def test_creating_invitations_is_rate_limited(limited_app, cast):
    from tests.fixtures.coaching import sign_in_as

    client = limited_app.test_client()
    sign_in_as(client, limited_app, cast.coach)
    assert {client.post("/coach/invitations").status_code for _ in range(20)} == {303}
    assert client.post("/coach/invitations").status_code == 429
