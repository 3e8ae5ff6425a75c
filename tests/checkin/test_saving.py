"""Saving a check-in is one INSERT … ON CONFLICT (app/checkin/service.py's save): it inserts the
day's first, updates a later one, clears exactly what is kept from the columns it changes
(app/kept.py's execute_write), and writes nothing when nothing changed."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from app.checkin import service
from app.coach.kept_cards import TABLE as CARDS
from app.domain.triage import CheckinAnswers
from app.extensions import db
from app.progress.snapshots import TABLE as SNAPSHOTS
from tests.conftest import TEST_TODAY as TODAY

GOOD = {"pain_now": "1", "worst_pain": "2", "stiffness": "none", "swelling": "none"}


def _generations(app, athlete: int) -> tuple[int | None, int | None]:
    """The athlete's progress snapshot's generation and board card's."""
    with app.app_context():
        return tuple(db.session.scalar(db.select(table.c.generation).where(table.c.athlete_id == athlete))
                     for table in (SNAPSHOTS, CARDS))


def test_a_save_that_changes_nothing_writes_nothing(app, client, rows, athlete, statements):
    assert client.post("/checkin", data=GOOD).status_code == 303
    before = _generations(app, athlete)
    assert None not in before  # the first save gave both a generation
    with statements() as seen:
        response = client.post("/checkin", data=GOOD)
    assert response.status_code == 303
    assert [s for s in seen if not s.startswith("SELECT")] == []
    assert _generations(app, athlete) == before
    [saved] = rows.checkins(athlete)
    assert (saved.pain_now, saved.worst_pain, saved.status) == (1, 2, "green")


def test_a_save_clears_only_what_its_changed_columns_feed(app, client, rows, athlete):
    """A note feeds the coach's card but not the progression's snapshot; pain feeds both."""
    client.post("/checkin", data=GOOD)
    snapshot, card = _generations(app, athlete)
    client.post("/checkin", data={**GOOD, "note": "Felt fine on the hills."})
    new_snapshot, new_card = _generations(app, athlete)
    assert new_snapshot == snapshot and new_card != card
    client.post("/checkin", data={**GOOD, "note": "Felt fine on the hills.", "pain_now": "2"})
    last_snapshot, last_card = _generations(app, athlete)
    assert last_snapshot != snapshot and last_card != new_card
    [saved] = rows.checkins(athlete)
    assert (saved.pain_now, saved.note) == (2, "Felt fine on the hills.")


def test_two_first_saves_racing_leave_one_checkin_with_the_later_answers(app, rows, athlete):
    """Both read no check-in for the day, then both save: the second updates the row the first
    inserted (ON CONFLICT), never a second row and never an error."""
    answers = CheckinAnswers(pain_now=1, worst_pain=1, stiffness="none", swelling="none")
    with app.test_request_context():
        first_read = service.day_to_change(athlete, TODAY)
        second_read = service.day_to_change(athlete, TODAY)
        assert first_read.checkin is None and second_read.checkin is None
        service.save(athlete, TODAY, answers, "first", first_read)
        verdict = service.save(athlete, TODAY, dataclasses.replace(answers, pain_now=4), "second", second_read)
    assert verdict.status == "amber"
    [saved] = rows.checkins(athlete)
    assert (saved.pain_now, saved.note, saved.status) == (4, "second", "amber")


def test_an_update_keeps_who_acknowledged_it_and_when_it_was_made(app, client, rows, athlete, make_user):
    coach = make_user(email="coach@example.com", athlete=False, coach=True)
    made, seen_at = datetime(2026, 6, 10, 6, 30), datetime(2026, 6, 10, 7, 0)
    rows.checkin(athlete, TODAY, pain_now=8, status="red", worst_pain=8, created_at=made, updated_at=made,
                 acknowledged_at=seen_at, acknowledged_by_id=coach)
    rows.checkin(athlete, TODAY - timedelta(days=1), pain_now=1)
    assert client.post("/checkin", data={**GOOD, "pain_now": "4"}).status_code == 303
    today = next(c for c in rows.checkins(athlete) if c.local_date == TODAY)
    assert (today.pain_now, today.status) == (4, "amber")
    assert (today.acknowledged_at, today.acknowledged_by_id, today.created_at) == (seen_at, coach, made)
    assert today.updated_at > made
