"""The board's kept cards (app/coach/kept_cards.py): the page read from them is the page worked
out in memory from every athlete's history, after any write, past midnight, and when a write
races a board load; a warm board costs three statements however many athletes there are, and
its page reads only the rows it needs, whether by walking the board's order or by athlete."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.coach import actions, board, dashboard, kept_cards
from app.extensions import db
from app.models import (
    AthleteProfile, BoardCard, BoardCount, CheckIn, CoachAction, ExerciseLog, OutcomeResponse, PushSubscription,
    ReminderSettings, Run, TrainingSession, User, WarmupLog,
)
from tests.conftest import TEST_NOW, TEST_TODAY
from tests.fixtures.coaching import add_checkin, log_session, sign_in_as

ASKS = [{}, {"show": "attention"}, {"upto": 100}, {"name": "athlete 00"}, {"name": "ss"}, {"name": "_"},
        {"name": "É"}, {"show": "attention", "name": "1"}, {"name": "x" * 101}]


@pytest.fixture(autouse=True, params=["sorted", "walked"])
def page_read(request, monkeypatch) -> str:
    """Every test twice: the page read as a small roster's (its rows, sorted) and as a big one's
    (walking the board's order); both must give the page worked out in memory."""
    monkeypatch.setattr(kept_cards, "WALKED_FROM", 10**9 if request.param == "sorted" else 0)
    return request.param


def pages(coach_id: int, **asked) -> tuple[board.BoardPage, board.BoardPage]:
    """(the page from the kept cards, the page worked out in memory)."""
    coach = db.session.get(User, coach_id)
    return kept_cards.board_page(coach, **asked), board.board_page(dashboard.dashboard_cards(coach), **asked)


def assert_same_boards(app, coach_id: int) -> None:
    with app.app_context():
        for asked in ASKS:
            kept, fresh = pages(coach_id, **asked)
            assert kept == fresh, asked
            db.session.rollback()


def card_row(athlete_id: int) -> BoardCard | None:
    db.session.expire_all()
    return db.session.get(BoardCard, athlete_id)


def test_a_card_comes_back_from_json_as_it_went_in(app, roster):
    coach, _ = roster
    with app.app_context():
        cards = dashboard.dashboard_cards(db.session.get(User, coach))
        assert {card.tier for card in cards} >= {0, 4} and any(card.snapshot for card in cards)
        for card in cards:
            assert dashboard.card_from_json(json.loads(json.dumps(dashboard.card_to_json(card)))) == card
            # As text, the key of its HTML (app/fragments.py): the same card, and the same text back.
            assert dashboard.card_from_text(card.as_text) == card
            assert dashboard.card_from_text(card.as_text).as_text == card.as_text


def test_the_kept_board_is_the_board_worked_out_in_memory(app, roster):
    coach, _ = roster
    assert_same_boards(app, coach)  # built and kept
    assert_same_boards(app, coach)  # read back
    with app.app_context():
        kept, _ = pages(coach)
        assert [card.name for card in kept.shown[:3]] and kept.athletes == 70 and len(kept.shown) == 50


def _red_checkin(athlete_id):
    checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.athlete_id == athlete_id,
                                                         CheckIn.local_date == TEST_TODAY))
    if checkin is None:
        checkin = db.session.get(CheckIn, add_checkin(athlete_id, TEST_TODAY))
    checkin.pain_now, checkin.status, checkin.red_flags = 7, "red", ["locks_or_gives_way"]
    return checkin


def _warmup(athlete_id):
    db.session.add(WarmupLog(athlete_id=athlete_id, local_date=TEST_TODAY, built_for="green"))


def _session(athlete_id):
    log_session(athlete_id, TEST_TODAY, 2, [0, 0, 0])


def _exercise_log_only(athlete_id):
    entry = db.session.scalars(db.select(ExerciseLog).join(TrainingSession, ExerciseLog.session_id == TrainingSession.id)
                               .where(TrainingSession.athlete_id == athlete_id)).first()
    entry.pain = 9


def _run(athlete_id):
    db.session.add(Run(athlete_id=athlete_id, local_date=TEST_TODAY, distance_m=5000, duration_s=1800,
                       pain_during=5, pain_after=6))


def _outcome(athlete_id):
    db.session.add(OutcomeResponse(athlete_id=athlete_id, kind="akps", local_date=TEST_TODAY - timedelta(days=30),
                                   answers={}, score=80.0))
    db.session.add(OutcomeResponse(athlete_id=athlete_id, kind="akps", local_date=TEST_TODAY, answers={}, score=60.0))


def _reminders_off(athlete_id):
    db.session.add(ReminderSettings(user_id=athlete_id, email_on=False, push_on=False))


def _push_device(athlete_id):
    db.session.add(ReminderSettings(user_id=athlete_id, email_on=False, push_on=True))
    db.session.add(PushSubscription(user_id=athlete_id, endpoint=f"https://push.example/{athlete_id}",
                                    p256dh="k" * 20, auth="a" * 16))


def _rename(athlete_id):
    db.session.get(User, athlete_id).display_name = "Aaron First"


def _new_zone(athlete_id):
    db.session.get(AthleteProfile, athlete_id).timezone = "Pacific/Kiritimati"


def _pause(athlete_id):
    db.session.add(CoachAction(athlete_id=athlete_id, coach_name="Coach", kind="pause"))


