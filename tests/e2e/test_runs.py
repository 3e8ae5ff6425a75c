"""The run log on a phone: upload a watch's file at 390 px, confirm it with the pain felt, and see
the run, today's ceiling and the 12-week chart (axe clean on each page)."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Run
from tests.e2e.conftest import NARROW, sign_in

DATA = Path(__file__).parents[1] / "data"
TODAY = date(2026, 3, 20)  # park_run.gpx was run on Saturday 14 March 2026
SHOTS = os.environ.get("KNEEREADY_SHOTS")  # a folder: also save screenshots there for a person


@pytest.fixture
def pinned_today(monkeypatch):
    monkeypatch.setattr("app.profile.access.local_today", lambda profile: TODAY)


def shot(page, name: str, *sections: str) -> None:
    """A full-page screenshot, and one of each section named by its heading's id."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
        for heading in sections:
            page.locator(f"section:has(#{heading})").screenshot(path=str(Path(SHOTS) / f"{name}-{heading}.png"))


def test_upload_a_gpx_confirm_it_and_see_the_run_the_ceiling_and_the_chart(
        page, make_user, app, pinned_today, axe_check, screenshot, new_context):
    athlete = make_user()
    with app.app_context():
        db.session.add(Run(athlete_id=athlete, local_date=date(2026, 3, 5), distance_m=4000, duration_s=1500,
                           terrain="road", pain_during=0, source="manual"))
        db.session.commit()
    sign_in(page, lands_on="Hi, Riley Runner")
    expect(page.get_by_role("heading", name="Your run today")).to_be_visible()
    page.get_by_role("link", name="Log or import a run").click()
    expect(page.get_by_role("heading", name="Your runs")).to_be_visible()
    axe_check(page, "runs page")

    page.get_by_label("Run files (GPX, TCX or FIT)").set_input_files(str(DATA / "park_run.gpx"))
    page.get_by_role("button", name="Read the files").click()
    expect(page.get_by_role("heading", name="One run found")).to_be_visible()
    expect(page.get_by_text("5.00 km")).to_be_visible()
    axe_check(page, "confirm page")
    shot(page, "confirm-390-light")
    page.locator("label[for='runs-0-pain_during-1']").click()
    page.get_by_role("button", name="Add this run").click()

    expect(page.get_by_text("1 run added.")).to_be_visible()
    run = page.locator(".run-entry").first
    expect(run).to_contain_text("Sat 14 Mar")
    expect(run).to_contain_text("5.0 km")
    expect(run).to_contain_text("Spike: 25% longer")  # 5 km after a 4 km longest
    expect(page.locator(".run-ceiling")).to_contain_text("5.5 km")  # 10% over the 5 km just added
    chart = page.get_by_role("img", name="Weekly running distance and pain, last 12 weeks")
    expect(chart).to_be_visible()
    expect(page.locator(".run-bar")).to_have_count(3)  # two weeks with runs, and the key's sample
    page.get_by_text("The 12 weeks as a table").click()
    expect(page.get_by_role("cell", name="5.0 km")).to_be_visible()
    axe_check(page, "runs page with a run")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "runs-390")
    shot(page, "runs-390-light", "ceiling-head", "weeks-head", "list-head")

    narrow = new_context(viewport=NARROW, color_scheme="dark").new_page()
    sign_in(narrow, lands_on="Hi, Riley Runner")
    shot(narrow, "today-320-dark", "run-guard")
    narrow.goto("/runs")
    expect(narrow.locator(".run-entry")).to_have_count(2)
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    axe_check(narrow, "runs page, 320 px, dark")
    shot(narrow, "runs-320-dark", "ceiling-head", "weeks-head", "list-head")


def test_a_run_typed_by_hand_gets_its_message_beside_the_field_then_saves(
        page, make_user, app, pinned_today, axe_check, new_context):
    athlete = make_user()
    with app.app_context():
        from app.models import CheckIn

        db.session.add(CheckIn(athlete_id=athlete, local_date=TODAY, pain_now=3, status="amber"))
        db.session.add(Run(athlete_id=athlete, local_date=date(2026, 3, 10), distance_m=8000, duration_s=2700,
                           terrain="road", pain_during=1, source="manual", avg_cadence=164))
        db.session.commit()
    sign_in(page, lands_on="Hi, Riley Runner")
    expect(page.get_by_text("If you run today, run gently.")).to_be_visible()
    expect(page.get_by_text("from about 164 to 172–180 steps a minute")).to_be_visible()
    page.goto("/runs")
    page.get_by_label("Distance (km)").fill("200")
    page.get_by_label("Time").fill("40")
    page.locator("label[for='pain_during-2']").click()
    page.get_by_role("button", name="Save run").click()
    expect(page.locator("#distance-error")).to_have_text("Enter a distance up to 150 km.")
    expect(page.get_by_label("Distance (km)")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "run form with an error")
    shot(page, "form-error-390-light", "import-head")
    page.locator("#log-run").screenshot(path=str(Path(SHOTS) / "form-error-390-form.png")) if SHOTS else None
    page.get_by_label("Distance (km)").fill("6.5")
    page.get_by_role("button", name="Save run").click()
    expect(page.get_by_text("Run saved.")).to_be_visible()
    expect(page.locator(".run-entry").first).to_contain_text("6.5 km · 40 min")

    dark = new_context(color_scheme="dark").new_page()
    sign_in(dark, lands_on="Hi, Riley Runner")
    shot(dark, "today-amber-390-dark", "run-guard")
