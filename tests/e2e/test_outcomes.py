"""Outcome measures in a real browser at 390 px: fill the Kujala, see the chart, download the
PDF; axe in light and dark. Screenshots for a person go to test-artifacts/."""
from __future__ import annotations

import io
from datetime import timedelta

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import NARROW, sign_in

AKPS_KEYS = ("limp", "support", "walking", "stairs", "squatting", "running", "jumping", "sitting", "pain",
             "swelling", "kneecap", "thigh", "flexion")
# Option 1 (the second) for stairs and running, the best for the rest: 100 − 2 − 2 = 96.
CHOICES = {key: 1 if key in ("stairs", "running") else 0 for key in AKPS_KEYS}


def test_fill_the_kujala_see_the_chart_and_download_the_pdf(new_context, make_user, axe_check, screenshot):
    make_user()
    page = new_context().new_page()
    sign_in(page)
    card = page.get_by_role("region", name="Your starting questionnaire")
    expect(card).to_be_visible()
    card.get_by_role("link", name="Answer now").click()
    expect(page.get_by_role("heading", name="Your starting questionnaire")).to_be_visible()
    axe_check(page, "questionnaire, light")
    for key, index in CHOICES.items():
        page.locator(f'label[for="{key}-{index}"]').click()
    page.get_by_label("Activity 1").fill("Running downhill")
    page.locator('label[for="rating_1-4"]').click()
    screenshot(page, "questionnaire-filled")
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(page.get_by_text("Saved. Kujala score: 96 of 100.")).to_be_visible()
    expect(page.get_by_text("Kujala: 96 at the start. Later answers are compared with it.")).to_be_visible()
    chart = page.get_by_role("img", name="Kujala knee score (0–100, higher is better)")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= 390
    axe_check(page, "progress, light")
    screenshot(page, "progress")
    page.get_by_role("link", name="Report for my physio").click()
    expect(page.get_by_role("heading", name="Knee report: Riley Runner")).to_be_visible()
    axe_check(page, "report, light")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF (A4)").click()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    assert "Knee report: Riley Runner" in text and "Kujala AKPS" in text and "96" in text
    assert "PSFS activities (0 = unable, 10 = as before): Running downhill." in text


def test_outcome_pages_pass_axe_in_dark_at_320(new_context, make_user, axe_check, screenshot):
    make_user()
    page = new_context(viewport=NARROW, color_scheme="dark").new_page()
    sign_in(page)
    for url, heading in (("/progress/questionnaire", "Your starting questionnaire"), ("/progress", "Your progress"),
                         ("/progress/report", "Knee report: Riley Runner")):
        page.goto(url)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        axe_check(page, f"{url}, dark")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        screenshot(page, url.strip("/").replace("/", "-") + "-dark")


def _stored(app) -> list[tuple[str, float]]:
    from app.extensions import db
    from app.models import IdempotencyKey, OutcomeResponse

    with app.app_context():
        rows = [(r.kind, r.score) for r in db.session.scalars(db.select(OutcomeResponse).order_by(OutcomeResponse.kind))]
        return rows + [("keys", db.session.scalar(db.select(db.func.count()).select_from(IdempotencyKey)))]


def test_a_half_answer_stays_as_a_draft_on_the_phone_and_is_never_sent(new_context, make_user, app):
    make_user()
    page = new_context().new_page()
    sign_in(page)
    page.goto("/progress/questionnaire")
    page.locator('label[for="stairs-2"]').click()
    page.get_by_label("Activity 1").fill("Hill repeats")
    page.get_by_label("Activity 1").blur()
    page.reload()
    expect(page.locator("#stairs-2")).to_be_checked()
    expect(page.get_by_label("Activity 1")).to_have_value("Hill repeats")
    assert _stored(app) == [("keys", 0)]


def test_a_questionnaire_sent_offline_syncs_once(new_context, make_user, app):
    make_user()
    page = new_context().new_page()
    sign_in(page)
    page.goto("/progress/questionnaire")
    expect(page.get_by_role("heading", name="Your starting questionnaire")).to_be_visible()
    for key, index in CHOICES.items():
        page.locator(f'label[for="{key}-{index}"]').click()
    page.get_by_label("Activity 1").fill("Running downhill")
    page.locator('label[for="rating_1-4"]').click()
    page.context.set_offline(True)
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator("#sync-status")).to_contain_text("Saved on this phone — will sync (1 waiting)")
    assert _stored(app) == [("keys", 0)]
    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_contain_text("Synced")
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    assert _stored(app) == [("akps", 96), ("psfs", 4.0), ("keys", 1)]


def test_the_printed_report_is_black_on_white_without_navigation(new_context, make_user, screenshot):
    make_user()
    page = new_context(color_scheme="dark").new_page()
    sign_in(page)
    page.goto("/progress/report")
    expect(page.get_by_role("heading", name="Knee report: Riley Runner")).to_be_visible()
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.topbar', '.tabbar', '.footer', '.period-form'].map(
        (s) => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 4
    colours = page.evaluate("""() => [getComputedStyle(document.body).backgroundColor,
        getComputedStyle(document.querySelector('.report h2')).color]""")
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    screenshot(page, "print")
    for paper in ("A4", "Letter"):
        assert page.pdf(format=paper, print_background=True)[:4] == b"%PDF"


def test_the_coach_sees_the_charts_sets_the_interval_and_asks_for_one(new_context, app, make_user, axe_check,
                                                                     screenshot):
    from app.extensions import db
    from app.models import CoachLink, OutcomeResponse, utcnow
    from app.clock import local_today

    athlete = make_user()
    coach_id = make_user(email="coach@example.com", name="Coach Sam", athlete=False, coach=True)
    with app.app_context():
        db.session.add(CoachLink(coach_id=coach_id, athlete_id=athlete, status="active", responded_at=utcnow()))
        today = local_today(None)
        for weeks, score in ((9, 62), (5, 70), (1, 76)):  # up 14 since the start: a change that matters
            db.session.add(OutcomeResponse(athlete_id=athlete, kind="akps", answers={}, score=score,
                                           local_date=today - timedelta(weeks=weeks)))
        db.session.commit()
    for scheme in ("light", "dark"):
        page = new_context(color_scheme=scheme).new_page()
        sign_in(page, "coach@example.com", lands_on=None)
        page.goto(f"/coach/athletes/{athlete}")
        card = page.get_by_role("region", name="Outcome measures")
        expect(card.get_by_text("Kujala up 14 points since the start — a change that matters.")).to_be_visible()
        expect(card.get_by_role("img", name="Kujala knee score (0–100, higher is better)")).to_be_visible()
        axe_check(page, f"coach athlete page, {scheme}")
        card.scroll_into_view_if_needed()
        screenshot(page, f"coach-{scheme}")
    card.get_by_text("2 weeks").click()
    card.get_by_role("button", name="Save interval").click()
    expect(page.get_by_text("Questionnaires for Riley Runner now come every 2 weeks.")).to_be_visible()
    page.get_by_role("button", name="Ask for one now").click()
    expect(page.get_by_text("Asked Riley Runner for a questionnaire")).to_be_visible()
    axe_check(page, "coach outcomes page, dark")
    runner = new_context().new_page()
    sign_in(runner)
    expect(runner.get_by_role("region", name="Time for a progress check")).to_contain_text("Your coach asked for one.")
