"""The signed-in athlete's history remembered between their pages (app/progress/memory.py), on
both databases: recalled only while nothing of theirs was written, and the page it gives is the
page read afresh."""
from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from app import kept
from app.coach import invites, kept_cards
from app.extensions import db
from app.auth.passwords import hash_password
from app.models import (
    AthleteProfile, BoardCard, CheckIn, CoachAction, CoachLink, OutcomeResponse, Run, TrainingSession, User,
    WarmupLog, utcnow,
)
from app.progress import memory
from tests.training.conftest import add_checkin, green_days, insert_finished, log_all, start, today

PAGES = ("/today", "/training", "/warmup", "/training/timeline", "/checkin", "/checkin/history")
HISTORY_READS = ("FROM training_sessions LEFT OUTER JOIN exercise_logs",  # the three reads the gate replays
                 "SELECT checkins.athlete_id, checkins.local_date",
                 "ORDER BY coach_actions.created_at, coach_actions.id",
                 "FROM runs", "training_sessions.run_pain IS NOT NULL",  # Today's run card
                 "FROM outcome_responses",  # Today's questionnaire card
                 "FROM warmup_logs",  # the week's warm-ups
                 "coach_actions.kind = ",  # the coach's latest note
                 "training_sessions.finished_at IS NULL",  # the session to continue
                 "AND checkins.local_date = ")  # today's check-in


def reads_of_history(seen: list[str]) -> list[str]:
    return [statement for statement in seen if any(read in statement for read in HISTORY_READS)]


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    # The CSRF token and the warm-up's opened_at carry the wall clock's second: the parts that may differ.
    return re.sub(r'(csrf_token"[^>]*value=")[^"]*"|("X-CSRFToken": ")[^"]*"|(name="opened_at" value=")[^"]*"',
                  r"\1\2\3", response.get_data(as_text=True))


def test_the_next_page_recalls_the_history_instead_of_reading_it(client, statements, athlete):
    with statements() as first:
        client.get("/today")
    with statements() as second:
        client.get("/today")
    assert len(reads_of_history(first)) == 10, first
    assert reads_of_history(second) == []
    assert len(second) == len(first) - 10


@pytest.mark.parametrize("path", PAGES)
def test_a_remembered_page_reads_nothing_but_who_is_signed_in(client, app, statements, athlete, path):
    """With nothing written since, each page an athlete opens recalls all it shows: its only
    statement signs the request in (Training's recent sessions come from the finished sessions
    its progress reads)."""
    green_days(app, athlete, 3, 2, 1)
    insert_finished(app, athlete, today() - timedelta(days=2))
    page(client, path)
    with statements() as seen:
        page(client, path)
    assert len(seen) == 1 and "FROM users" in seen[0], seen


def test_a_write_from_another_process_is_on_the_next_page(client, app, athlete):
    """The gate's answer after a red flag written elsewhere (another worker, a sync): the
    generation it replaced makes the remembered history useless at once."""
    green_days(app, athlete, 0)
    assert "Start today's session" in page(client, "/training")
    assert "Start today's session" in page(client, "/training")  # remembered
    with app.app_context():
        checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.athlete_id == athlete))
        checkin.status, checkin.red_flags = "red", ["cannot_bear_weight"]
        db.session.commit()
    assert "Start today's session" not in page(client, "/training")
    assert "Nothing today: rest the knee." in page(client, "/today")


@pytest.mark.parametrize("path", PAGES)
def test_a_remembered_page_is_the_page_read_afresh(client, app, athlete, path):
    """Through a history that moves the program (sessions, next-morning check-ins, a coach's
    pause), each page recalled equals the same page with nothing remembered."""
    steps = [
        lambda: green_days(app, athlete, 3, 2),
        lambda: insert_finished(app, athlete, today() - timedelta(days=3)),
        lambda: insert_finished(app, athlete, today() - timedelta(days=2), pain=4),
        lambda: add(app, Run(athlete_id=athlete, local_date=today() - timedelta(days=1), distance_m=8000,
                             duration_s=2700, pain_during=2)),
        lambda: add(app, OutcomeResponse(athlete_id=athlete, kind="akps", local_date=today(), answers={},
                                         score=70.0)),
        lambda: add_checkin(app, athlete, today(), "amber", pain_now=3),
        lambda: add(app, WarmupLog(athlete_id=athlete, local_date=today(), built_for="amber", duration_seconds=380)),
        lambda: _coach_action(app, athlete, "pause"),
        lambda: _coach_note(app, athlete),  # a note from a linked coach: on Today
        lambda: _end_link(app, athlete),  # the link ends: the note goes
        lambda: add(app, TrainingSession(athlete_id=athlete, local_date=today(), stage=1)),  # to continue
    ]
    for step in steps:
        step()
        page(client, path)  # read, and remembered
        recalled = page(client, path)
        memory.forget()
        assert recalled == page(client, path)


