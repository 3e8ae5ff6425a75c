"""The board at any size: the first fifty cards by attention, "show more" (htmx and a plain
link), a filter by name, the counts of each group, constant queries, and the poll's 304."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

from app.coach.board import NAME_TOO_LONG, PAGE_SIZE, board_page
from app.extensions import db
from tests.fixtures.coaching import sign_in_as, text
from tests.coach.test_dashboard import card_names

BUILT_FOR = date(2026, 11, 20)  # the history's last day; the board's order is compared with itself


@dataclass
class FakeCard:
    name: str
    needs_attention: bool


def cards(count: int, attention_every: int = 3) -> list[FakeCard]:
    return [FakeCard(f"Athlete {n:03d}", n % attention_every == 0) for n in range(count)]


# ── the page, as a pure function ──────────────────────────────────────────────────────────────

def test_the_first_page_is_the_first_fifty_in_the_boards_order_with_every_count():
    roster = cards(120)
    page = board_page(roster)
    assert page.shown == tuple(roster[:PAGE_SIZE])
    assert (page.athletes, page.everyone, page.attention, page.matching) == (120, 120, 40, 120)
    assert (page.show, page.upto, page.more, page.problem) == ("all", 50, 50, None)


def test_show_more_adds_fifty_until_everyone_is_shown():
    roster = cards(120)
    assert board_page(roster, upto=100).shown == tuple(roster[:100])
    last = board_page(roster, upto=150)
    assert last.shown == tuple(roster) and last.more == 0
    assert board_page(roster, upto=100).more == 20


@pytest.mark.parametrize("upto, expected", [(None, 50), (-5, 50), (0, 50), (49, 50), (51, 100), (100, 100),
                                            (10 ** 30, 150), (149, 150)])
def test_a_malformed_or_huge_upto_falls_back_to_a_whole_step_within_the_roster(upto, expected):
    assert board_page(cards(120), upto=upto).upto == expected


def test_needs_attention_pages_through_its_own_group():
    roster = cards(300)
    page = board_page(roster, show="attention")
    assert page.shown == tuple(card for card in roster if card.needs_attention)[:50]
    assert (page.matching, page.more) == (100, 50)
    assert board_page(roster, show="<script>").show == "all"


def test_the_name_filter_ignores_case_and_spacing_and_counts_what_matches():
    roster = cards(120) + [FakeCard("Ana Kowalski", True), FakeCard("Kowalski Ben", False)]
    page = board_page(roster, name="  kowALSKI ")
    assert [card.name for card in page.shown] == ["Ana Kowalski", "Kowalski Ben"]
    assert (page.name, page.everyone, page.attention, page.athletes, page.more) == ("kowALSKI", 2, 1, 122, 0)
    assert board_page(roster, name="athlete 01").everyone == 10
    assert board_page(roster, name="nobody").shown == ()


def test_a_name_too_long_is_named_back_and_everyone_is_shown():
    page = board_page(cards(10), name="x" * 101)
    assert page.problem == NAME_TOO_LONG and page.name == "" and page.everyone == 10
    assert page.entered == "x" * 101  # shown back, to be shortened
    assert len(board_page(cards(10), name="x" * 5000).entered) == 1000  # not a megabyte echoed
    assert board_page(cards(10), name="x" * 100).problem is None


# ── the board, through the app ────────────────────────────────────────────────────────────────

@pytest.fixture
def roster(app, client, password_hash):
    """A coach with 120 athletes of a week's history, signed in."""
    from bench.history import build

    with app.app_context():
        coach = build(athletes=120, days=7, today=BUILT_FOR, tag="paging", password_hash=password_hash)
    sign_in_as(client, app, coach)
    return coach


def statements_of(statements, client, path: str, headers=None) -> tuple[int, object]:
    with statements() as seen:
        response = client.get(path, headers=headers)
    return len(seen), response


