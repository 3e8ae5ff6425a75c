"""The board's kept counts (app/coach/kept_cards.py): a load of the whole board reads them instead
of passing over every athlete; every write that clears a card clears the counts of that athlete's
coaches in its own transaction, and nobody else's; a link made or ended, a deleted account and
the first card's day ending count afresh (a new deploy too: test_kept_cards.py); a write racing a
load leaves no stale counts behind; and through it all the board is the one worked out in memory."""
from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from app import kept
from app.auth import accounts
from app.coach import invites, kept_cards
from app.domain.coaching import NEEDS_ATTENTION
from app.extensions import db
from app.models import BoardCard, BoardCount, User
from tests.coach.test_kept_cards import WRITES, _bulk_update_naming_nobody, assert_same_boards, pages
from tests.fixtures.coaching import PASSWORD, add_link, add_user, sign_in_as

ATHLETES = 70  # the roster's


def counts_row(coach_id: int) -> BoardCount | None:
    db.session.expire_all()
    return db.session.get(BoardCount, coach_id)


def passes(seen: list[str]) -> list[str]:
    """The statements that count over every athlete of a coach."""
    return [statement for statement in seen if "count(*)" in statement and "board_cards" in statement]


@pytest.fixture
def other_coach(app, password_hash, roster) -> tuple[int, int]:
    """A second coach with one athlete of their own, their counts kept: (coach, athlete)."""
    with app.app_context():
        coach = add_user(password_hash, "other-coach@example.com", "Other Coach", athlete=False, coach=True)
        athlete = add_user(password_hash, "other-athlete@example.com", "Other Athlete")
        add_link(coach, athlete)
        db.session.commit()
        kept_cards.board_page(db.session.get(User, coach))
        assert counts_row(coach).total == 1
    return coach, athlete


def test_the_whole_board_reads_its_kept_counts_and_a_search_counts_afresh(app, client, roster, statements):
    coach, _athletes = roster
    sign_in_as(client, app, coach)
    assert client.get("/coach").status_code == 200  # cards built and kept, then the counts
    with app.app_context():
        row = counts_row(coach)
        cards = db.session.scalars(db.select(BoardCard)).all()
        assert (row.total, row.rules) == (ATHLETES, kept_cards.RULES)
        assert row.attention == sum(card.tier <= NEEDS_ATTENTION for card in cards) > 0
        assert row.valid_until == min(card.valid_until for card in cards)
    with statements() as whole:
        for path in ("/coach", "/coach?show=attention", "/coach?upto=100"):
            assert client.get(path).status_code == 200
    assert passes(whole) == [] and len(whole) == 9  # each: the coach, the kept counts, the page
    with statements() as searched:
        assert client.get("/coach?q=athlete").status_code == 200
    assert len(passes(searched)) == 1 and len(searched) == 3


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__.strip("_") for write in WRITES])
def test_every_write_a_card_shows_clears_its_coaches_counts_and_nobody_elses(app, roster, other_coach, write):
    coach, athletes = roster
    assert_same_boards(app, coach)
    with app.app_context():
        kept, others = counts_row(coach).generation, counts_row(other_coach[0]).generation
        assert counts_row(coach).total == ATHLETES
        write(athletes[3])
        db.session.commit()
        row = counts_row(coach)
        assert row.total is None and row.generation != kept  # cleared in the write's own transaction
        assert (counts_row(other_coach[0]).generation != others) == (write is _bulk_update_naming_nobody)
    assert_same_boards(app, coach)
    with app.app_context():
        assert counts_row(coach).total == ATHLETES  # counted and kept again


def test_a_link_made_or_ended_counts_afresh(app, roster, other_coach):
    coach, athletes = roster
    _, newcomer = other_coach
    assert_same_boards(app, coach)
    with app.app_context():
        invitation = invites.create_invitation(coach)
        db.session.commit()
        assert counts_row(coach).total == ATHLETES  # an invitation nobody answered: no athlete yet
        assert invites.answer(invitation, newcomer, accept=True)  # a bulk UPDATE naming the athlete
        assert counts_row(coach).total is None and counts_row(other_coach[0]).total is None
        kept_page, fresh = pages(coach)
        assert kept_page == fresh and kept_page.athletes == ATHLETES + 1
        assert invites.end_links(coach, athletes[0]) == 1
        assert counts_row(coach).total is None
        kept_page, fresh = pages(coach)
        assert kept_page == fresh and kept_page.athletes == ATHLETES
        add_link(coach, athletes[0])  # through the session
        db.session.commit()
        assert counts_row(coach).total is None
    assert_same_boards(app, coach)


