"""An athlete downloads all their data as JSON and as CSV — and only theirs."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

import pytest

from app.extensions import db
from app.models import CheckIn, CoachAction, Exercise, ExerciseLog, Run, TrainingSession, WarmupLog


@pytest.fixture
def history(app, make_user):
    me = make_user()
    other = make_user(email="other@example.com")
    with app.app_context():
        exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "wall-sit"))
        for athlete, note in ((me, "=HYPERLINK(\"http://evil\")"), (other, "someone else's knee")):
            db.session.add(CheckIn(athlete_id=athlete, local_date=date(2026, 11, 1), pain_now=4, worst_pain=5,
                                   status="amber", locations=["front_kneecap"], note=note))
            db.session.add(WarmupLog(athlete_id=athlete, local_date=date(2026, 11, 1), built_for="amber",
                                     items=[{"slug": "glute-bridge-warmup", "done": True, "skip_reason": None}],
                                     duration_seconds=380, planned_seconds=400))
            session = TrainingSession(athlete_id=athlete, local_date=date(2026, 11, 2), stage=1,
                                      finished_at=datetime(2026, 11, 2, 8))
            session.logs.append(ExerciseLog(exercise_id=exercise.id, sets=2, seconds=30, pain=3))
            db.session.add(session)
            db.session.add(Run(athlete_id=athlete, local_date=date(2026, 11, 3), distance_m=5200 if athlete == me else 9999,
                               duration_s=1890, terrain="trail", pain_during=2, pain_after=1, source="gpx",
                               file_name="-park.gpx" if athlete == me else "other.gpx",
                               file_sha256="a" * 64, avg_cadence=168))
        db.session.add(CoachAction(athlete_id=me, coach_name="Coach Sam", kind="note", text="Easy week!"))
        db.session.commit()
    return me


def test_json_export_has_everything_of_mine_and_nothing_of_others(client, auth, history):
    auth.signin()
    response = client.get("/account/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="kneeready-')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data())
    assert data["account"]["email"] == "runner@example.com"
    assert [c["pain_now"] for c in data["checkins"]] == [4]
    assert data["checkins"][0]["locations"] == ["front_kneecap"]
    assert data["warmups"][0]["items"][0]["slug"] == "glute-bridge-warmup"
    from app.domain.content import load_library

    assert data["sessions"][0]["exercise"] == load_library().by_slug["wall-sit"].name
    assert (data["sessions"][0]["pain"], data["sessions"][0]["seconds"]) == (3, 30)
    assert data["coach_actions"][0]["text"] == "Easy week!"
    assert data["progression_events"][0]["kind"] == "start"
    assert [(r["distance_m"], r["terrain"], r["pain_during"], r["pain_after"]) for r in data["runs"]] == [
        (5200, "trail", 2, 1)]
    assert "someone else" not in response.get_data(as_text=True)


def test_csv_export_is_a_zip_of_one_csv_per_kind(client, auth, history):
    auth.signin()
    response = client.get("/account/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert set(archive.namelist()) == {"checkins.csv", "warmups.csv", "sessions.csv",
                                       "progression_events.csv", "coach_actions.csv", "runs.csv",
                                       "questionnaires.csv", "reminders_sent.csv"}
    checkins = list(csv.DictReader(io.StringIO(archive.read("checkins.csv").decode())))
    assert len(checkins) == 1 and checkins[0]["pain_now"] == "4"
    assert checkins[0]["note"].startswith("'=")  # never runs as a spreadsheet formula
    sessions = list(csv.DictReader(io.StringIO(archive.read("sessions.csv").decode())))
    assert sessions[0]["pain"] == "3" and sessions[0]["seconds"] == "30"
    runs = list(csv.DictReader(io.StringIO(archive.read("runs.csv").decode())))
    assert [(r["distance_m"], r["avg_cadence"], r["file_name"]) for r in runs] == [("5200", "168", "'-park.gpx")]


@pytest.mark.parametrize("path", ["/account/export.json", "/account/export.zip"])
def test_export_needs_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_account_page_links_the_exports(client, auth, make_user):
    make_user()
    auth.signin()
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/export.json"' in page and 'href="/account/export.zip"' in page
