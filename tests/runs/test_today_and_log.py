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
    assert "run gently" not in page


def test_today_gives_la_trobe_advice_on_an_amber_day(client, athlete, add_run, add_checkin, today):
    add_run(athlete, today - timedelta(days=4), 8, avg_cadence=164)
    add_checkin(athlete, today, pain_now=3, status="amber")
    page = client.get("/today").get_data(as_text=True)
    assert "If you run today, run gently." in page
    assert "Your usual running comes back once today&#39;s check-in is green (it is amber)." in page
    assert "keep it under 7.0 km today" in page and "4 minutes running, 1 minute walking" in page
    assert "Avoid downhills" in page and "from about 164 to 172–180" in page


def test_a_green_day_after_a_red_one_says_why_the_run_is_gentler(client, athlete, add_run, add_checkin, today):
    """Green today, red three days ago: the gate holds back high load for 7 days, and the run
    card says so instead of leaving a runner who feels fine to wonder."""
    add_run(athlete, today - timedelta(days=4), 8)
    add_checkin(athlete, today - timedelta(days=3), pain_now=7, status="red")
    add_checkin(athlete, today, pain_now=0, status="green")
    page = client.get("/today").get_data(as_text=True)
    assert "If you run today, run gently." in page
    assert "Your usual running comes back once 7 days have passed since the red check-in" in page


def test_today_offers_no_run_on_a_red_day(client, athlete, add_run, add_checkin, today):
    add_run(athlete, today - timedelta(days=4), 8)
    add_checkin(athlete, today, pain_now=7, status="red")
    page = client.get("/today").get_data(as_text=True)
    assert "No run today." in page and "or less today" not in page


def test_today_without_recent_runs_says_there_is_no_ceiling_yet(client, athlete, add_run, today):
    add_run(athlete, today - timedelta(days=31), 8)
    page = client.get("/today").get_data(as_text=True)
    assert "No run logged in the 30 days before today, so there is no 10% ceiling yet" in page


def test_a_run_logged_today_does_not_deny_itself(client, athlete, add_run, today):
    """Today's own run doesn't count towards today's ceiling (DOMAIN: the 30 days before), and the
    card says "before today", so a runner who just logged one isn't told there was none."""
    add_run(athlete, today, 5)
    page = client.get("/today").get_data(as_text=True)
    assert "No run logged in the 30 days before today" in page
    assert "in the last 30 days" not in page


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
