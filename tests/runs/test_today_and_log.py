"""Today's running guard, the walk–run ladder in the run log, and the next-morning question."""
from __future__ import annotations

from datetime import datetime, timedelta

from app.extensions import db
from app.models import TrainingSession


def test_today_shows_the_ceiling_on_a_green_day(client, athlete, add_run, add_checkin, today):
    add_run(athlete, today - timedelta(days=4), 8)
    add_checkin(athlete, today, pain_now=0, status="green")  # pain above 0/10 gets the gentler run
    page = client.get("/today").get_data(as_text=True)
    assert "Your run today" in page and "<strong>8.8 km</strong> or less today" in page
    assert "A sore day" not in page


def test_today_gives_la_trobe_advice_on_an_amber_day(client, athlete, add_run, add_checkin, today):
    add_run(athlete, today - timedelta(days=4), 8, avg_cadence=164)
    add_checkin(athlete, today, pain_now=3, status="amber")
    page = client.get("/today").get_data(as_text=True)
    assert "A sore day: if you run, run gently." in page
    assert "keep it under 7.0 km today" in page and "4 minutes running, 1 minute walking" in page
    assert "Avoid downhills" in page and "from about 164 to 172–180" in page


def test_today_offers_no_run_on_a_red_day(client, athlete, add_run, add_checkin, today):
    add_run(athlete, today - timedelta(days=4), 8)
    add_checkin(athlete, today, pain_now=7, status="red")
    page = client.get("/today").get_data(as_text=True)
    assert "No run today." in page and "or less today" not in page


def test_today_without_recent_runs_says_there_is_no_ceiling_yet(client, athlete, add_run, today):
    add_run(athlete, today - timedelta(days=31), 8)
    page = client.get("/today").get_data(as_text=True)
    assert "no 10% ceiling yet" in page


def test_walk_run_ladder_sessions_are_runs_in_the_log(client, athlete, app, today):
    start = datetime.combine(today - timedelta(days=2), datetime.min.time()) + timedelta(hours=7)
    with app.app_context():
        db.session.add(TrainingSession(athlete_id=athlete, local_date=today - timedelta(days=2), stage=5,
                                       kind="run", run_level=2, run_pain=1, started_at=start,
                                       finished_at=start + timedelta(minutes=28)))
        db.session.commit()
    page = client.get("/runs").get_data(as_text=True)
    assert "Walk–run level 2" in page and "3.2 km · 28 min" in page
    assert "<strong>3.5 km</strong> or less today" in page  # the ladder run sets the ceiling


def test_the_next_morning_check_in_asks_about_yesterdays_run(client, athlete, add_run, today):
    assert "Compared with before yesterday" not in client.get("/checkin").get_data(as_text=True)
    add_run(athlete, today - timedelta(days=1), 5)
    assert "Compared with before yesterday" in client.get("/checkin").get_data(as_text=True)


def test_a_worse_next_morning_marks_the_run(client, athlete, add_run, add_checkin, today):
    add_run(athlete, today - timedelta(days=1), 5, pain_during=1)
    add_checkin(athlete, today - timedelta(days=1), pain_now=1)
    add_checkin(athlete, today, pain_now=3, status="amber", after_session="worse")
    page = client.get("/runs").get_data(as_text=True)
    assert "Pain-marked:</strong> the next morning was worse" in page
