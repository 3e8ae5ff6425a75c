"""The athlete's day on a phone: check in by tapping, see the verdict, warm up with the timer."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from app.extensions import db
from app.models import CheckIn, WarmupLog
from tests.e2e.conftest import NARROW, PHONE, sideways_scroll, sign_in



def tap_score(page, question_id: str, score: str):
    page.locator(f"#{question_id}").get_by_role("radio", name=score, exact=True).check()


def no_sideways_scroll(page, label: str):
    overflow = sideways_scroll(page)
    assert overflow <= 0, f"{label} scrolls sideways by {overflow}px"


def test_check_in_by_tapping_then_warm_up_with_the_timer(page, app, make_user, axe_check, screenshot):
    athlete = make_user(runner_type="trail", knee_status="niggles", has_band=True)
    sign_in(page)
    expect(page.get_by_text("Check in first")).to_be_visible()
    axe_check(page, "today before check-in")
    screenshot(page, "today-empty")

    page.get_by_role("link", name="Check in now").click()
    expect(page.get_by_role("heading", name="How's your knee today?")).to_be_visible()
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Tap your pain right now")
    axe_check(page, "check-in form")
    screenshot(page, "checkin-empty")

    # A warning sign alone turns the live verdict red at once, with the referral.
    flag = page.get_by_role("checkbox", name=re.compile("Knee locks or gives way"))
    flag.check()
    expect(verdict).to_contain_text("Urgent — today")
    expect(verdict).to_contain_text("Don't run today.")
    screenshot(page, "checkin-red-flag")
    flag.uncheck()
    expect(verdict).to_contain_text("Tap your pain right now")

    tap_score(page, "pain_now", "3")
    expect(verdict).to_contain_text("Run easy and short today.")
    expect(verdict).to_contain_text("Verdict so far")
    page.get_by_role("button", name="Save check-in").click()  # too soon: the errors show, the answer stays
    expect(page.locator("#stiffness-error")).to_contain_text("Choose how long your knee felt stiff")
    expect(page.locator("#swelling-error")).to_contain_text("Choose how swollen your knee is.")
    expect(page.locator("#pain_now").get_by_role("radio", name="3", exact=True)).to_be_checked()
    axe_check(page, "check-in with errors")
    screenshot(page, "checkin-errors")
    tap_score(page, "worst_pain", "4")
    page.get_by_role("radio", name="No morning stiffness").check()
    page.get_by_role("radio", name="No swelling").check()
    page.get_by_role("checkbox", name="Below the kneecap").check()
    page.get_by_role("checkbox", name="Running or walking downhill").check()
    expect(verdict).not_to_contain_text("Verdict so far")
    axe_check(page, "check-in form filled")
    screenshot(page, "checkin-filled")
    page.get_by_role("button", name="Save check-in").click()

    expect(page.get_by_role("heading", name="Today's verdict")).to_be_visible()
    expect(page).to_have_url(re.compile("/checkin/result$"))
    expect(page.get_by_text("Pain now 3/10 (3–5 is the caution zone)")).to_be_visible()
    axe_check(page, "verdict")
    screenshot(page, "verdict")

    page.get_by_role("link", name="Start your warm-up").click()
    expect(page.get_by_role("heading", name="Pre-run warm-up")).to_be_visible()
    axe_check(page, "warm-up checklist")
    screenshot(page, "warmup-start")
    items = page.locator(".check-item")
    count = items.count()
    assert 5 <= count <= 12

    page.get_by_role("button", name="Start timer").click()
    expect(page.locator("[data-elapsed]")).not_to_have_text("0:00")
    expect(page.get_by_role("button", name="Pause timer")).to_be_visible()

    items.nth(0).get_by_role("checkbox").check()
    expect(page.locator("#warmup-progress")).to_contain_text(f"1 of {count} done")
    timed = page.locator("[data-countdown]").first
    timed.click()
    expect(timed).to_have_attribute("aria-pressed", "true")
    expect(timed).to_contain_text("· stop")
    timed.click()
    expect(timed).to_have_attribute("aria-pressed", "false")

    last = items.nth(count - 1)
    last.get_by_text("Skip", exact=True).click()
    last.get_by_role("radio", name="Short of time").check()
    expect(page.locator("#warmup-progress")).to_contain_text("1 skipped")
    for index in range(1, count - 1):
        items.nth(index).get_by_role("checkbox").check()
    expect(page.locator("#warmup-progress")).to_contain_text(f"{count - 1} of {count} done")
    screenshot(page, "warmup-ticked")

    page.reload()  # ticks were kept by htmx as they happened
    expect(page.locator("#warmup-progress")).to_contain_text(f"{count - 1} of {count} done · 1 skipped")
    expect(page.locator("[data-elapsed]")).not_to_have_text("0:00")
    axe_check(page, "warm-up ticked")
    page.get_by_role("button", name="Finish warm-up").click()

    expect(page.get_by_text(f"Warm-up done: {count - 1} of {count} exercises.")).to_be_visible()
    expect(page).to_have_url(re.compile("/today$"))
    expect(page.locator(".stats")).to_contain_text("Warm-ups this week")
    axe_check(page, "today after warm-up")
    screenshot(page, "today-done")
    with app.app_context():
        checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.athlete_id == athlete))
        assert (checkin.pain_now, checkin.worst_pain, checkin.status) == (3, 4, "amber")
        assert checkin.locations == ["below_kneecap"] and checkin.aggravators == ["downhill"]
        log = db.session.scalar(db.select(WarmupLog).where(WarmupLog.athlete_id == athlete))
        assert log.built_for == "amber" and log.routine_kind == "run"
        assert sum(item["done"] for item in log.items) == count - 1
        assert [item["skip_reason"] for item in log.items][-1] == "no_time"
        assert log.duration_seconds >= 1 and log.planned_seconds >= 300


def test_a_good_day_takes_two_taps(page, app, make_user, axe_check, screenshot):
    athlete = make_user()
    sign_in(page)
    page.get_by_role("link", name="Check in now").click()
    taps = 0
    page.get_by_role("button", name=re.compile("^All good")).click()
    taps += 1
    expect(page.locator("#verdict")).to_contain_text("Good to go: warm up first.")
    expect(page.get_by_role("button", name="Save check-in")).to_be_focused()
    screenshot(page, "checkin-all-good")
    page.get_by_role("button", name="Save check-in").click()
    taps += 1
    expect(page.get_by_role("heading", name="Today's verdict")).to_be_visible()
    assert taps <= 3
    with app.app_context():
        checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.athlete_id == athlete))
        assert (checkin.pain_now, checkin.status, checkin.red_flags) == (0, "green", [])


def test_the_warm_up_asks_three_questions_when_there_is_no_check_in(page, app, make_user, axe_check, screenshot):
    athlete = make_user(runner_type="long_distance")
    sign_in(page)
    page.get_by_role("link", name="Warm-up", exact=True).first.click()
    expect(page.get_by_role("heading", name="Quick check first")).to_be_visible()
    axe_check(page, "quick check")
    screenshot(page, "quick-check")
    tap_score(page, "pain_now", "1")
    page.get_by_role("radio", name="No swelling").check()
    page.get_by_role("radio", name="None of these").check()
    page.get_by_role("button", name="Build my warm-up").click()
    expect(page.get_by_role("heading", name="Pre-run warm-up")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(db.select(CheckIn.status).where(CheckIn.athlete_id == athlete)) == "green"


def test_a_red_day_offers_recovery_and_a_red_flag_a_clinician(page, app, make_user, axe_check, screenshot):
    athlete = make_user()
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athlete, local_date=local_today(None), pain_now=7, status="red"))
        db.session.commit()
    sign_in(page)
    page.get_by_role("link", name="Gentle recovery routine").click()
    expect(page.get_by_role("heading", name="No run today")).to_be_visible()
    expect(page.get_by_role("button", name="Finish recovery")).to_be_visible()
    axe_check(page, "recovery")
    screenshot(page, "recovery")

    page.get_by_role("link", name="Edit today's check-in").click()
    page.get_by_role("checkbox", name=re.compile("Swollen, tender calf")).check()
    page.locator("#calf_breathless").get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Possible blood clot. Get an urgent appointment today")).to_be_visible()
    page.get_by_role("link", name="Back to Today").click()
    expect(page.locator(".today-status")).to_contain_text("Urgent — today")
    expect(page.locator(".today-status").get_by_role("link", name=re.compile("recovery|warm-up"))).to_have_count(0)
    page.goto("/warmup")
    expect(page.get_by_text(re.compile("Today.s check-in has a red flag: no exercise"))).to_be_visible()
    axe_check(page, "red flag warm-up page")
    screenshot(page, "red-flag")


def _history(app, athlete, days=28):
    """Four weeks of check-ins with gaps: green, amber and red days."""
    today = local_today(None)
    pattern = [(1, 2, "green"), (3, 5, "amber"), None, (0, 1, "green"), (6, 7, "red"), (2, 3, "green"), None]
    with app.app_context():
        for offset in range(days):
            entry = pattern[offset % len(pattern)]
            if entry:
                now, worst, status = entry
                db.session.add(CheckIn(athlete_id=athlete, local_date=today - timedelta(days=offset),
                                       pain_now=now, worst_pain=worst, status=status,
                                       note="Felt it on the hills." if status == "red" else ""))
        db.session.commit()


@pytest.mark.parametrize("viewport, scheme", [(NARROW, "light"), (PHONE, "dark"), (NARROW, "dark")],
                         ids=["320-light", "390-dark", "320-dark"])
def test_every_daily_page_fits_and_passes_axe(new_context, app, make_user, axe_check, screenshot, viewport, scheme):
    athlete = make_user(has_band=True)
    _history(app, athlete)
    page = new_context(viewport=viewport, color_scheme=scheme).new_page()
    sign_in(page)
    for path in ("/today", "/checkin", "/checkin/result", "/checkin/history", "/warmup"):
        page.goto(path)
        no_sideways_scroll(page, f"{path} at {viewport['width']}px {scheme}")
        axe_check(page, f"{path} {scheme}")
        screenshot(page, f"{viewport['width']}-{scheme}-{path.strip('/').replace('/', '-')}")
    page.goto("/checkin")
    page.get_by_role("checkbox", name=re.compile("Can't put weight on the leg")).check()
    expect(page.locator("#verdict")).to_contain_text("Urgent — today")
    axe_check(page, f"live red verdict {scheme}")
    screenshot(page, f"{viewport['width']}-{scheme}-checkin-red")


def test_the_whole_day_works_without_javascript(new_context, app, make_user, screenshot):
    athlete = make_user()
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page)
    page.get_by_role("link", name="Check in now").click()
    page.get_by_role("button", name=re.compile("^All good")).click()  # plain post: the form comes back filled in
    expect(page.locator("#verdict")).to_contain_text("Good to go: warm up first.")
    tap_score(page, "pain_now", "0")  # pain-free: the full warm-up, hops included
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", name="Today's verdict")).to_be_visible()
    expect(page.locator(".verdict")).to_contain_text("Good to go: warm up first.")

    page.get_by_role("link", name="Start your warm-up").click()
    expect(page.locator("[data-timer]")).to_be_hidden()  # the timer needs JavaScript; the list does not
    items = page.locator(".check-item")
    for index in range(items.count() - 1):
        items.nth(index).get_by_role("checkbox").check()
    last = items.nth(items.count() - 1)
    last.get_by_text("Skip", exact=True).click()
    last.get_by_role("radio", name="It hurt").check()
    screenshot(page, "no-js-warmup")
    page.get_by_role("button", name="Finish warm-up").click()
    expect(page.get_by_text("Warm-up done:")).to_be_visible()  # (axe itself needs JavaScript)
    with app.app_context():
        log = db.session.scalar(db.select(WarmupLog).where(WarmupLog.athlete_id == athlete))
        assert log.built_for == "green" and log.items[-1]["skip_reason"] == "hurts"
        assert all(item["done"] for item in log.items[:-1])
