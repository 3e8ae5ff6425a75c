"""The exercise drawings in a browser: the library page passes axe at 320 px in light and dark
with its drawing loaded; the warm-up shows a drawing after one tap; a drawing animates, and
with reduced motion shows its key poses side by side, still."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from app.extensions import db
from app.models import CheckIn
from tests.e2e.conftest import NARROW, sign_in

LOADED = "img => img.complete && img.naturalWidth > 0"


def drawing_shows(page, selector: str = "img.figure-img") -> bool:
    return page.locator(selector).first.evaluate(LOADED)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_exercise_page_with_its_drawing_passes_axe_at_320_px(new_context, axe_check, screenshot, scheme):
    page = new_context(viewport=NARROW, color_scheme=scheme, service_workers="block").new_page()
    page.goto("/exercises/clamshell-band")
    drawing = page.get_by_role("img", name="Drawing of Clamshell with band")
    expect(drawing).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert drawing.evaluate(LOADED)
    box = drawing.bounding_box()
    assert box["width"] <= NARROW["width"] and box["height"] >= 60
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    axe_check(page, f"exercise page at 320 px ({scheme})")
    screenshot(page, f"{scheme}-320")


def test_the_warm_up_drawing_is_one_tap_away(new_context, app, make_user):
    user_id = make_user()
    with app.app_context():
        db.session.add(CheckIn(athlete_id=user_id, local_date=local_today(None), pain_now=1, status="green"))
        db.session.commit()
    page = new_context(service_workers="block").new_page()
    sign_in(page, lands_on=None)
    page.goto("/warmup")
    first = page.locator("li.check-item").first
    drawing = first.locator("img.figure-img")
    expect(drawing).to_be_hidden()
    first.get_by_text("Show me").click()
    expect(drawing).to_be_visible()
    page.wait_for_function(f"() => ({LOADED})(document.querySelector('li.check-item img.figure-img'))")


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_a_drawing_animates_or_stands_still_for_reduced_motion(new_context, motion):
    page = new_context(reduced_motion=motion).new_page()
    page.goto("/exercises/wall-sit")
    src = page.locator("img.figure-img").get_attribute("src")
    page.goto(src)  # the drawing as a document of its own: the page's media settings apply
    shown = page.evaluate("""() => ({
        animated: getComputedStyle(document.querySelector('.a')).display,
        still: getComputedStyle(document.querySelector('.s')).display,
        running: document.getAnimations().filter(a => a.playState === 'running').length,
        styled: getComputedStyle(document.querySelector('path')).strokeLinecap,
    })""")
    assert shown["styled"] == "round"  # its style applies under its own policy
    if motion == "reduce":
        assert (shown["animated"], shown["still"]) == ("none", "inline")
        assert shown["running"] == 0
    else:
        assert (shown["animated"], shown["still"]) == ("inline", "none")
        assert shown["running"] > 0
