"""Training routes on both databases: the page, logging, verdicts, the timeline, bad input."""
from __future__ import annotations

import html
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import CoachAction, ExerciseLog, TrainingSession, utcnow
from tests.training.conftest import (
    add_checkin, green_days, insert_finished, log_all, slugs, start, today,
)


def set_stage(app, athlete_id: int, stage: int, days_ago: int = 10) -> None:
    """A coach's set_stage in the past, to start a test at a later stage."""
    with app.app_context():
        db.session.add(CoachAction(athlete_id=athlete_id, coach_name="Coach Sam", kind="set_stage",
                                   value=stage, created_at=utcnow() - timedelta(days=days_ago)))
        db.session.commit()


def snapshot(app) -> list[tuple]:
    """Every session and log as plain tuples, to prove a refused request changed nothing."""
    with app.app_context():
        sessions = db.session.execute(db.select(
            TrainingSession.id, TrainingSession.local_date, TrainingSession.stage, TrainingSession.kind,
            TrainingSession.run_pain, TrainingSession.finished_at).order_by(TrainingSession.id)).all()
        logs = db.session.execute(db.select(
            ExerciseLog.id, ExerciseLog.sets, ExerciseLog.reps, ExerciseLog.seconds, ExerciseLog.pain,
            ExerciseLog.skipped).order_by(ExerciseLog.id)).all()
        return [tuple(row) for row in sessions + logs]


def text(response) -> str:
    """The response as a person reads it (entities unescaped)."""
    return html.unescape(response.get_data(as_text=True))


# ── the Training page ───────────────────────────────────────────────────────────────────────


def test_training_needs_an_athlete_with_a_profile(client, make_user, auth):
    assert client.get("/training").status_code == 302
    make_user(email="coach@example.com", athlete=False, coach=True)
    auth.signin("coach@example.com")
    assert client.get("/training").status_code == 404
    auth.signout()
    make_user(email="new@example.com", profile=False)
    auth.signin("new@example.com")
    assert client.get("/training").headers["Location"].startswith("/profile")


def test_the_page_shows_the_stage_its_exercises_and_progress(client, athlete):
    page = text(client.get("/training"))
    assert "Calm & activate" in page
    assert "0 of 3 pain-free sessions at Stage 1 — three more to unlock Stage 2" in page
    assert '<progress value="0" max="3"' in page
    assert 'href="/exercises/quad-sets"' in page and "3 × 10 each side" in page
    assert "Press the back of your knee down into the floor" in page  # the headline cue
    assert 'href="/training/timeline"' in page and 'aria-current="page"' in page


def test_exercises_needing_kit_the_athlete_lacks_are_left_out(client, app, make_user, auth):
    make_user(has_band=False)
    auth.signin()
    page = text(client.get("/training"))
    assert "Left out today (1)" in page
    assert "Needs a resistance band" in page
    program = page.split("Left out today")[0]
    assert "Clamshell with band" not in program


def test_high_load_exercises_are_not_offered_on_a_sore_day(client, app, athlete):
    set_stage(app, athlete, 3)
    add_checkin(app, athlete, today(), "amber", pain_now=4)
    page = text(client.get("/training"))
    program = page.split("Left out today")[0]
    assert "Split squat to comfortable depth" not in program
    assert "left out today. Hops and impact work come back once today's check-in is green" in page
    with app.app_context():
        session_id = start(client)
        assert "split-squat" not in slugs(app, session_id)


def test_high_load_exercises_are_not_offered_after_a_painful_session(client, app, athlete):
    set_stage(app, athlete, 3)
    insert_finished(app, athlete, today() - timedelta(days=1), stage=3, pain=2)
    add_checkin(app, athlete, today(), "green")
    assert ("Hops and impact work come back once you've done a session with every exercise "
            "pain-free.") in text(client.get("/training"))
    assert "split-squat" not in slugs(app, start(client))


def test_stage_4_on_a_sore_day_is_a_calm_stage_3_session_that_does_not_count(client, app, athlete):
    set_stage(app, athlete, 4)
    add_checkin(app, athlete, today(), "amber", pain_now=3)
    assert "Stage 4 is all impact work" in text(client.get("/training"))
    session_id = start(client)
    names = slugs(app, session_id)
    assert names and "pogo-hops" not in names and "split-squat" not in names
    log_all(client, app, session_id)
    client.post(f"/training/sessions/{session_id}/finish")
    page = text(client.get(f"/training/sessions/{session_id}"))
    assert "Amber check-in that day: only sessions on a green day count" in page


