"""Free text that looks hostile but is allowed (a note, a name): it is accepted, stored as typed,
and wherever it is shown afterwards it is HTML-escaped — the markup never becomes markup."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from app.extensions import db
from app.models import CheckIn, CoachAction, User
from tests.fixtures.coaching import sign_in_as
from tests.security.attack import count, injected_markup
from tests.security.conftest import hostile_settings
from tests.security.strategies import SQL, UNICODE, words

# Markup no template of ours contains: if one shows up raw in a page, typed text became HTML.
ATTACKS = (
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>', "</textarea><script>alert(1)</script>", "<iframe src=//evil.example>",
    "<b>bold</b>", "<style>*{display:none}</style>", "</p></blockquote><h1>Owned</h1>",
)


def typed(max_length: int) -> st.SearchStrategy[tuple[str, str]]:
    """(text, the attack it carries): allowed text with markup in it, trimmed as the forms trim."""
    pieces = st.one_of(words(), st.sampled_from(SQL + UNICODE))
    return st.tuples(pieces, st.sampled_from(ATTACKS), pieces).map(
        lambda parts: ("".join(parts).strip(), parts[1])).filter(
        lambda pair: "\x00" not in pair[0] and 0 < len(pair[0]) <= max_length)


def get(client, path: str) -> str:
    response = client.get(path)
    count(client.application, "GET", path, response)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.get_data(as_text=True)


def assert_escaped(page: str, text: str, attack: str, whole: bool = True) -> None:
    """The text shows as text (escaped), its markup nowhere as markup."""
    assert attack not in page, f"raw markup in the page: {attack!r}"
    assert not injected_markup(page), injected_markup(page)
    if whole:
        assert str(escape(text)) in page, f"{text!r} is not shown (escaped) on the page"


def test_a_coach_note_with_markup_is_saved_as_typed_and_shown_escaped(app, attack, world):
    bo, athlete = world.users["bo"], app.test_client()
    sign_in_as(athlete, app, bo)
    attack.sign_in("coach")

    @hostile_settings(20)
    @given(typed(2000))
    def note(case):
        text, markup = case
        response = attack.send("note", "POST", f"/coach/athletes/{bo}/note", [("text", text)], follow_redirects=True)
        assert response.status_code == 200  # saved, and back on the athlete's page with its flash
        assert_escaped(response.get_data(as_text=True), text, markup)
        with app.app_context():
            saved = db.session.scalars(db.select(CoachAction.text).where(CoachAction.kind == "note")
                                       .order_by(CoachAction.id.desc())).first()
        assert saved == text
        assert_escaped(get(athlete, "/today"), text, markup)

    note()


def test_a_checkin_note_with_markup_is_saved_as_typed_and_shown_escaped(app, attack, world):
    coach = app.test_client()
    sign_in_as(coach, app, world.users["coach"])
    attack.sign_in("bo")
    answers = [("pain_now", "1"), ("stiffness", "none"), ("swelling", "none"), ("after_session", "same")]

    @hostile_settings(20)
    @given(typed(2000))
    def checkin(case):
        text, markup = case
        response = attack.send("/checkin", "POST", "/checkin", [*answers, ("note", text)])
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        with app.app_context():
            assert db.session.get(CheckIn, world.bo_green).note == text
        assert_escaped(get(attack.client, "/checkin/result"), text, markup)
        assert_escaped(get(attack.client, "/checkin/history"), text, markup, whole=False)
        page = get(coach, f"/coach/athletes/{world.users['bo']}")
        assert_escaped(page, text, markup)

    checkin()


def test_a_name_with_markup_is_accepted_at_sign_up_and_shown_escaped(app, world):
    emails = iter(range(10**6))

    @hostile_settings(8)
    @given(typed(80), st.sampled_from(["athlete", "coach", "both"]))
    def sign_up(case, role):
        name, markup = case
        client = app.test_client()
        body = {"email": f"new{next(emails)}@example.com", "display_name": name, "password": "Tr4il-runn3r knees!",
                "role": role, "accept_disclaimer": "y"}
        response = client.post("/signup", data=body)
        count(app, "POST", "/signup", response)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        pages = ["/account", "/profile?welcome=1"] if role != "coach" else ["/account", "/today"]
        for path in pages:
            assert_escaped(get(client, path), name, markup)

    sign_up()


def test_names_with_markup_are_escaped_on_every_page_that_shows_them(app, world):
    """Names as other people see them: the coach's board and athlete page, the athlete's coaches,
    an invitation from a coach, and the flash messages that quote them."""
    users, clients = world.users, {}
    for who in ("coach", "bo", "ada"):
        clients[who] = app.test_client()
        sign_in_as(clients[who], app, users[who])

    @hostile_settings(12)
    @given(typed(80), typed(80), typed(80))
    def names(athlete, coach, inviter):
        with app.app_context():
            for user_id, (name, _) in ((users["bo"], athlete), (users["coach"], coach), (users["pat"], inviter)):
                db.session.get(User, user_id).display_name = name
            db.session.commit()
        bo = users["bo"]
        shown = [("coach", "/coach", athlete), ("coach", f"/coach/athletes/{bo}", athlete), ("bo", "/coaches", coach),
                 ("bo", "/today", athlete), ("ada", f"/invite/{world.codes['open']}", inviter)]
        for who, path, (name, markup) in shown:
            assert_escaped(get(clients[who], path), name, markup)
        # A flash quoting the athlete's name, on the page the coach lands on.
        response = clients["coach"].post(f"/coach/athletes/{bo}/stage", follow_redirects=True,
                                         data={"csrf_token": clients["coach"].csrf_token(), "stage": "2"})
        count(app, "POST", f"/coach/athletes/{bo}/stage", response)
        assert f"{escape(athlete[0])} is now at Stage 2" in response.get_data(as_text=True)
        assert_escaped(response.get_data(as_text=True), *athlete)

    names()
