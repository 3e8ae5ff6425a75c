"""The safety gate on a phone: after a red-flag check-in through the real form, Today, Training and
the warm-up offer nothing but rest and the urgency advice — at 390 and 320 px, light and dark."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import NARROW, PHONE, sign_in
from tests.e2e.test_every_page import fits


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_red_flag_check_in_leaves_only_rest_and_the_urgency_advice(
        new_context, make_user, axe_check, screenshot, scheme):
    make_user(knee_status="niggles", has_band=True)
    page = new_context(service_workers="block").new_page()
    page.emulate_media(color_scheme=scheme)
    sign_in(page)
    page.get_by_role("link", name="Check in now").click()
    page.get_by_role("checkbox", name=re.compile("Can't put weight on the leg")).check()
    page.locator("#pain_now").get_by_role("radio", name="2", exact=True).check()
    page.get_by_role("radio", name="No morning stiffness").check()
    page.get_by_role("radio", name="No swelling").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", name="Today's verdict")).to_be_visible()
    expect(page.locator(".verdict")).to_contain_text("Don't run today.")

    problems = []
    for path, name in (("/today", "today"), ("/training", "training"), ("/warmup", "warmup")):
        page.set_viewport_size(PHONE)
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("button", name=re.compile("Start today's session"))).to_have_count(0)
        expect(page.get_by_role("link", name=re.compile("Start your warm-up"))).to_have_count(0)
        expect(page.locator(".checklist-form")).to_have_count(0)
        expect(page.get_by_text(re.compile("red flag")).first).to_be_visible()
        expect(page.get_by_text(re.compile("Urgent — today")).first).to_be_visible()
        axe_check(page, f"{name} after a red flag ({scheme})")
        problems += fits(page, f"{name} at 390 px {scheme}")
        screenshot(page, f"{scheme}-390-{name}")
        page.set_viewport_size(NARROW)
        problems += fits(page, f"{name} at 320 px {scheme}")
        screenshot(page, f"{scheme}-320-{name}")
    assert not problems, "\n".join(problems)