def test_the_walk_run_ladder_is_shown_to_athletes_coming_back_from_pain(client, make_user, auth):
    make_user(knee_status="returning")
    auth.signin()
    page = text(client.get("/training"))
    assert "The walk–run ladder (Stage 5)" in page and "Walk–jog 0.1 / 0.1" in page
    assert "never two days in a row" in page


def test_the_ladder_is_not_shown_for_prevention(client, athlete):
    assert "walk–run ladder" not in text(client.get("/training"))


# ── starting and logging ────────────────────────────────────────────────────────────────────


def test_starting_a_session_prefills_every_exercise_from_its_dose(client, app, athlete):
    session_id = start(client)
    with app.app_context():
        record = db.session.get(TrainingSession, session_id)
        assert (record.local_date, record.stage, record.kind, record.finished_at) == (today(), 1, "strength", None)
        wall_sit = next(log for log in record.logs if log.exercise.slug == "wall-sit")
        assert (wall_sit.sets, wall_sit.reps, wall_sit.seconds, wall_sit.pain) == (3, None, 30, None)
    page = text(client.get(f"/training/sessions/{session_id}"))
    assert 'id="wall-sit-seconds" name="seconds" value="30"' in page
    assert page.count('type="radio" name="pain"') == 11 * len(slugs(app, session_id))


def test_starting_again_continues_the_open_session(client, app, athlete):
    first = start(client)
    assert start(client) == first
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(TrainingSession)) == 1


def test_a_session_done_earlier_can_be_logged_on_its_day(client, app, athlete):
    session_id = start(client, day=(today() - timedelta(days=2)).isoformat())
    with app.app_context():
        assert db.session.get(TrainingSession, session_id).local_date == today() - timedelta(days=2)


