"""The athlete's JSON and CSV exports carry their questionnaires, and nobody else's."""
from __future__ import annotations

import csv
import io
import json
import zipfile

from tests.fixtures.coaching import sign_in_as
from tests.outcomes.conftest import START, baseline_form


def test_questionnaires_are_in_both_exports(client, app, people, make_user):
    other = make_user(email="olive@example.com", name="Olive")
    sign_in_as(client, app, other)
    client.post("/progress/questionnaire", data=baseline_form(activities=("olive's secret hill", "", "")))
    sign_in_as(client, app, people.athlete)
    client.post("/progress/questionnaire", data=baseline_form(activities=("=running downhill", "stairs", "")))
    data = json.loads(client.get("/account/export.json").get_data())
    assert [(q["kind"], q["local_date"], q["score"]) for q in data["questionnaires"]] == [
        ("akps", START.isoformat(), 84), ("psfs", START.isoformat(), 4.0)]
    assert data["questionnaires"][1]["answers"] == {"activities": ["=running downhill", "stairs"], "ratings": [3, 5]}
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/export.zip").get_data()))
    rows = list(csv.DictReader(io.StringIO(archive.read("questionnaires.csv").decode())))
    assert [row["kind"] for row in rows] == ["akps", "psfs"]
    assert json.loads(rows[1]["answers"])["activities"][0] == "=running downhill"  # inside JSON: not a formula
    assert "secret hill" not in archive.read("questionnaires.csv").decode()
