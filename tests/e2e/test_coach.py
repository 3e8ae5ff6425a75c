"""A coach invites a runner, the runner accepts in a second browser, a red check-in reaches the
top of the coach's dashboard without a reload, and the coach acknowledges it — on a phone."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from app.clock import local_today
from app.extensions import db
from app.models import CheckIn, CoachAction, User
from tests.fixtures.coaching import add_checkin, add_link, log_session
from tests.e2e.conftest import NARROW, PHONE, sideways_scroll, sign_in

LAPTOP = {"width": 1280, "height": 800}
# Note when htmx has processed the board (its polling triggers are live from then on).
WATCH_BOARD = """document.addEventListener("htmx:afterProcessNode", function (event) {
  if (event.target.id === "coach-board") { window.__boardReady = true; }
});"""


# Record what each board poll sent and got back.
WATCH_POLLS = """window.__polls = [];
document.addEventListener("htmx:beforeSwap", function (event) {  // the board is still in place
  if (event.detail.elt.id !== "coach-board") { return; }
  window.__polls.push({status: event.detail.xhr.status, etag: event.detail.xhr.getResponseHeader("ETag"),
                       sent: event.detail.requestConfig.headers["If-None-Match"] || null});
});"""


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(User.id).where(User.email == email))


def test_invite_accept_red_checkin_and_acknowledge(new_context, app, make_user, axe_check, screenshot):
    make_user(email="coach@example.com", name="Coach Sam", athlete=False, coach=True)
    make_user(email="riley@example.com", name="Riley Runner", knee_status="niggles")
    coach = new_context().new_page()
    sign_in(coach, "coach@example.com", lands_on=None)
    coach.get_by_role("navigation", name="Main").get_by_role("link", name="Coach").click()
    expect(coach.get_by_role("heading", name="Your athletes")).to_be_visible()
    expect(coach.get_by_text("No athletes yet")).to_be_visible()
    axe_check(coach, "empty dashboard")
    coach.get_by_role("link", name="Invite an athlete").first.click()
    coach.get_by_role("button", name="Create an invitation").click()
    link_box = coach.get_by_label(re.compile(r"Link for KR-"))
    expect(link_box).to_be_visible()
    invite_url = link_box.input_value()
    assert re.search(r"/invite/KR-[0-9A-Z]{4}-[0-9A-Z]{4}$", invite_url)
    axe_check(coach, "invitations")
    screenshot(coach, "invitations")

    runner = new_context().new_page()
    sign_in(runner, "riley@example.com", lands_on=None)
    runner.goto(invite_url)
    expect(runner.get_by_role("heading", name="Coach Sam would like to coach you")).to_be_visible()
    axe_check(runner, "invitation")
    screenshot(runner, "invitation")
    runner.get_by_role("button", name="Accept Coach Sam as my coach").click()
    expect(runner.get_by_role("heading", name="Your coaches")).to_be_visible()
    expect(runner.get_by_text("You're now linked with Coach Sam.")).to_be_visible()
    axe_check(runner, "your coaches")
    screenshot(runner, "your-coaches")

    coach.evaluate(WATCH_BOARD)
    coach.get_by_role("link", name="← Your athletes").click()
    expect(coach.get_by_role("link", name="Riley Runner")).to_be_visible()
    coach.wait_for_function("() => window.__boardReady === true")  # htmx has wired the board's triggers
    coach.evaluate("window.__sameDocument = true")
    # Polls send the ETag of the board shown: an unchanged board comes back as 304, not swapped.
    coach.evaluate(WATCH_POLLS)
    coach.evaluate("window.__boardReady = false; window.dispatchEvent(new Event('focus'))")
    coach.wait_for_function("() => window.__polls.length === 1 && window.__boardReady === true")  # swapped
    coach.evaluate("window.dispatchEvent(new Event('focus'))")
    coach.wait_for_function("() => window.__polls.length === 2")
    first, second = coach.evaluate("window.__polls")
    assert (first["status"], second["status"]) == (200, 304)
    assert first["sent"] is None and second["sent"] == first["etag"]
    expect(coach.get_by_role("link", name="Riley Runner")).to_be_visible()
    # The runner logs a red check-in through the real form, by tapping.
    runner.goto("/checkin")
    runner.locator("#pain_now").get_by_role("radio", name="7", exact=True).check()
    runner.locator("#worst_pain").get_by_role("radio", name="7", exact=True).check()
    runner.get_by_role("radio", name="No morning stiffness").check()
    runner.get_by_role("radio", name="No swelling").check()
    runner.get_by_role("checkbox", name=re.compile("Knee locks or gives way")).check()
    runner.get_by_role("button", name="Save check-in").click()
    expect(runner).to_have_url(re.compile(r"/checkin/result$"))  # saved (the live verdict shows before)
    expect(runner.get_by_text("Urgent — today").first).to_be_visible()
    coach.evaluate("window.dispatchEvent(new Event('focus'))")  # as when the coach comes back to the tab
    first_card = coach.locator(".athlete-card").first
    expect(first_card).to_contain_text("1 red check-in to acknowledge")
    expect(first_card).to_contain_text("Knee locks or gives way")
    assert coach.evaluate("window.__sameDocument === true"), "the dashboard reloaded instead of updating"
    expect(coach.locator("#board-news")).to_have_text("New red check-in: Riley Runner.")  # said aloud
    axe_check(coach, "dashboard with a red check-in")
    screenshot(coach, "dashboard-red")

    first_card.get_by_role("button", name=re.compile("Acknowledge")).click()
    expect(coach.get_by_text("Acknowledged Riley Runner's red check-in.")).to_be_visible()
    expect(coach.locator(".athlete-card").first).not_to_contain_text("to acknowledge")
    expect(coach.locator(".athlete-card").first).to_contain_text("Red today")
    with app.app_context():
        checkin = db.session.scalar(db.select(CheckIn))
        assert checkin.acknowledged_by_id == user_id(app, "coach@example.com")
        assert db.session.scalar(db.select(CoachAction.kind)) == "ack_red_flag"


def coached_athlete(app, make_user) -> int:
    """Coach Sam with Riley (a week of history) and two more athletes."""
    coach = make_user(email="coach@example.com", name="Coach Sam", athlete=False, coach=True)
    riley = make_user(email="riley@example.com", name="Riley Runner", knee_status="niggles")
    others = [make_user(email=f"{name.lower()}@example.com", name=f"{name} Example") for name in ("Maya", "Leo")]
    with app.app_context():
        for athlete in (riley, *others):
            add_link(coach, athlete)
        db.session.commit()
        today = local_today(None)  # the athletes' today: they live in UTC, the machine may not
        for offset, pain in enumerate([1, 2, 2, 3, 1, 0, 4, 2, 7, 3, 2, 1, 1, 2]):
            add_checkin(riley, today - timedelta(days=13 - offset), pain_now=pain,
                        stiffness="under_30" if pain > 2 else "none", note="Stairs hurt" if pain > 5 else "")
        add_checkin(others[0], today, pain_now=4)
        log_session(riley, today - timedelta(days=3), 1, [0, 0, 1])
        log_session(riley, today - timedelta(days=1), 1, [0, 3, 0, None])
        db.session.commit()
    return riley


def test_athlete_page_and_coach_actions(new_context, app, make_user, axe_check, screenshot):
    riley = coached_athlete(app, make_user)
    page = new_context().new_page()
    sign_in(page, "coach@example.com", lands_on=None)
    page.goto("/coach")
    axe_check(page, "dashboard")
    screenshot(page, "dashboard")
    page.get_by_role("link", name="Riley Runner").click()
    expect(page.get_by_role("heading", name="Riley Runner", level=1)).to_be_visible()
    axe_check(page, "athlete page")
    screenshot(page, "athlete")

    page.get_by_label("Pain limit for a counting session").select_option("1")
    page.get_by_role("button", name="Set pain limit").click()
    expect(page.get_by_text("Sessions now count with pain up to 1/10.")).to_be_visible()
    page.get_by_role("button", name="Pause progression").click()
    expect(page.get_by_text("Progression paused: the stage stays")).to_be_visible()
    page.get_by_label("Note for Riley Runner").fill("")
    page.get_by_role("button", name="Send note").click()
    expect(page.locator("#text-error")).to_contain_text("Write the note first.")
    axe_check(page, "athlete page with an error")
    page.get_by_label("Note for Riley Runner").fill("Keep the step-downs shallow this week.")
    page.get_by_role("button", name="Send note").click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Note from Coach Sam: Keep the step-downs shallow this week.")
    expect(timeline).to_contain_text("Progression paused by Coach Sam")
    expect(timeline).to_contain_text("Coach Sam set the pain limit for a counting session to 1/10")
    screenshot(page, "athlete-after-actions")
    with app.app_context():  # the error left nothing behind; each action was stored once
        stored = db.session.execute(db.select(CoachAction.kind, CoachAction.value, CoachAction.text)
                                    .where(CoachAction.athlete_id == riley).order_by(CoachAction.id)).all()
    assert [tuple(row) for row in stored] == [("set_threshold", 1, None), ("pause", None, None),
                                              ("note", None, "Keep the step-downs shallow this week.")]


def test_coach_pages_fit_320px_and_a_laptop_in_light_and_dark(new_context, app, make_user, axe_check, screenshot):
    riley = coached_athlete(app, make_user)
    for viewport, scheme in ((NARROW, "light"), (NARROW, "dark"), (PHONE, "dark"), (LAPTOP, "light")):
        page = new_context(viewport=viewport, color_scheme=scheme).new_page()
        sign_in(page, "coach@example.com", lands_on=None)
        label = f"{viewport['width']}-{scheme}"
        for path, name in (("/coach", "dashboard"), (f"/coach/athletes/{riley}", "athlete"),
                           ("/coach/invitations", "invitations")):
            page.goto(path)
            overflow = sideways_scroll(page)
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {label}"
            axe_check(page, f"{path} {label}")
            screenshot(page, f"{name}-{label}")


def test_the_athlete_side_at_320px(new_context, app, make_user, axe_check, screenshot):
    coached_athlete(app, make_user)
    page = new_context(viewport=NARROW).new_page()
    sign_in(page, "riley@example.com", lands_on=None)
    page.goto("/account")
    page.get_by_role("link", name="Your coaches").click()
    expect(page.get_by_role("heading", name="Coach Sam")).to_be_visible()
    page.get_by_text("Leave Coach Sam").first.click()
    axe_check(page, "your coaches, leave open")
    screenshot(page, "coaches-320")
    page.get_by_role("button", name="Leave Coach Sam").click()
    expect(page.get_by_text("You've left Coach Sam.")).to_be_visible()
    page.goto("/invite/KR-0000-0000")
    expect(page.get_by_role("heading", name="We can't find that invitation")).to_be_visible()
    axe_check(page, "unknown invitation")
    page.get_by_role("link", name="Enter a code").click()
    page.get_by_label("Invitation code").fill("nonsense!")
    page.get_by_role("button", name="Open the invitation").click()
    expect(page.locator("#code-error")).to_contain_text("That isn't an invitation code")
    axe_check(page, "code form with an error")
    screenshot(page, "code-error-320")


def test_a_board_whose_session_ended_goes_to_sign_in_on_the_next_poll(new_context, app, make_user):
    coached_athlete(app, make_user)
    context = new_context()
    page = context.new_page()
    sign_in(page, "coach@example.com", lands_on=None)
    page.evaluate(WATCH_BOARD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coach").click()
    expect(page.get_by_role("link", name="Riley Runner")).to_be_visible()
    page.wait_for_function("() => window.__boardReady === true")
    context.clear_cookies()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(page).to_have_url(re.compile(r"/signin\?next=/coach$"))
    expect(page.locator("#coach-board")).to_have_count(0)


def test_show_more_lands_on_the_first_athlete_it_added_and_says_how_many(new_context, app, password_hash):
    from bench.history import build

    with app.app_context():
        build(athletes=60, days=3, today=local_today(None), tag="more", password_hash=password_hash)
    page = new_context().new_page()
    sign_in(page, "coach@more.example", lands_on=None)
    page.goto("/coach")
    cards = page.locator("#coach-board .athlete-list > li")
    expect(cards).to_have_count(50)
    page.get_by_role("link", name="Show 10 more").click()
    expect(cards).to_have_count(60)
    expect(cards.nth(50).locator("h3 a")).to_be_focused()
    expect(page.locator("#board-news")).to_have_text("10 more athletes shown.")
    expect(page.get_by_role("link", name=re.compile("more$"))).to_have_count(0)
