"""The drawings on the pages: library detail, warm-up checklist (collapsed), session page; served
as versioned, long-cached static files with a policy that runs nothing, and precached."""
from __future__ import annotations

import html
import json
import re

import pytest

from app.assets import LONG_CACHE
from app.extensions import db
from app.library import library
from app.library.routes import FIGURE_CSP
from app.models import Exercise
from tests.conftest import TEST_TODAY as TODAY

IMG = re.compile(r'<img class="figure-img" src="(?P<src>[^"]+)" alt="(?P<alt>[^"]+)" '
                 r'width="(?P<w>\d+)" height="(?P<h>\d+)"')


def images(page: str) -> list[dict]:
    return [m.groupdict() for m in IMG.finditer(page)]


@pytest.mark.parametrize("slug", ["wall-sit", "clamshell-band", "single-leg-squat-test", "easy-walk-recovery"])
def test_the_exercise_page_shows_its_drawing_with_a_text_alternative(client, slug):
    page = client.get(f"/exercises/{slug}").get_data(as_text=True)
    [img] = images(page)
    exercise = library().by_slug[slug]
    assert img["src"].startswith(f"/static/figures/{slug}.svg?v=")
    alt = html.unescape(img["alt"])
    assert alt.startswith(f"Drawing of {exercise.name}: ")
    assert all(pose.shows in alt for pose in exercise.figure.poses)
    assert int(img["w"]) > 0 and int(img["h"]) > 0
    assert "<details" not in page.split('class="figure-img"')[0].rsplit("<figure", 1)[-1]


def test_an_exercise_without_a_drawing_still_has_its_page(app, client):
    with app.app_context():
        db.session.add(Exercise(slug="retired-drill", name="Retired drill", kind="strength", stage=1,
                                category="quads", muscles=["quadriceps"], equipment=[], sets=1, reps=5,
                                per_side=False, summary="Gone.", cues=["a", "b"], tags=[], focus=[],
                                position=999))
        db.session.commit()
    response = client.get("/exercises/retired-drill")
    assert response.status_code == 200
    assert images(response.get_data(as_text=True)) == []


def test_the_warm_up_checklist_has_each_drawing_one_tap_away(client, rows, athlete):
    rows.checkin(athlete, TODAY, pain_now=1, status="green")
    page = client.get("/warmup").get_data(as_text=True)
    items = re.findall(r'<li class="check-item[^"]*" id="item-([a-z0-9-]+)"', page)
    assert len(items) >= 5
    toggles = re.findall(r'<details class="figure-toggle"( open)?>\s*<summary>Show me'
                         r'<span class="visually-hidden"> ([^<]+)</span>', page)
    assert len(toggles) == len(items)
    assert all(opened == "" for opened, _ in toggles)  # collapsed by default
    assert [img["src"].split("/")[-1].split(".svg")[0] for img in images(page)] == items


def test_the_session_page_shows_a_drawing_beside_each_exercise(client, athlete):
    response = client.post("/training/sessions", data={})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    forms = re.findall(r'id="log-([a-z0-9-]+)"', page)
    assert forms
    assert [img["src"].split("/")[-1].split(".svg")[0] for img in images(page)] == forms
    assert page.count('class="exercise-figure figure-small"') == len(forms)


def test_today_carries_no_drawing(client, rows, athlete):
    rows.checkin(athlete, TODAY, pain_now=1, status="green")
    assert "/static/figures/" not in client.get("/today").get_data(as_text=True)


def test_a_drawing_is_a_long_cached_static_file_that_runs_nothing(client):
    page = client.get("/exercises/glute-bridge").get_data(as_text=True)
    [img] = images(page)
    response = client.get(html.unescape(img["src"]))
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == LONG_CACHE
    assert response.headers["Content-Security-Policy"] == FIGURE_CSP
    assert "script-src" not in FIGURE_CSP and "default-src 'none'" in FIGURE_CSP
    assert "Set-Cookie" not in response.headers
    # Elsewhere the app's own policy stands.
    assert "style-src 'self'" in client.get("/exercises/").headers["Content-Security-Policy"]


def test_the_worker_precaches_every_drawing(client):
    first = client.get("/sw.js").get_data(as_text=True).partition("\n")[0]
    settings = json.loads(first.removeprefix("self.KNEEREADY = ").removesuffix(";"))
    kept = {url.partition("?")[0] for url in settings["precache"] if url.startswith("/static/figures/")}
    assert kept == {f"/static/figures/{e.slug}.svg" for e in library().exercises}