def test_the_board_shows_fifty_and_links_to_fifty_more_without_javascript(app, client, roster):
    everyone = card_names(text(client.get("/coach?upto=150")))
    assert len(everyone) == 120
    page = text(client.get("/coach"))
    assert card_names(page) == everyone[:50]
    assert 'All <span class="count">120</span>' in page
    assert "Showing 50 of 120." in page
    more = re.search(r'<a class="button" id="board-more" href="([^"]+)" hx-get="\1" '
                     r'hx-target="#coach-board" hx-swap="outerHTML">Show 50 more</a>', page)
    assert more and more.group(1) == "/coach?upto=100"
    second = text(client.get(more.group(1)))  # the plain link: a whole page, 100 cards
    assert "<!doctype html>" in second and card_names(second) == everyone[:100]
    assert "Show 20 more" in second
    fragment = text(client.get(more.group(1), headers={"HX-Request": "true"}))  # htmx: the board alone
    assert "<!doctype html>" not in fragment and card_names(fragment) == everyone[:100]
    assert 'hx-get="/coach?upto=100"' in fragment  # its poll keeps what is shown
    last = text(client.get("/coach?upto=150"))
    assert 'id="board-more"' not in last


def test_the_name_filter_is_a_get_form_that_finds_athletes(app, client, roster):
    page = text(client.get("/coach"))
    form = re.search(r'<form class="board-filter" method="get" action="/coach" role="search">(.*?)</form>', page, re.S)
    assert form and '<label for="board-name">Find an athlete by name</label>' in form.group(1)
    assert '<input id="board-name" name="q" type="search" value=""' in form.group(1)
    found = text(client.get("/coach?q=athlete+010"))
    assert sorted(card_names(found)) == [f"Athlete 010{n}" for n in range(10)]
    assert 'All <span class="count">10</span>' in found and 'value="athlete 010"' in found
    assert 'href="/coach?show=attention&q=athlete+010"' in found  # the group links keep the name
    none = text(client.get("/coach?q=Zed"))
    assert card_names(none) == [] and "No athlete has “Zed” in their name." in none


def test_the_name_filter_takes_like_wildcards_and_its_escape_literally(app, client, roster):
    """The filter is a LIKE on the kept cards: %, _ and the escape character (/) in a name are
    letters to find, never wildcards."""
    from app.models import CoachLink, User

    names = ["Pat 100% Effort", "Sam_Lee", "Jo/Ann", "Jo//Ann"]
    with app.app_context():
        ids = db.session.scalars(db.select(CoachLink.athlete_id).where(CoachLink.coach_id == roster)
                                 .order_by(CoachLink.athlete_id).limit(len(names))).all()
        for athlete_id, name in zip(ids, names):
            db.session.get(User, athlete_id).display_name = name
        db.session.commit()
    for typed, found in [("%", ["Pat 100% Effort"]), ("0%", ["Pat 100% Effort"]), ("_", ["Sam_Lee"]),
                         ("/", ["Jo//Ann", "Jo/Ann"]), ("o/a", ["Jo/Ann"]), ("//", ["Jo//Ann"]),
                         ("%%", []), ("a_l", []), ("sam_", ["Sam_Lee"])]:
        page = text(client.get("/coach", query_string={"q": typed}))
        assert sorted(card_names(page)) == found, typed
        assert f'All <span class="count">{len(found)}</span>' in page, typed


def test_a_name_too_long_gets_a_message_next_to_the_field(app, client, roster):
    response = client.get("/coach?q=" + "x" * 101)
    page = text(response)
    assert response.status_code == 422
    assert f'<p class="field-error" id="board-name-error">{NAME_TOO_LONG}</p>' in page
    assert 'aria-invalid="true" aria-describedby="board-name-error"' in page
    assert 'value="' + "x" * 101 + '"' in page  # what was typed stays, to be shortened
    assert len(card_names(page)) == 50


def test_every_page_of_the_board_costs_the_same_queries(app, client, roster, statements):
    client.get("/coach")  # snapshots stored
    first, _ = statements_of(statements, client, "/coach")
    for path in ("/coach?upto=100", "/coach?upto=150&show=attention", "/coach?q=athlete+01", "/coach?q=zzz"):
        assert statements_of(statements, client, path)[0] == first, path
    assert statements_of(statements, client, "/coach?upto=100", {"HX-Request": "true"})[0] == first


def test_a_poll_of_an_unchanged_page_is_304_and_a_changed_one_is_one_page(app, client, roster):
    poll = {"HX-Request": "true"}
    first = client.get("/coach?upto=100", headers=poll)
    tag = first.headers["ETag"]
    again = client.get("/coach?upto=100", headers={**poll, "If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    with app.app_context():  # the first athlete on the board renamed: the page changes
        from app.models import User

        top = db.session.scalar(db.select(User).where(User.display_name == card_names(text(first))[0]))
        top.display_name = "Aaron Renamed"
        db.session.commit()
    changed = client.get("/coach?upto=100", headers={**poll, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert len(card_names(text(changed))) == 100
