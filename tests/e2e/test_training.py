"""Training on a phone: three pain-free days unlock Stage 2, then a painful session holds."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from app.clock import local_today
from tests.e2e.conftest import NARROW, sideways_scroll, sign_in
from tests.training.conftest import add_checkin, insert_finished


def rate(page, slug: str, pain: int):
    """Tap a pain score and wait until the exercise says it is saved."""
    card = page.locator(f"#log-{slug}")
    card.locator(f"label[for='{slug}-pain-{pain}']").click()
    expect(page.locator(f"#{slug}-state")).to_contain_text(f"pain {pain}/10")
    expect(page.locator(f"#log-{slug}")).to_have_class(re.compile(r"\bautosave\b"))  # htmx settled


def start_and_rate_all_but_the_last(page, day=None) -> str:
    """Start a session (dated `day` if given) and rate every exercise but the last 0; its slug."""
    page.goto("/training")
    if day is not None:
        page.get_by_text("Logging a session you did earlier?").click()
        page.get_by_label("Done on an earlier day?").fill(day.isoformat())
    page.get_by_role("button", name=re.compile("Start today's session|Log another session")).click()
    expect(page.get_by_role("heading", name="Strength session")).to_be_visible()
    slugs = [card.get_attribute("id").removeprefix("log-") for card in page.locator(".log-item").all()]
    for slug in slugs[:-1]:
        rate(page, slug, 0)
    return slugs[-1]


def log_pain_free_session(page, day=None):
    """Start a session (dated `day` if given), rate every exercise 0 and finish it."""
    last = start_and_rate_all_but_the_last(page, day)
    page.locator(f"label[for='{last}-pain-0']").click()  # then Finish at once: the save isn't lost
    page.get_by_role("button", name="Finish session").click()


def test_three_pain_free_days_unlock_stage_2_then_pain_holds(page, app, make_user, axe_check, screenshot):
    athlete = make_user()
    today = local_today(None)
    for days_ago in (3, 2, 1, 0):  # sessions count on green days, confirmed the next morning
        add_checkin(app, athlete, today - timedelta(days=days_ago), "green")
    sign_in(page, lands_on="Hi, Riley Runner")
    page.goto("/training")
    expect(page.get_by_role("heading", name="Calm & activate")).to_be_visible()
    expect(page.get_by_text("0 of 3 pain-free sessions at Stage 1")).to_be_visible()
    axe_check(page, "training overview")
    screenshot(page, "overview-stage-1")

    for days_ago in (3, 2):
        log_pain_free_session(page, today - timedelta(days=days_ago))
        expect(page.get_by_role("heading", name="Counts toward your progress")).to_be_visible()
    axe_check(page, "verdict")
    log_pain_free_session(page, today - timedelta(days=1))  # this morning's check-in confirms it
    expect(page.get_by_role("heading", name="Stage 2 unlocked")).to_be_visible()
    screenshot(page, "verdict-advance")

    page.get_by_role("link", name="Back to Training").click()
    expect(page.get_by_role("heading", name="Build strength")).to_be_visible()
    expect(page.get_by_text("0 of 3 pain-free sessions at Stage 2 — three more to unlock Stage 3")).to_be_visible()
    page.get_by_role("button", name="Start today's session").click()
    expect(page.locator(".log-item")).to_have_count(4)  # no band or step: the bodyweight four
    page.get_by_role("button", name="Add 1 to sets").first.click()
    expect(page.locator("#sit-to-stand-state")).to_contain_text("Not logged yet")
    rate(page, "sit-to-stand", 3)
    expect(page.locator("#sit-to-stand-sets")).to_have_value("4")
    rate(page, "single-leg-bridge", 0)
    page.wait_for_load_state("networkidle")  # the pain tap's swap is done: fill the new input
    page.locator("#single-leg-bridge-sets").fill("101")
    page.locator("#single-leg-bridge-sets").dispatch_event("change")
    expect(page.locator("#single-leg-bridge-sets-error")).to_have_text("Sets are a whole number from 0 to 100.")
    expect(page.locator("#single-leg-bridge-sets")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "logging, with an error")
    page.locator("#single-leg-bridge-sets").fill("3")
    page.locator("#single-leg-bridge-sets").blur()
    expect(page.locator("#single-leg-bridge-sets-error")).to_have_count(0)
    axe_check(page, "logging")
    screenshot(page, "logging")

    page.reload()  # a partly logged session survives a reload
    expect(page.locator("#sit-to-stand-state")).to_contain_text("pain 3/10")
    expect(page.locator("#sit-to-stand-sets")).to_have_value("4")
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("alert")).to_contain_text("Short-range reverse lunge, Side plank")
    rate(page, "short-range-reverse-lunge", 0)
    page.locator("label[for='side-plank-skip-time']").click()  # skipped for time: no hold of its own
    expect(page.locator("#side-plank-state")).to_contain_text("Skipped")
    page.get_by_role("button", name="Finish session").click()

    expect(page.get_by_role("heading", name="Held — this one doesn't count")).to_be_visible()
    expect(page.get_by_text("Today's session had pain 3/10 (Sit-to-stand to a box)")).to_be_visible()
    axe_check(page, "verdict held")
    screenshot(page, "verdict-held")

    page.get_by_role("link", name="Your timeline").click()
    expect(page.locator(".event").first).to_contain_text("Held")
    expect(page.locator(".event-advance")).to_contain_text("Moved up to Stage 2")
    axe_check(page, "timeline")
    screenshot(page, "timeline")


def test_finish_tapped_while_the_last_pain_is_saving_waits_for_it(page, app, make_user):
    """On a slow connection the last pain tap's save is still on its way when Finish is tapped:
    Finish is held until it is stored, then sent once (not sent at once and again later)."""
    add_checkin(app, make_user(), local_today(None), "green")
    sign_in(page, lands_on="Hi, Riley Runner")
    last = start_and_rate_all_but_the_last(page)
    events = []  # in the order the browser saw them
    page.on("request", lambda r: events.append("finish sent") if r.url.endswith("/finish") else None)
    page.on("response", lambda r: events.append("save answered") if r.url.endswith(f"/{last}") else None)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 1500,
                                                 "downloadThroughput": -1, "uploadThroughput": -1})
    page.locator(f"label[for='{last}-pain-0']").click()
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("heading", name="Counts toward your progress")).to_be_visible()
    assert events == ["save answered", "finish sent"]

def test_training_pages_fit_320px_and_dark(new_context, make_user, app, axe_check, screenshot):
    athlete = make_user(knee_status="returning", has_band=True)
    today = local_today(None)
    for days_ago in (5, 3, 2):
        insert_finished(app, athlete, today - timedelta(days=days_ago))
    for days_ago in (5, 3, 2, 1):  # green days; day 1's morning confirms Stage 2
        add_checkin(app, athlete, today - timedelta(days=days_ago), "green")
    insert_finished(app, athlete, today - timedelta(days=1), stage=2, pain=3)
    add_checkin(app, athlete, today, "amber", pain_now=3)
    for viewport, scheme in ((NARROW, "light"), (NARROW, "dark"), (None, "dark")):
        page = new_context(**({"viewport": viewport} if viewport else {}), color_scheme=scheme).new_page()
        sign_in(page, lands_on="Hi, Riley Runner")
        page.goto("/training")
        expect(page.locator(".alert-warning")).to_contain_text("Hops and impact work come back once today's check-in is green")
        page.get_by_role("button", name="Start today's session").click()
        expect(page.get_by_role("heading", name="Strength session")).to_be_visible()
        rate(page, "sit-to-stand", 6)
        label = f"{viewport['width'] if viewport else 390}-{scheme}"
        pages = {"overview": "/training", "session": page.url, "timeline": "/training/timeline"}
        for name, path in pages.items():
            page.goto(path)
            overflow = sideways_scroll(page)
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
            axe_check(page, f"{path} {label}")
            screenshot(page, f"{label}-{name}")
        page.goto("/training")
        page.get_by_role("link", name="Continue your session").click()
        page.get_by_text("Discard this session").click()
        page.get_by_role("button", name="Discard session").click()
        expect(page.get_by_text("Session discarded.")).to_be_visible()


def test_logging_works_without_javascript(new_context, app, make_user):
    add_checkin(app, make_user(), local_today(None), "green")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, lands_on="Hi, Riley Runner")
    page.goto("/training")
    page.get_by_role("button", name="Start today's session").click()
    expect(page.locator(".step").first).to_be_hidden()  # steppers need JavaScript; inputs don't
    cards = page.locator(".log-item")
    for index in range(cards.count()):
        card = page.locator(".log-item").nth(index)
        slug = card.get_attribute("id").removeprefix("log-")
        card.locator(f"label[for='{slug}-pain-0']").click()
        card.get_by_role("button", name="Save").click()
        expect(page.locator(f"#{slug}-state")).to_contain_text("pain 0/10")
    page.locator("#glute-bridge-reps").fill("500")
    page.locator("#log-glute-bridge").get_by_role("button", name="Save").click()
    expect(page.locator("#glute-bridge-reps-error")).to_have_text("Reps are a whole number from 0 to 100.")
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("heading", name="Counts toward your progress")).to_be_visible()