def test_logging_an_exercise_saves_it_straight_away(client, app, athlete):
    session_id = start(client)
    url = f"/training/sessions/{session_id}/exercises/glute-bridge"
    response = client.post(url, data={"sets": "2", "reps": "15", "pain": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/training/sessions/{session_id}#log-glute-bridge")
    page = text(client.get(f"/training/sessions/{session_id}"))  # a reload keeps what was logged
    assert "Saved · pain 1/10" in page
    assert 'id="glute-bridge-reps" name="reps" value="15"' in page
    assert 'id="glute-bridge-pain-1" checked' in page


def test_htmx_gets_the_exercise_fragment_back(client, app, athlete):
    session_id = start(client)
    response = client.post(f"/training/sessions/{session_id}/exercises/quad-sets",
                           data={"sets": "3", "reps": "10", "pain": "0"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = text(response)
    assert fragment.lstrip().startswith("<form") and 'id="log-quad-sets"' in fragment
    assert "<html" not in fragment and "Saved · pain 0/10" in fragment


def test_skipping_an_exercise_clears_its_pain(client, app, athlete):
    session_id = start(client)
    url = f"/training/sessions/{session_id}/exercises/heel-slides"
    client.post(url, data={"sets": "2", "reps": "10", "pain": "4"})
    client.post(url, data={"sets": "", "reps": "", "pain": "4", "skipped": "y"})
    with app.app_context():
        log = db.session.scalar(db.select(ExerciseLog).where(ExerciseLog.session_id == session_id,
                                                             ExerciseLog.pain.is_(None), ExerciseLog.skipped))
        assert log is not None and log.sets == 2


def test_finishing_needs_every_exercise_rated_or_skipped(client, app, athlete):
    session_id = start(client)
    client.post(f"/training/sessions/{session_id}/exercises/quad-sets", data={"sets": "3", "reps": "10", "pain": "0"})
    before = snapshot(app)
    response = client.post(f"/training/sessions/{session_id}/finish")
    assert response.status_code == 422
    assert "Straight-leg raise" in text(response) and "Not finished yet" in text(response)
    assert snapshot(app) == before


# ── verdicts ────────────────────────────────────────────────────────────────────────────────


def test_three_pain_free_days_advance_once_the_next_morning_confirms(client, app, athlete):
    for days_ago in (3, 2):
        insert_finished(app, athlete, today() - timedelta(days=days_ago))
    green_days(app, athlete, 3, 2, 1)
    session_id = start(client, day=(today() - timedelta(days=1)).isoformat())
    log_all(client, app, session_id)
    assert client.post(f"/training/sessions/{session_id}/finish").status_code == 303
    waiting = text(client.get(f"/training/sessions/{session_id}"))
    assert "unlocks Stage 2 once the next morning's check-in confirms it" in waiting
    green_days(app, athlete, 0)  # this morning's check-in: no worse
    page = text(client.get(f"/training/sessions/{session_id}"))
    assert "Stage 2 unlocked" in page
    assert "Pain-free, confirmed the next morning — unlocked Stage 2" in page
    assert "Build strength" in text(client.get("/training"))


def test_a_painful_session_holds_and_names_the_exercise(client, app, athlete):
    session_id = start(client)
    log_all(client, app, session_id, hurt="wall-sit", hurt_pain=3)
    client.post(f"/training/sessions/{session_id}/finish")
    page = text(client.get(f"/training/sessions/{session_id}"))
    assert "Held — this one doesn't count" in page
    assert "Today's session had pain 3/10 (Wall sit at a comfortable angle)" in page


def test_pain_of_5_steps_back_a_stage(client, app, athlete):
    set_stage(app, athlete, 2)
    session_id = start(client)
    log_all(client, app, session_id, hurt="sit-to-stand", hurt_pain=5)
    client.post(f"/training/sessions/{session_id}/finish")
    page = text(client.get(f"/training/sessions/{session_id}"))
    assert "Stepped back" in page and "Pain 5/10 in Sit-to-stand to a box today" in page
    assert "Calm & activate" in text(client.get("/training"))


def test_deleting_a_finished_session_recomputes_the_stage(client, app, athlete):
    for days_ago in (3, 2, 1):
        insert_finished(app, athlete, today() - timedelta(days=days_ago))
    green_days(app, athlete, 3, 2, 1, 0)
    painful = insert_finished(app, athlete, today(), stage=2, pain=6)
    assert "Calm & activate" in text(client.get("/training"))
    response = client.post(f"/training/sessions/{painful}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/training"
    assert "Build strength" in text(client.get("/training"))


def test_the_entry_test_is_offered_when_stage_3_is_done(client, app, athlete):
    set_stage(app, athlete, 3)
    for days_ago in (3, 2, 1):
        insert_finished(app, athlete, today() - timedelta(days=days_ago), stage=3)
    green_days(app, athlete, 3, 2, 1, 0)
    assert "Take the Stage 4 entry test" in text(client.get("/training"))
    session_id = start(client, kind="entry_test")
    assert slugs(app, session_id) == ["single-leg-squat-test"]
    log_all(client, app, session_id)
    client.post(f"/training/sessions/{session_id}/finish")
    page = text(client.get(f"/training/sessions/{session_id}"))
    assert "Pain-free: entry test passed — unlocks Stage 4 once the next morning's check-in" in page


def test_a_walk_run_moves_up_the_ladder(client, app, make_user, auth):
    athlete = make_user(knee_status="returning")
    auth.signin()
    set_stage(app, athlete, 5)
    green_days(app, athlete, 0)  # runs come on calm days
    assert "Log today's walk–run (level 1)" in text(client.get("/training"))
    session_id = start(client, kind="run")
    assert "Walk 0.1 mi, jog 0.1 mi" in text(client.get(f"/training/sessions/{session_id}"))
    assert client.post(f"/training/sessions/{session_id}/finish").status_code == 422
    assert client.post(f"/training/sessions/{session_id}/run", data={"pain": "0"}).status_code == 303
    client.post(f"/training/sessions/{session_id}/finish")
    assert ("Pain-free run — unlocks walk–run level 2 once the next morning's check-in confirms it"
            in text(client.get(f"/training/sessions/{session_id}")))
    assert "Log today's walk–run" not in text(client.get("/training"))  # a rest day comes first
    assert "Log another session" in text(client.get("/training"))


def test_the_timeline_lists_every_change_with_its_reason_and_date(client, app, athlete):
    set_stage(app, athlete, 2, days_ago=5)
    insert_finished(app, athlete, today() - timedelta(days=1), stage=2, pain=3)
    page = text(client.get("/training/timeline"))
    assert "Stage set to 2 by Coach Sam" in page
    assert "Held: yesterday's session had pain 3/10" in page
    assert page.index("Held:") < page.index("Stage set to 2")  # newest first
    assert f'datetime="{(today() - timedelta(days=1)).isoformat()}"' in page


def test_the_today_card_renders_with_the_service_context(app, athlete, client):
    from flask import render_template

    from app.models import AthleteProfile
    from app.training.service import today_card

    with app.test_request_context():
        card = html.unescape(render_template("training/_today_card.html",
                                             **today_card(db.session.get(AthleteProfile, athlete))))
    assert "Stage 1 · Calm & activate" in card and "Start today's session" in card
    assert 'name="csrf_token"' in card and 'action="/training/sessions"' in card
    assert 'name="kind" value="strength"' in card


def test_the_today_card_sends_the_entry_test_to_the_training_page(app, athlete, client):
    from flask import render_template

    from app.models import AthleteProfile
    from app.training.service import today_card

    set_stage(app, athlete, 3)
    for days_ago in (3, 2, 1):
        insert_finished(app, athlete, today() - timedelta(days=days_ago), stage=3)
    green_days(app, athlete, 3, 2, 1, 0)
    with app.test_request_context():
        card = html.unescape(render_template("training/_today_card.html",
                                             **today_card(db.session.get(AthleteProfile, athlete))))
    assert '<a class="button primary block" href="/training">Take the Stage 4 entry test</a>' in card


# ── bad input: 4xx with a clear message, database unchanged ───────────────────────────────────

BAD_LOGS = [
    ({"pain": "11"}, "Pain is a whole number from 0"),
    ({"pain": "-1"}, "Pain is a whole number from 0"),
    ({"pain": "lots"}, "Pain is a whole number from 0"),
    ({"sets": "-2"}, "Sets are a whole number from 0 to 100."),
    ({"sets": "101"}, "Sets are a whole number from 0 to 100."),
    ({"reps": "1000"}, "Reps are a whole number from 0 to 100."),
    ({"reps": "2.5"}, "Reps are a whole number from 0 to 100."),
    ({"reps": ""}, "Enter the reps you did."),
]


@pytest.mark.parametrize("bad, message", BAD_LOGS, ids=[f"{k}={v}" for (b, _m) in BAD_LOGS for k, v in b.items()])
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_bad_exercise_logs_are_refused(client, app, athlete, bad, message, htmx):
    session_id = start(client)
    url = f"/training/sessions/{session_id}/exercises/glute-bridge"
    client.post(url, data={"sets": "3", "reps": "12", "pain": "0"})
    before = snapshot(app)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, data={"sets": "3", "reps": "12", "pain": "0", **bad}, headers=headers)
    assert response.status_code == 422
    assert message in text(response)
    assert 'aria-invalid="true"' in text(response) or "pain-error" in text(response)
    assert snapshot(app) == before


def test_seconds_over_an_hour_are_refused(client, app, athlete):
    session_id = start(client)
    before = snapshot(app)
    response = client.post(f"/training/sessions/{session_id}/exercises/wall-sit",
                           data={"sets": "3", "seconds": "99999", "pain": "0"})
    assert response.status_code == 422 and "Seconds are a whole number from 0 to 3600." in text(response)
    assert snapshot(app) == before


@pytest.mark.parametrize("slug, data", [
    ("glute-bridge", {"sets": "3", "reps": "12", "pain": "0", "seconds": "-1"}),
    ("wall-sit", {"sets": "3", "seconds": "30", "pain": "0", "reps": "lots"}),
])
def test_the_amount_an_exercise_is_not_counted_in_is_ignored(client, app, athlete, slug, data):
    """Its field isn't on the page, so an error on it used to give a 422 with nothing to read."""
    session_id = start(client)
    response = client.post(f"/training/sessions/{session_id}/exercises/{slug}", data=data)
    assert response.status_code == 303
    with app.app_context():
        [log] = [log for log in db.session.get(TrainingSession, session_id).logs if log.exercise.slug == slug]
        assert (log.sets, log.reps or log.seconds, log.pain) == (3, 12 if slug == "glute-bridge" else 30, 0)


@pytest.mark.parametrize("slug", ["pogo-hops", "no-such-exercise", "%E2%9C%93"])
def test_an_exercise_outside_the_session_program_is_refused(client, app, athlete, slug):
    session_id = start(client)
    before = snapshot(app)
    response = client.post(f"/training/sessions/{session_id}/exercises/{slug}",
                           data={"sets": "3", "reps": "10", "pain": "0"})
    assert response.status_code == 422 and "isn't in this session's program" in text(response)
    assert snapshot(app) == before


def test_a_nul_byte_in_the_exercise_is_refused_at_the_door(client, app, athlete):
    session_id = start(client)
    before = snapshot(app)
    response = client.post(f"/training/sessions/{session_id}/exercises/%00",
                           data={"sets": "3", "reps": "10", "pain": "0"})
    assert response.status_code == 400
    assert snapshot(app) == before


@pytest.mark.parametrize("method, suffix, data", [
    ("get", "", None),
    ("post", "/exercises/quad-sets", {"sets": "3", "reps": "10", "pain": "0"}),
    ("post", "/finish", {}),
    ("post", "/delete", {}),
])
def test_another_athletes_session_is_not_found(client, app, make_user, auth, method, suffix, data):
    make_user(email="other@example.com")
    auth.signin("other@example.com")
    theirs = start(client)
    client.post(f"/training/sessions/{theirs}/exercises/quad-sets", data={"sets": "3", "reps": "10", "pain": "0"})
    auth.signout()
    make_user()
    auth.signin()
    before = snapshot(app)
    url = f"/training/sessions/{theirs}{suffix}"
    response = client.get(url) if method == "get" else client.post(url, data=data)
    assert response.status_code == 404 and "Page not found" in text(response)
    assert snapshot(app) == before


@pytest.mark.parametrize("days_ahead, message", [
    (1, "A session can't be dated in the future."),
    (-8, "You can log sessions from the last 7 days."),
])
def test_a_session_dated_in_the_future_or_long_ago_is_refused(client, app, athlete, days_ahead, message):
    response = client.post("/training/sessions", data={"day": (today() + timedelta(days=days_ahead)).isoformat()})
    assert response.status_code == 422
    assert message in text(response) and 'id="day-error"' in text(response)
    assert snapshot(app) == []


@pytest.mark.parametrize("data, message", [
    ({"day": "not-a-date"}, "Enter a date, like 2026-11-24."),
    ({"kind": "entry_test"}, "The entry test opens once"),
    ({"kind": "run"}, "The walk–run is the last stage (Stage 5)"),
    ({"kind": "yoga"}, "Choose a strength session"),
])
def test_a_session_that_is_not_on_offer_is_refused(client, app, athlete, data, message):
    response = client.post("/training/sessions", data=data)
    assert response.status_code == 422 and message in text(response)
    assert snapshot(app) == []


def test_finishing_an_already_finished_session_is_refused(client, app, athlete):
    session_id = start(client)
    log_all(client, app, session_id)
    client.post(f"/training/sessions/{session_id}/finish")
    before = snapshot(app)
    response = client.post(f"/training/sessions/{session_id}/finish")
    assert response.status_code == 409 and "already finished" in text(response)
    response = client.post(f"/training/sessions/{session_id}/exercises/quad-sets",
                           data={"sets": "3", "reps": "10", "pain": "5"}, headers={"HX-Request": "true"})
    assert response.status_code == 409 and response.headers["HX-Refresh"] == "true"
    assert snapshot(app) == before


@pytest.mark.parametrize("pain", ["11", "", "-3"])
def test_bad_run_pain_is_refused(client, app, make_user, auth, pain):
    athlete = make_user(knee_status="returning")
    auth.signin()
    set_stage(app, athlete, 5)
    green_days(app, athlete, 0)
    session_id = start(client, kind="run")
    before = snapshot(app)
    response = client.post(f"/training/sessions/{session_id}/run", data={"pain": pain})
    assert response.status_code == 422 and 'id="run-pain-error"' in text(response)
    assert snapshot(app) == before


def test_posts_without_a_csrf_token_are_refused(client, app, athlete):
    assert client.post("/training/sessions", csrf=False).status_code == 400
    session_id = start(client)
    before = snapshot(app)
    for suffix in ("/exercises/quad-sets", "/finish", "/delete"):
        assert client.post(f"/training/sessions/{session_id}{suffix}", csrf=False,
                           data={"sets": "3", "reps": "10", "pain": "0"}).status_code == 400
    assert snapshot(app) == before


def count_queries(statements, client, path: str) -> int:
    with statements() as seen:
        assert client.get(path).status_code == 200
    return len(seen)


@pytest.mark.parametrize("path", ["/training", "/training/timeline"])
def test_pages_take_the_same_queries_however_long_the_history(client, app, athlete, statements, path):
    insert_finished(app, athlete, today() - timedelta(days=30))
    short = count_queries(statements, client, path)
    for days_ago in range(1, 25, 2):
        insert_finished(app, athlete, today() - timedelta(days=days_ago), pain=days_ago % 3)
        add_checkin(app, athlete, today() - timedelta(days=days_ago), "green")
    assert count_queries(statements, client, path) == short


@pytest.mark.parametrize("session_id", ["0", "99999999999999999999999"])
def test_a_session_that_does_not_exist_is_not_found(client, athlete, session_id):
    assert client.get(f"/training/sessions/{session_id}").status_code == 404
    assert client.post(f"/training/sessions/{session_id}/finish").status_code == 404
