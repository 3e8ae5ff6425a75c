"""A red flag through the real check-in form says how soon and where: the calf follow-up on a
phone, an emergency and a 'soon' verdict, at 390 and 320 px, light and dark, axe clean."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import NARROW, PHONE, sideways_scroll, sign_in

SHOTS = Path(os.environ.get("KNEEREADY_SHOTS", "test-artifacts"))


def shoot(page, name: str, part=None) -> None:
    """A full-page screenshot, or of one part of the page, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = str(SHOTS / f"urgency-{name}.png")
    part.screenshot(path=path) if part is not None else page.screenshot(path=path, full_page=True)


def fill_calm(page) -> None:
    page.locator("#pain_now").get_by_role("radio", name="1", exact=True).check()
    page.locator("#worst_pain").get_by_role("radio", name="No run or activity").check()
    page.get_by_role("radio", name="No morning stiffness").check()
    page.get_by_role("radio", name="No swelling").check()


@pytest.mark.parametrize("viewport, scheme", [(PHONE, "light"), (PHONE, "dark"), (NARROW, "light"), (NARROW, "dark")],
                         ids=["390-light", "390-dark", "320-light", "320-dark"])
def test_a_swollen_calf_with_breathlessness_is_an_emergency(new_context, make_user, axe_check, viewport, scheme):
    make_user()
    page = new_context(viewport=viewport, color_scheme=scheme).new_page()
    sign_in(page)
    page.goto("/checkin")
    fill_calm(page)
    page.get_by_role("checkbox", name="Swollen, tender calf").check()
    question = page.get_by_role("group", name=re.compile("short of breath"))
    expect(question).to_be_visible()
    expect(page.locator("#verdict")).to_contain_text("Urgent — today")  # unanswered: the calf's own tier
    page.get_by_role("button", name="Save check-in").click()  # no answer yet: refused beside the question
    expect(question.locator(".field-error")).to_contain_text("Answer yes or no")
    axe_check(page, f"calf follow-up refused {scheme}")
    page.get_by_role("group", name=re.compile("short of breath")).get_by_role("radio", name="Yes").check()
    expect(page.locator("#verdict")).to_contain_text("Emergency — now")
    shoot(page, f"{viewport['width']}-{scheme}-form-calf", page.locator("#red_flags"))
    shoot(page, f"{viewport['width']}-{scheme}-form-verdict", page.locator(".submit-bar"))
    page.get_by_role("button", name="Save check-in").click()
    expect(page).to_have_url(re.compile(r"/checkin/result$"))
    block = page.locator(".urgency-emergency")
    expect(block).to_contain_text("Emergency — now.")
    expect(block).to_contain_text("999 in the UK, 112 in the EU, 911 in the US")
    no_sideways = sideways_scroll(page)
    assert no_sideways <= 0
    axe_check(page, f"emergency verdict {scheme}")
    shoot(page, f"{viewport['width']}-{scheme}-result-emergency")


@pytest.mark.parametrize("viewport, scheme", [(PHONE, "light"), (NARROW, "dark")], ids=["390-light", "320-dark"])
def test_night_pain_is_seen_within_days(new_context, make_user, axe_check, viewport, scheme):
    make_user()
    page = new_context(viewport=viewport, color_scheme=scheme).new_page()
    sign_in(page)
    page.goto("/checkin")
    fill_calm(page)
    page.get_by_role("checkbox", name=re.compile("Constant pain, or pain at night")).check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page).to_have_url(re.compile(r"/checkin/result$"))  # saved: the live verdict says less
    block = page.locator(".urgency-soon")
    expect(block).to_contain_text("Soon — within a few days.")
    expect(block).to_contain_text("See a GP or physio within the next few days")
    axe_check(page, f"soon verdict {scheme}")
    shoot(page, f"{viewport['width']}-{scheme}-result-soon")
    page.goto("/today")
    expect(page.locator(".today-status .urgency-soon")).to_be_visible()
    shoot(page, f"{viewport['width']}-{scheme}-today-soon")
