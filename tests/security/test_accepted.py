"""Posts whose hostile parts are ignored rather than refused: the live verdict (a preview that
never writes), sign-out, a new invitation, and where sign-in sends you next."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from app.extensions import db
from app.models import CoachLink
from tests.security.attack import NUL, injected_markup, page_text
from tests.security.conftest import hostile_settings
from tests.security.endpoints import _checkin
from tests.security.snapshot import database_snapshot, differences
from tests.security.strategies import extras, hostile, words


def _answers(world):
    """Check-in answers, each one valid or not: the preview takes whatever it is given."""
    fields = _checkin(world)
    return st.tuples(*(st.one_of(field.valid, field.invalid) for field in fields.values())).map(
        lambda values: [(name, item) for name, value in zip(fields, values) if value is not None
                        for item in (value if isinstance(value, list) else [value])])


def test_the_live_verdict_shows_whatever_it_is_sent_and_never_writes(attack, world):
    attack.sign_in("bo")

    @hostile_settings(30)
    @given(_answers(world), extras(_checkin(world)), st.booleans())
    def preview(answers, extra, htmx):
        pairs = answers + extra
        response = attack.send("/checkin/verdict", "POST", "/checkin/verdict", pairs,
                               {"HX-Request": "true"} if htmx else {})
        if response.request.content_length > 256 * 1024:
            assert response.status_code == 413
        elif any("\x00" in text for pair in pairs for text in pair):
            assert response.status_code == 400 and NUL in page_text(response)
        else:
            assert response.status_code == (200 if htmx else 303)
        assert not injected_markup(response.get_data(as_text=True))
        attack.assert_unchanged()

    preview()


def test_signing_out_ignores_whatever_else_is_posted(attack):
    @hostile_settings(15)
    @given(extras(()))
    def sign_out(extra):
        attack.sign_in("ada")
        response = attack.send("/signout", "POST", "/signout", extra)
        if any("\x00" in text for pair in extra for text in pair):
            assert response.status_code == 400
            return
        assert response.status_code == 303 and response.headers["Location"] == "/"
        assert attack.client.get("/today").status_code == 302  # signed out
        attack.assert_unchanged()

    sign_out()


def test_a_new_invitation_ignores_whatever_else_is_posted(app, attack, world):
    attack.sign_in("coach")

    @hostile_settings(15)
    @given(extras(()))
    def invite(extra):
        before = database_snapshot(app)
        response = attack.send("/coach/invitations", "POST", "/coach/invitations", extra)
        after = database_snapshot(app)
        if any("\x00" in text for pair in extra for text in pair):
            assert response.status_code == 400 and after == before
            return
        assert response.status_code == 303
        [new] = [row for row in after["coach_links"] if row not in before["coach_links"]]
        assert {table: rows for table, rows in after.items() if table != "coach_links"} == \
            {table: rows for table, rows in before.items() if table != "coach_links"}, differences(before, after)
        with app.app_context():
            link = db.session.get(CoachLink, new[0])
            assert (link.coach_id, link.status, link.athlete_id) == (world.users["coach"], "invited", None)

    invite()


OFF_SITE = ("//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/", "http:evil.example",
            "javascript:alert(1)", "/\t/evil.example", "/\n/evil.example", " //evil.example", "///evil.example",
            "/%2F/evil.example", "/%5Cevil.example", "\\/evil.example", "//evil.example@localhost/", "/.//evil.example",
            "data:text/html,<script>alert(1)</script>", "/\\/evil.example", "／／evil.example")


def browser_host(location: str) -> str:
    """The host a browser would go to for a Location header, from http://localhost/ — browsers
    drop tabs and newlines from URLs and read a backslash as a slash."""
    cleaned = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/").strip()
    if cleaned.lower().startswith(("javascript:", "data:")):
        return "script"
    parts = urlsplit(cleaned)
    return parts.netloc or ("localhost" if not parts.scheme else parts.scheme)


def test_sign_in_never_sends_anyone_to_another_site(attack, world):
    @hostile_settings(20)
    @given(st.one_of(st.sampled_from(OFF_SITE), hostile(), words().map(lambda value: "/" + value)),
           st.booleans())
    def sign_in(target, in_query):
        attack.sign_in(None)
        body = [("email", "bo@example.com"), ("password", world.password)]
        path = f"/signin?{urlencode({'next': target})}" if in_query else "/signin"
        response = attack.send("/signin", "POST", path, body + ([] if in_query else [("next", target)]))
        if "\x00" in target or response.request.content_length > 256 * 1024:
            assert 400 <= response.status_code < 500
            return
        assert response.status_code == 303
        assert browser_host(response.headers["Location"]) == "localhost", response.headers["Location"]

    sign_in()