def test_the_athletes_own_writes_are_on_their_next_page(client, app, athlete):
    green_days(app, athlete, 1, 0)
    session_id = start(client)
    log_all(client, app, session_id, pain=0)
    assert client.post(f"/training/sessions/{session_id}/finish").status_code == 303
    remembered = page(client, "/training")
    memory.forget()
    assert remembered == page(client, "/training")


def test_a_new_account_given_an_old_id_recalls_nothing_of_the_old_one(client, app, auth, athlete):
    """SQLite gives a deleted account's id to the next one: its card row, and the generation on
    it, are new, so what was remembered for the old account is never recalled."""
    insert_finished(app, athlete, today() - timedelta(days=2))
    green_days(app, athlete, 2, 1, 0)
    old = page(client, "/training")
    auth.signout()
    with app.app_context():
        db.session.delete(db.session.get(User, athlete))
        db.session.commit()
        db.session.add(User(id=athlete, email="next@example.com", display_name="Nia Next",
                            password_hash=hash_password("correct horse battery"), is_athlete=True))
        db.session.add(AthleteProfile(user_id=athlete, runner_type="general", knee_status="none", timezone="UTC"))
        db.session.commit()
    auth.signin(email="next@example.com")
    fresh = page(client, "/training")
    memory.forget()
    assert fresh == page(client, "/training") != old


def test_a_generation_is_never_given_out_twice(app, athlete):
    seen = set()
    with app.app_context():
        for _ in range(200):
            kept_cards.clear(db.session.connection(), [athlete])
            generation = db.session.scalar(db.select(BoardCard.generation).where(BoardCard.athlete_id == athlete))
            assert generation not in seen and generation > 0
            seen.add(generation)
        db.session.commit()
    assert 0 < kept.fresh_generation() < 2 ** 63


def add(app, row) -> None:
    with app.app_context():
        db.session.add(row)
        db.session.commit()


def _coach_note(app, athlete_id: int) -> None:
    with app.app_context():
        coach = User(email="coach@example.com", display_name="Coach Sam", password_hash="x", is_coach=True)
        db.session.add(coach)
        db.session.flush()
        db.session.add(CoachLink(coach_id=coach.id, athlete_id=athlete_id, status="active", responded_at=utcnow()))
        db.session.add(CoachAction(athlete_id=athlete_id, coach_id=coach.id, coach_name="Coach Sam", kind="note",
                                   text="Easy week: keep the runs short.", created_at=utcnow()))
        db.session.commit()


def _end_link(app, athlete_id: int) -> None:
    with app.app_context():
        coach_id = db.session.scalar(db.select(User.id).where(User.email == "coach@example.com"))
        assert invites.end_links(coach_id, athlete_id) == 1


def _coach_action(app, athlete_id: int, kind: str) -> None:
    with app.app_context():
        db.session.add(CoachAction(athlete_id=athlete_id, coach_name="Coach Sam", kind=kind,
                                   created_at=utcnow() - timedelta(hours=1)))
        db.session.commit()


# ── when a page may recall ──────────────────────────────────────────────────────────────────

def test_only_the_signed_in_athletes_own_get_recalls(app):
    answers = iter(range(100))

    def read():
        return next(answers)

    with app.test_request_context("/today"):
        memory.signed_in(7, 1234)
        first = memory.recall(7, "part", read)
        assert memory.recall(7, "part", read) == first  # remembered
        assert memory.recall(8, "part", read) != memory.recall(8, "part", read)  # someone else: read
    with app.test_request_context("/today"):
        memory.signed_in(7, 1234)
        assert memory.recall(7, "part", read) == first  # the next page, same generation
    with app.test_request_context("/today"):
        memory.signed_in(7, 5678)
        assert memory.recall(7, "part", read) != first  # a write since
    with app.test_request_context("/today", method="POST"):
        memory.signed_in(7, 5678)
        assert memory.recall(7, "part", read) != memory.recall(7, "part", read)  # a write reads afresh
    with app.test_request_context("/today"):
        memory.signed_in(7, None)  # no card row yet
        assert memory.recall(7, "part", read) != memory.recall(7, "part", read)


def test_a_get_that_writes_reads_afresh_from_then_on(app, athlete):
    answers = iter(range(100))
    with app.test_request_context("/today"):
        memory.signed_in(athlete, 42)
        first = memory.recall(athlete, "part", lambda: next(answers))
        assert memory.recall(athlete, "part", lambda: next(answers)) == first
        db.session.get(User, athlete).display_name = "Renamed"
        db.session.flush()
        assert memory.recall(athlete, "part", lambda: next(answers)) != first
        db.session.rollback()


