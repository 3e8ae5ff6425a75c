"""Deleting an account, through the real form: every row of that person is gone, their coach
links with it, and every other row is exactly as it was — the whole database compared before
and after, with the schema's own foreign keys saying what "theirs" means.

An athlete's check-ins, warm-ups, sessions and exercise logs, the coach's acts on them,
idempotency keys and progress snapshot go; a coach's acts on an athlete stay in that athlete's
history (the progression depends on them) with the coach's account no longer attached.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.coach import kept_cards
from app.extensions import db
from app.models import CheckIn, CoachAction, IdempotencyKey, OutcomeResponse, Run, User, WarmupLog, utcnow
from tests.fixtures.coaching import PASSWORD, add_checkin, log_session, text
from tests.security.snapshot import database_rows
from tests.conftest import TEST_TODAY

PRIVATE = "my knee, my words"

Rows = dict[str, list[dict]]


def without(rows: Rows, user_id: int) -> Rows:
    """What the database should hold once the user is deleted: their row removed, then, until
    nothing more changes, rows referring to a removed row removed (ON DELETE CASCADE) or
    detached (SET NULL). A reference with neither would make the deletion fail, so it fails here."""
    expected = {name: [dict(row) for row in table] for name, table in rows.items()}
    removed: dict[str, list[dict]] = {"users": [row for row in expected["users"] if row["id"] == user_id]}
    expected["users"] = [row for row in expected["users"] if row["id"] != user_id]
    while removed:
        newly: dict[str, list[dict]] = {}
        for table in db.metadata.sorted_tables:
            for foreign_key in table.foreign_keys:
                target = foreign_key.column
                gone = {row[target.name] for row in removed.get(target.table.name, [])}
                column = foreign_key.parent.name
                hit = [row for row in expected[table.name] if gone and row[column] in gone]
                if not hit:
                    continue
                action = (foreign_key.ondelete or "").upper()
                assert action in ("CASCADE", "SET NULL"), f"{table.name}.{column} would block the deletion"
                if action == "SET NULL":
                    for row in hit:
                        row[column] = None
                else:
                    newly.setdefault(table.name, []).extend(hit)
                    expected[table.name] = [row for row in expected[table.name] if row not in hit]
        removed = newly
    return expected


def mentions(rows: Rows, *needles: str) -> list[str]:
    """Rows whose values, written out, contain any of the needles."""
    return [f"{name}: {row}" for name, table in rows.items() for row in table
            if any(needle in json.dumps(row, default=str) for needle in needles)]


@pytest.fixture
def histories(app, cast):
    """Both of the coach's athletes with a full history, the coach's acts on each and an
    idempotency key (their writes made their progress snapshots); the coach has acknowledged a
    red check-in of each."""
    with app.app_context():
        today = TEST_TODAY
        for athlete in (cast.athlete, cast.other_athlete):
            for days_ago in range(1, 6):
                add_checkin(athlete, today - timedelta(days=days_ago), pain_now=days_ago % 4,
                            note=f"{PRIVATE} ({athlete})" if athlete == cast.athlete else "")
            red = add_checkin(athlete, today, pain_now=7)
            checkin = db.session.get(CheckIn, red)
            checkin.acknowledged_by_id, checkin.acknowledged_at = cast.coach, utcnow()
            db.session.add(WarmupLog(athlete_id=athlete, local_date=today, built_for="red",
                                     items=[{"slug": "glute-bridge-warmup", "done": True, "skip_reason": None}],
                                     duration_seconds=360, planned_seconds=400))
            log_session(athlete, today - timedelta(days=2), 1, [0, 1, 0, None])
            log_session(athlete, today - timedelta(days=1), 1, [0, 0, 0, 0])
            db.session.add(Run(athlete_id=athlete, local_date=today - timedelta(days=3), distance_m=5000,
                               duration_s=1800, terrain="road", pain_during=1, source="fit",
                               file_name=f"{athlete}.fit", file_sha256="b" * 64))
            for kind, value, words, checkin_id in (("set_stage", 2, None, None), ("note", None, "Easy week", None),
                                                   ("ack_red_flag", None, None, red)):
                db.session.add(CoachAction(athlete_id=athlete, coach_id=cast.coach, coach_name="Coach Sam",
                                           kind=kind, value=value, text=words, checkin_id=checkin_id))
            db.session.add(OutcomeResponse(athlete_id=athlete, kind="akps", local_date=today, answers={"limp": 0},
                                           score=84))
            db.session.add(CoachAction(athlete_id=athlete, coach_id=cast.coach, coach_name="Coach Sam",
                                       kind="set_outcome_interval", value=2))
            db.session.add(IdempotencyKey(user_id=athlete, key=f"key-{athlete}", request_hash="0" * 64,
                                          status_code=303, location="/today"))
        db.session.commit()
        kept_cards.board_page(db.session.get(User, cast.coach))  # the board's cards and counts kept
    return cast


def assert_as_expected(after: Rows, expected: Rows) -> None:
    """The database is as expected, but for the coaches' board counts, which a deleted account
    clears for every coach (app/coach/kept_cards.py): they are compared apart, cleared."""
    assert {name: rows for name, rows in after.items() if name != "board_counts"} == \
        {name: rows for name, rows in expected.items() if name != "board_counts"}
    assert [row["coach_id"] for row in after["board_counts"]] == [row["coach_id"] for row in expected["board_counts"]]
    assert all(row["total"] is None and row["rules"] is None for row in after["board_counts"])


def delete_account(client, login, user_id: int):
    login(user_id)
    return client.post("/account/delete", data={"del-password": PASSWORD, "del-confirm": "y"})


def test_deleting_an_athlete_removes_every_row_of_theirs_and_nothing_else(client, app, login, histories):
    cast = histories
    before = database_rows(app)
    [email] = [row["email"] for row in before["users"] if row["id"] == cast.athlete]
    expected = without(before, cast.athlete)
    for table in ("checkins", "warmup_logs", "training_sessions", "exercise_logs", "coach_actions",
                  "idempotency_keys", "progress_snapshots", "athlete_profiles", "coach_links", "runs",
                  "outcome_responses"):
        assert len(expected[table]) < len(before[table]), f"the fixture gives the athlete nothing in {table}"
    assert [row["total"] for row in before["board_counts"] if row["coach_id"] == cast.coach] == [2]

    response = delete_account(client, login, cast.athlete)

    assert response.status_code == 303
    after = database_rows(app)
    assert_as_expected(after, expected)
    assert mentions(after, email, PRIVATE) == []


def test_a_deleted_athletes_coach_links_end_for_the_coach(client, app, login, histories):
    cast = histories
    delete_account(client, login, cast.athlete)

    login(cast.coach)
    board = client.get("/coach")
    assert board.status_code == 200
    assert "Riley Runner" not in text(board) and "Olive Other" in text(board)
    assert client.get(f"/coach/athletes/{cast.athlete}").status_code == 404
    assert client.get(f"/coach/athletes/{cast.other_athlete}").status_code == 200
    login(cast.former)
    assert "Riley Runner" not in text(client.get("/coach"))


def test_deleting_a_coach_ends_their_links_and_leaves_the_athletes_histories(client, app, login, histories):
    cast = histories
    before = database_rows(app)
    expected = without(before, cast.coach)

    assert delete_account(client, login, cast.coach).status_code == 303

    after = database_rows(app)
    assert_as_expected(after, expected)
    assert mentions(after, "coach@example.com") == []
    assert len(after["checkins"]) == len(before["checkins"])
    assert all(action["coach_id"] is None for action in after["coach_actions"])
    login(cast.athlete)
    coaches = text(client.get("/coaches"))
    assert "Coach Sam" not in coaches and "Coach Former" not in coaches
    assert "Easy week" not in text(client.get("/today"))


def test_a_refused_deletion_keeps_everything(client, app, login, histories):
    before = database_rows(app)
    login(histories.athlete)
    response = client.post("/account/delete", data={"del-password": "not my password", "del-confirm": "y"})
    assert response.status_code == 422
    assert "Nothing was deleted" in text(response)
    assert database_rows(app) == before