def _delete_checkin(athlete_id):
    db.session.delete(db.session.scalars(db.select(CheckIn).where(CheckIn.athlete_id == athlete_id)
                                         .order_by(CheckIn.local_date.desc())).first())


def _acknowledge(athlete_id):  # a bulk UPDATE that names its athlete
    checkin = _red_checkin(athlete_id)
    db.session.commit()
    coach = db.session.scalar(db.select(User).where(User.is_coach.is_(True)).order_by(User.id))  # the roster's
    kept_cards.board_page(coach)  # the red card kept
    assert card_row(athlete_id).rules == kept_cards.RULES
    assert actions.acknowledge(coach, db.session.get(User, athlete_id), checkin)


def _bulk_update_naming_nobody(_athlete_id):
    db.session.execute(db.update(WarmupLog).values(duration_seconds=WarmupLog.duration_seconds + 1))


WRITES = [_red_checkin, _warmup, _session, _exercise_log_only, _run, _outcome, _reminders_off, _push_device,
          _rename, _new_zone, _pause, _delete_checkin, _acknowledge, _bulk_update_naming_nobody]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__.strip("_") for write in WRITES])
def test_every_write_a_card_shows_clears_that_card_and_the_board_stays_true(app, roster, write):
    coach, athletes = roster
    athlete = athletes[3]
    assert_same_boards(app, coach)
    with app.app_context():
        untouched = card_row(athletes[4]).generation
        write(athlete)
        db.session.commit()
        assert card_row(athlete).rules is None  # cleared in the write's own transaction
        everyone = write is _bulk_update_naming_nobody
        assert (card_row(athletes[4]).generation != untouched) == everyone  # nobody else's, unless unnamed
    assert_same_boards(app, coach)


def test_a_card_is_built_again_when_the_athletes_day_ends(app, roster, frozen_clock):
    coach, athletes = roster
    assert_same_boards(app, coach)
    frozen_clock.move_to(TEST_NOW + timedelta(days=2))  # no writes: days since the last log move on
    assert_same_boards(app, coach)
    with app.app_context():
        assert all(row.valid_until > (TEST_NOW + timedelta(days=2)).replace(tzinfo=None)
                   for row in db.session.scalars(db.select(BoardCard).where(BoardCard.athlete_id.in_(athletes))))


def test_a_write_racing_a_board_load_leaves_no_stale_card(app, roster, monkeypatch):
    coach, athletes = roster
    build = dashboard.build_cards

    def build_then_write(*args, **kwargs):
        cards = build(*args, **kwargs)
        with db.engine.begin() as connection:  # another request's write, committed meanwhile
            kept_cards.clear(connection, [athletes[0]])
        return cards

    monkeypatch.setattr(dashboard, "build_cards", build_then_write)
    assert_same_boards(app, coach)  # the page falls back to working it out in memory
    with app.app_context():
        assert card_row(athletes[0]).rules is None and card_row(athletes[1]).rules == kept_cards.RULES


def test_cards_and_counts_built_by_other_code_count_as_missing(app, roster, monkeypatch):
    coach, athletes = roster
    assert_same_boards(app, coach)
    monkeypatch.setattr(kept_cards, "RULES", "another-deploy")
    assert_same_boards(app, coach)
    with app.app_context():
        assert card_row(athletes[0]).rules == "another-deploy"
        assert db.session.get(BoardCount, coach).rules == "another-deploy"  # counted again, by this code


def test_a_warm_board_costs_three_statements_and_a_changed_one_a_bounded_few(app, client, roster, statements):
    coach, athletes = roster
    sign_in_as(client, app, coach)
    assert client.get("/coach").status_code == 200
    with statements() as warm:
        assert client.get("/coach?show=attention&q=athlete").status_code == 200
    with app.app_context():
        for athlete in athletes[:10]:
            _warmup(athlete)
        db.session.commit()
    with statements() as changed:
        assert client.get("/coach").status_code == 200
    assert len(warm) == 3  # the coach, the counts (which also tell that no card is stale), the page
    # Which cards are stale, the ten built again from the board's loaders and kept, the counts again.
    assert len(changed) <= 3 + 15, changed


@pytest.mark.parametrize("path", ["/coach", "/coach?show=attention&q=athlete&upto=100"])
def test_the_page_reads_only_the_rows_it_needs(app, client, roster, backend, page_read, path):
    """A big roster walks the board's order and stops at the page (no sort of every row); a small
    one looks up its own athletes' rows (no walk past other coaches' athletes)."""
    if backend != "sqlite":
        pytest.skip("SQLite's query plan; PostgreSQL's depends on its statistics")
    coach, _athletes = roster
    sign_in_as(client, app, coach)
    with app.app_context():
        engine = db.engine
    seen = []

    def keep_the_page_query(_connection, _cursor, statement, parameters, *_rest):
        if statement.startswith("SELECT CAST(board_cards.card AS TEXT)"):  # the page, its cards as text
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep_the_page_query)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", keep_the_page_query)
    (statement, parameters), = seen
    with app.app_context():
        explained = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        plan = [row[3] for row in explained]
    if page_read == "walked":
        assert any("ix_board_cards_order" in step for step in plan), plan
        assert not any("ORDER BY" in step for step in plan), plan
    else:
        assert any(step.startswith("SEARCH board_cards USING INTEGER PRIMARY KEY") for step in plan), plan
        assert not any("SCAN board_cards" in step for step in plan), plan