def test_a_deleted_account_counts_afresh(app, roster, other_coach):
    coach, athletes = roster
    assert_same_boards(app, coach)
    with app.app_context():
        assert accounts.delete_user(db.session.get(User, athletes[5]), PASSWORD)
        # Its links went with it, so whose counts it changed can't be looked up: everyone's.
        assert counts_row(coach).total is None and counts_row(other_coach[0]).total is None
        kept_page, fresh = pages(coach)
        assert kept_page == fresh and kept_page.athletes == ATHLETES - 1
    assert_same_boards(app, coach)


def test_counts_are_counted_again_when_the_first_card_expires(app, roster, frozen_clock, statements):
    coach, _athletes = roster
    assert_same_boards(app, coach)
    with app.app_context():
        first_expiry = counts_row(coach).valid_until
    frozen_clock.move_to(first_expiry.replace(tzinfo=UTC) + timedelta(seconds=1))
    with app.app_context(), statements() as seen:
        kept_cards.board_page(db.session.get(User, coach))
    assert len(passes(seen)) == 2  # stale cards found, built again, counted again
    with app.app_context():
        assert counts_row(coach).valid_until > first_expiry
    assert_same_boards(app, coach)


def test_a_write_racing_the_count_leaves_no_stale_counts(app, roster, monkeypatch):
    coach, athletes = roster
    assert_same_boards(app, coach)
    keep = kept_cards._keep_counts

    def write_then_keep(*args, **kwargs):
        with db.engine.begin() as connection:  # another request's write, committed after the count
            kept_cards.clear(connection, [athletes[0]])
        return keep(*args, **kwargs)

    with app.app_context():
        kept_cards.clear(db.session.connection(), [athletes[1]])
        db.session.commit()
        monkeypatch.setattr(kept_cards, "_keep_counts", write_then_keep)
        kept_cards.board_page(db.session.get(User, coach))
        assert counts_row(coach).total is None  # the compare-and-set refused the counts
    monkeypatch.setattr(kept_cards, "_keep_counts", keep)
    assert_same_boards(app, coach)


def test_a_busy_database_keeps_nothing_and_the_board_stays_true(app, roster, monkeypatch, caplog):
    """Cards, counts and progress snapshots that can't be kept (app/kept.py, Kept.keep) are worked
    out again: the page is the one worked out in memory, and nothing half-kept is left behind."""
    coach, _athletes = roster

    def busy(self, dialect):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(kept.Kept, "insert", busy)
    assert_same_boards(app, coach)
    with app.app_context():
        assert counts_row(coach) is None or counts_row(coach).total is None  # never counted with stale cards
        kept_cards_left = db.select(db.func.count()).select_from(BoardCard).where(BoardCard.card.is_not(None))
        assert db.session.scalar(kept_cards_left) == 0
    assert "Could not keep" in caplog.text and "of board_cards" in caplog.text


def test_clearing_one_athlete_or_several_clears_theirs_and_nobody_elses(app, roster, other_coach):
    """Clearing has a statement for one athlete (nearly every write) and one for several (a bulk
    write naming them, app/kept.py): each empties the named athletes' cards with fresh generations,
    and their coaches' counts, and leaves everyone else's as they were."""
    coach, athletes = roster
    other, theirs = other_coach
    watched = (athletes[0], athletes[1], theirs)

    def cards() -> dict[int, tuple[int, bool]]:
        db.session.expire_all()
        return {athlete: (row.generation, row.card is not None)
                for athlete in watched for row in [db.session.get(BoardCard, athlete)]}

    with app.app_context():
        kept_cards.board_page(db.session.get(User, coach))
        db.session.commit()
        before = cards()
        assert all(card for _generation, card in before.values())
        counted = counts_row(other).generation
        kept_cards.clear(db.session.connection(), [athletes[0]])
        db.session.commit()
        one = cards()
        assert one[athletes[0]][1] is False and one[athletes[0]][0] != before[athletes[0]][0]
        assert {a: one[a] for a in watched[1:]} == {a: before[a] for a in watched[1:]}
        assert counts_row(coach).total is None and counts_row(other).generation == counted
        kept_cards.clear(db.session.connection(), [theirs, athletes[1], theirs])
        db.session.commit()
        several = cards()
        assert several[athletes[0]] == one[athletes[0]]
        assert all(not several[a][1] and several[a][0] != before[a][0] for a in watched[1:])
        assert counts_row(other).total is None and counts_row(other).generation != counted
