"""Pages read with hostile query strings and hostile ids or codes in their URLs: a page or a 4xx
that says why, never a 500; nothing written; nothing typed into the URL rendered as markup."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.coach.board import NAME_TOO_LONG
from app.domain.coaching import normalise_code
from tests.security.attack import NOT_FOUND, NUL, injected_markup, page_text, segment
from tests.security.conftest import hostile_settings
from tests.security.strategies import HTML, hostile, words

# (who, route, path, the query parameters the page reads). Every page ignores what it can't use,
# or refuses it with a 422 and says why next to the field (REFUSED).
PAGES = [
    ("coach", "/coach", "/coach", ("show", "q", "upto")),
    ("coach", "/coach/invitations", "/coach/invitations", ("new",)),
    ("coach", "/coach/athletes/<id>", "/coach/athletes/{bo}", ("days",)),
    ("bo", "/today", "/today", ()),
    ("bo", "/checkin", "/checkin", ()),
    ("bo", "/checkin/result", "/checkin/result", ()),
    ("bo", "/checkin/history", "/checkin/history", ("days", "since")),
    ("bo", "/warmup", "/warmup", ()),
    ("bo", "/training", "/training", ()),
    ("bo", "/training/timeline", "/training/timeline", ()),
    ("bo", "/training/sessions/<id>", "/training/sessions/{bo_session}", ()),
    ("bo", "/training/sessions/<id>", "/training/sessions/{bo_finished}", ()),
    ("bo", "/coaches", "/coaches", ()),
    ("ada", "/profile", "/profile", ("welcome",)),
    ("ada", "/account", "/account", ()),
    ("ada", "/account/reminders", "/account/reminders", ()),
    ("ada", "/invite", "/invite", ("code",)),
    ("ada", "/invite/<code>", "/invite/{open_code}", ()),
    (None, "/signin", "/signin", ("next",)),
    (None, "/signup", "/signup", ("next",)),
    (None, "/password/forgot", "/password/forgot", ()),
    (None, "/password/forgot/sent", "/password/forgot/sent", ()),
    (None, "/", "/", ()),
    (None, "/exercises/", "/exercises/", ()),
    (None, "/exercises/<slug>", "/exercises/{slug}", ()),
    (None, "/offline", "/offline", ()),
]


REFUSED = {"/coach": NAME_TOO_LONG}  # the board's name filter: a name longer than 100 characters


def query(names) -> st.SearchStrategy[list[tuple[str, str]]]:
    """The page's own parameters and made-up ones, with hostile values, sometimes repeated."""
    name = st.one_of(st.sampled_from(names), words()) if names else words()
    return st.lists(st.tuples(name, st.one_of(hostile().filter(lambda value: len(value) < 3000),
                                              st.sampled_from(HTML))), min_size=1, max_size=4)


@pytest.mark.parametrize("who, route, path, names", PAGES, ids=[page[2] for page in PAGES])
def test_a_page_read_with_a_hostile_query_is_shown_or_refused_never_broken(attack, world, who, route, path, names):
    attack.sign_in(who)
    path = path.format(bo=world.users["bo"], bo_session=world.bo_session, bo_finished=world.bo_finished,
                       open_code=world.codes["open"], slug=world.bo_reps_slug)
    attack.send(route, "GET", path)  # a first visit may fill a cache (the board's snapshots)
    attack.remember()

    @hostile_settings(12)
    @given(query(names), st.booleans())
    def visit(pairs, htmx):
        response = attack.send(route, "GET", f"{path}?{urlencode(pairs)}", headers={"HX-Request": "true"} if htmx else {})
        page = response.get_data(as_text=True)
        if any("\x00" in text for pair in pairs for text in pair):
            assert response.status_code == 400 and NUL in page_text(response)
        else:
            refused = response.status_code == 422 and route in REFUSED and REFUSED[route] in page_text(response)
            assert response.status_code in (200, 204) or refused, f"{response.status_code}\n{page[:1000]}"
        assert not injected_markup(page), injected_markup(page)
        for _, value in pairs:
            if value in HTML and value.startswith("<"):
                assert value not in page, f"{value!r} rendered raw"
        attack.assert_unchanged()

    visit()


def _not_a_number():
    return words().filter(lambda value: value and not value.isdigit() and "/" not in value
                          and value not in (".", ".."))


def _missing(world):
    """(who, route, path, messages): URLs naming something that isn't there, or isn't theirs."""
    users = world.users
    ids = st.one_of(st.sampled_from(["0", "2147483648", "99999", "9" * 40]), _not_a_number().map(segment))
    malformed = hostile().filter(lambda value: value.strip() and len(value) < 1000 and "/" not in value
                                 and value not in (".", "..") and normalise_code(value) is None)
    return st.one_of(
        st.tuples(st.just("coach"), st.just("/coach/athletes/<id>"), st.one_of(
            ids, st.sampled_from([str(users[name]) for name in ("olive", "coach", "pat", "former")])
        ).map(lambda part: f"/coach/athletes/{part}"), st.just((NOT_FOUND,))),
        st.tuples(st.just("bo"), st.just("/training/sessions/<id>"), st.one_of(
            ids, st.just(str(world.olive_session))).map(lambda part: f"/training/sessions/{part}"),
            st.just((NOT_FOUND,))),
        st.tuples(st.just(None), st.just("/exercises/<slug>"),
                  words().filter(lambda value: value and "/" not in value and value not in (".", "..")).map(
                      lambda part: f"/exercises/{segment(part)}"), st.just((NOT_FOUND,))),
        st.tuples(st.sampled_from([None, "ada"]), st.just("/invite/<code>"), malformed.map(
            lambda part: f"/invite/{segment(part)}"),
            st.just(("Invitation codes look like KR-7Q4M-X2PD.", NOT_FOUND))),
        st.tuples(st.sampled_from([None, "ada"]), st.just("/invite/<code>"), st.sampled_from(
            [f"/invite/{world.codes[state]}" for state in ("revoked", "expired", "used")]),
            st.just(("Invitations last 7 days.", "Your coach withdrew this invitation.",
                     "Each invitation works once"))),
    )


def test_a_url_naming_nothing_of_yours_gets_a_page_that_says_so(attack, world):
    signed_in = {}

    @hostile_settings(60)
    @given(_missing(world))
    def visit(case):
        who, route, path, messages = case
        if signed_in.get("who", "nobody") != who:
            attack.sign_in(who)
            signed_in["who"] = who
        response = attack.send(route, "GET", path)
        attack.assert_refused(response, messages, attack.sent(path, [], {}, response))
        assert not injected_markup(response.get_data(as_text=True))

    visit()