def test_a_get_that_writes_without_a_flush_reads_afresh_from_then_on(app, athlete):
    """A statement through the session (an INSERT … ON CONFLICT, as saving a check-in runs) is no
    flush, and counts as a write all the same."""
    answers = iter(range(100))
    memory.forget()  # nothing remembered by an earlier test under the same id and generation
    with app.test_request_context("/today"):
        memory.signed_in(athlete, 42)
        first = memory.recall(athlete, "part", lambda: next(answers))
        db.session.execute(db.select(User.id))  # a read: still recalled
        assert memory.recall(athlete, "part", lambda: next(answers)) == first
        db.session.execute(db.update(User).where(User.id == athlete).values(display_name="Renamed")
                           .execution_options(**{kept_cards.KEPT.option: [athlete]}))
        assert memory.recall(athlete, "part", lambda: next(answers)) != first
        db.session.rollback()


def test_memory_forgets_the_least_recently_seen_athlete_first(app, monkeypatch):
    monkeypatch.setattr(memory, "ATHLETES", 2)
    memory.forget()
    with app.test_request_context("/today"):
        for athlete_id in (1, 2, 1, 3):  # 2 is the least recently seen when 3 comes
            memory.signed_in(athlete_id, 99)
            memory.recall(athlete_id, "part", lambda: athlete_id)
        assert list(memory._remembered) == [1, 3]


def test_the_live_verdict_recalls_what_the_form_read_and_sees_a_write_at_once(client, app, statements, athlete):
    """The check-in's live verdict is a POST that writes nothing (app/per_page.py's only_reads):
    it recalls the history the form page read, and a write made elsewhere meanwhile is in its
    very next answer."""
    green_days(app, athlete, 3, 2)  # pain 0 on both days
    answers = {"pain_now": "2", "worst_pain": "2", "stiffness": "none", "swelling": "none",
               "csrf_token": client.csrf_token()}

    def verdict() -> str:
        response = client.post("/checkin/verdict", data=answers, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.get_data(as_text=True)

    page(client, "/checkin")
    verdict()  # the form's first change reads the pain of the days before
    with statements() as seen:
        rise = verdict()
    assert "verdict-amber" in rise  # 2 is up 2 on the 7-day average of 0
    assert len(seen) == 1 and "FROM users" in seen[0], seen  # signing in; the rest is recalled
    with app.app_context():  # another process: the days before had pain 2 too
        for checkin in db.session.scalars(db.select(CheckIn).where(CheckIn.athlete_id == athlete)):
            checkin.pain_now = 2
        db.session.commit()
    with statements() as seen:
        steady = verdict()
    assert "verdict-green" in steady and len(seen) > 1
    memory.forget()
    assert verdict() == steady


def test_a_finished_sessions_page_is_recalled_and_only_its_athletes(client, app, statements, athlete, make_user):
    """A finished session's page reads the session once and recalls it after (it changes only
    by being deleted, which gives a new generation); another athlete gets a 404 for it."""
    green_days(app, athlete, 1, 0)
    session_id = start(client)
    log_all(client, app, session_id, pain=2)
    assert client.post(f"/training/sessions/{session_id}/finish").status_code == 303
    path = f"/training/sessions/{session_id}"
    first = page(client, path)
    assert "What you logged" in first and first.count("Pain 2/10") >= 2
    with statements() as seen:
        assert page(client, path) == first
    assert len(seen) == 1 and "FROM users" in seen[0], seen  # signing in; the session is recalled
    memory.forget()
    assert page(client, path) == first

    make_user(email="other@example.com")
    other = app.test_client()
    other.post("/signin", data={"email": "other@example.com", "password": "correct horse battery"})
    assert other.get(path).status_code == 404
    with app.app_context():  # deleted elsewhere (another worker): gone from the very next page
        db.session.delete(db.session.get(TrainingSession, session_id))
        db.session.commit()
    assert client.get(path).status_code == 404


def test_a_session_gone_between_the_list_and_the_read_is_not_found(client, app, athlete, make_user, monkeypatch):
    """The page checks the id against the athlete's finished sessions, then reads the session:
    one deleted in between (another request), or a list that names someone else's, is a 404."""
    from app.training import service

    other = make_user(email="other@example.com")
    insert_finished(app, other, today() - timedelta(days=1))
    with app.app_context():
        theirs = db.session.scalar(db.select(TrainingSession.id).where(TrainingSession.athlete_id == other))
    listed = lambda _athlete_id: (SimpleNamespace(id=theirs), SimpleNamespace(id=theirs + 1000))  # noqa: E731
    monkeypatch.setattr(service, "finished_sessions", listed)
    assert client.get(f"/training/sessions/{theirs}").status_code == 404
    assert client.get(f"/training/sessions/{theirs + 1000}").status_code == 404
