"""The safety gate through the pages and POSTs that ask it, on both databases (issue 12)."""
from __future__ import annotations

import html

from app.extensions import db
from app.models import CheckIn, ExerciseLog, TrainingSession
from tests.training.conftest import add_checkin, slugs, start, today
from tests.training.test_routes import set_stage, snapshot


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def red_flag_today(app, athlete_id: int, flag: str = "cannot_bear_weight") -> None:
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athlete_id, local_date=today(), pain_now=3,
                               status="red", red_flags=[flag]))
        db.session.commit()


def test_finding_1_after_a_red_flag_nothing_offers_or_starts_a_session(client, app, athlete):
    red_flag_today(app, athlete)
    today_page = text(client.get("/today"))
    assert "Start today's session" not in today_page
    assert "Nothing today: rest the knee." in today_page
    training = text(client.get("/training"))
    assert "Start today's session" not in training and "red flag" in training
    assert "Urgent — today.</strong> Get an urgent appointment today" in training
    before = snapshot(app)
    refused = client.post("/training/sessions", data={"kind": "strength"})
    assert refused.status_code == 422
    assert "Today's check-in has a red flag" in text(refused)
    assert snapshot(app) == before
    warmup = client.get("/warmup")
    assert warmup.status_code == 200 and 'class="checklist-form"' not in text(warmup)
    assert client.post("/warmup/finish", data={"done": "leg-swings"}).status_code == 422


def test_a_red_day_without_flags_offers_only_the_recovery_routine(client, app, athlete):
    add_checkin(app, athlete, today(), "red", pain_now=7)
    training = text(client.get("/training"))
    assert "Pain now 7/10 is in the high-risk zone" in training
    assert client.post("/training/sessions", data={"kind": "strength"}).status_code == 422
    assert "Gentle recovery routine" in text(client.get("/today"))
    assert 'class="checklist-form"' in text(client.get("/warmup"))


def test_a_red_flag_saved_mid_session_stops_logging_it(client, app, athlete):
    add_checkin(app, athlete, today(), "green")
    session_id = start(client)
    with app.app_context():
        checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.athlete_id == athlete))
        checkin.status, checkin.red_flags = "red", ["locks_or_gives_way"]
        db.session.commit()
    slug = slugs(app, session_id)[0]
    before = snapshot(app)
    refused = client.post(f"/training/sessions/{session_id}/exercises/{slug}",
                          data={"sets": "1", "reps": "10", "seconds": "30", "pain": "0"})
    assert refused.status_code == 409 and "red flag" in text(refused)
    assert client.post(f"/training/sessions/{session_id}/finish").status_code == 409
    assert snapshot(app) == before
    page = text(client.get(f"/training/sessions/{session_id}"))
    assert "Finish session" not in page and "Discard session" in page


def test_impact_is_left_out_with_the_gate_s_reason(client, app, athlete):
    set_stage(app, athlete, 3)
    add_checkin(app, athlete, today(), "amber", pain_now=4)
    page = text(client.get("/training"))
    assert "Split squat to comfortable depth" not in page.split("Left out today")[0]
    assert "Hops and impact work come back once today's check-in is green (it is amber)." in page
    assert "split-squat" not in slugs(app, start(client))


def test_skip_reasons_are_one_tap_each_and_it_hurt_holds_the_session(client, app, athlete):
    add_checkin(app, athlete, today(), "green")
    session_id = start(client)
    first, *rest = slugs(app, session_id)
    page = text(client.get(f"/training/sessions/{session_id}"))
    for label in ("It hurt", "No time", "No equipment"):
        assert label in page
    response = client.post(f"/training/sessions/{session_id}/exercises/{first}",
                           data={"skip_reason": "hurt"})
    assert response.status_code == 303
    for slug in rest:
        client.post(f"/training/sessions/{session_id}/exercises/{slug}",
                    data={"sets": "3", "reps": "10", "seconds": "30", "pain": "0"})
    assert client.post(f"/training/sessions/{session_id}/finish").status_code == 303
    with app.app_context():
        log = db.session.scalar(db.select(ExerciseLog).where(ExerciseLog.session_id == session_id,
                                                             ExerciseLog.position == 0))
        assert (log.skipped, log.skip_reason, log.pain) == (True, "hurt", None)
    verdict = text(client.get(f"/training/sessions/{session_id}"))
    assert "Held" in verdict and "skipped because it hurt" in verdict


def test_an_unknown_skip_reason_is_refused_beside_the_field(client, app, athlete):
    add_checkin(app, athlete, today(), "green")
    session_id = start(client)
    slug = slugs(app, session_id)[0]
    before = snapshot(app)
    response = client.post(f"/training/sessions/{session_id}/exercises/{slug}",
                           data={"skip_reason": "bored"})
    assert response.status_code == 422
    assert "Choose why you skipped it" in text(response)
    assert snapshot(app) == before


def test_the_stage_waits_for_tomorrow_morning(client, app, athlete):
    """The streak-completing session says so, and Today says what is left: one check-in."""
    from datetime import timedelta

    from tests.training.conftest import insert_finished

    for days_ago in (2, 1):
        insert_finished(app, athlete, today() - timedelta(days=days_ago))
        add_checkin(app, athlete, today() - timedelta(days=days_ago), "green")
    add_checkin(app, athlete, today(), "green")
    session_id = start(client)
    for slug in slugs(app, session_id):
        client.post(f"/training/sessions/{session_id}/exercises/{slug}",
                    data={"sets": "3", "reps": "10", "seconds": "30", "pain": "0"})
    client.post(f"/training/sessions/{session_id}/finish")
    assert "one more step" in text(client.get(f"/training/sessions/{session_id}")).lower()
    assert "One more step: tomorrow morning's check-in" in text(client.get("/today"))
    with app.app_context():
        assert db.session.scalar(db.select(TrainingSession.stage).where(
            TrainingSession.id == session_id)) == 1
