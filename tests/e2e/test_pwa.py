"""The installable, offline app on a phone: installability, offline pages, the outbox and its
exactly-once sync, worker updates, and sign-out leaving nothing behind."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from app.extensions import db
from app.models import AthleteProfile, CheckIn, ExerciseLog, IdempotencyKey, TrainingSession, WarmupLog
from tests.e2e.conftest import (CHROMIUM, CHROMIUM_ARGS, NARROW, PHONE, TIMEOUT_MS, contexts_on, serving, sign_in,
                                sideways_scroll, wait_controlled)


@pytest.fixture(scope="module")
def pwa_server(_schema):
    """A live server whose app the test can reach (to bump the worker's version)."""
    with serving(_schema) as (app, _server, base_url):
        yield app, base_url


@pytest.fixture
def phone(browser, pwa_server, app):
    """A phone-sized browser context on the PWA server (a fresh profile: no worker, no caches)."""
    with contexts_on(browser, pwa_server[1]) as make:
        yield make


def wait_offline_ready(page):
    """The worker is active, controls the page, and has cached this user's offline pages."""
    # Installing precaches every static file (the exercise drawings made that ~60 more) and the
    # pages: on two shared cores that can outlast the usual wait, which returns as soon as it holds.
    wait_controlled(page)
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=3 * TIMEOUT_MS)


def eventually(page, script: str, expected, attempts: int = 100):
    """Evaluate an async page expression until it gives `expected` (waits up to ~10 s)."""
    for _ in range(attempts):
        if page.evaluate(script) == expected:
            return
        page.wait_for_timeout(100)
    assert page.evaluate(script) == expected


def profile_runner_type(app) -> str:
    with app.app_context():
        return db.session.scalar(db.select(AthleteProfile.runner_type))


def key_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(IdempotencyKey))


def rows_of(app, model) -> list:
    with app.app_context():
        return db.session.scalars(db.select(model)).all()


def tap_score(page, question_id: str, score: str):
    page.locator(f"#{question_id}").get_by_role("radio", name=score, exact=True).check()


def queue_profile_offline(page, runner_label="Trail — uneven"):
    """Change the running profile with no signal (the profile form standing in for a write form)."""
    page.goto("/profile")
    page.evaluate("document.querySelector('form[action=\"/profile\"]').setAttribute('data-offline-write', 'Profile')")
    page.context.set_offline(True)
    page.get_by_label(re.compile(runner_label)).check()
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator("#sync-status")).to_contain_text("will sync (1 waiting)")


CACHED_PAGES = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      if ((response.headers.get("Content-Type") || "").startsWith("text/html")) {
        found.push({cache: name, url: new URL(request.url).pathname, html: await response.text()});
      }
    }
  }
  return found;
}"""


def test_chrome_finds_no_installability_errors(playwright_instance, pwa_server, tmp_path):
    """Installability needs a real (persistent) profile: incognito contexts never install."""
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE,
        base_url=pwa_server[1])
    try:
        page = context.new_page()
        page.goto("/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        result = cdp.send("Page.getInstallabilityErrors")
        assert result == {"installabilityErrors": []}
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")
    finally:
        context.close()


def test_today_opens_offline(phone, make_user, screenshot, axe_check):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    page.goto("/profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    page.context.set_offline(True)
    page.goto("/today")
    expect(page.get_by_role("heading", name="Hi, Riley Runner")).to_be_visible()
    expect(page.locator("#sync-status")).to_contain_text("No signal: this is the copy kept on this phone at")
    expect(page.get_by_text("Profile saved.")).to_have_count(0)  # flash messages are not kept
    page.goto("/exercises/")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    axe_check(page, "offline page")
    screenshot(page, "offline-page")


def test_today_and_the_warm_up_open_offline_and_the_warm_up_can_be_finished(phone, make_user, app, screenshot,
                                                                          axe_check):
    athlete = make_user()
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athlete, local_date=local_today(None), pain_now=0, status="green"))
        db.session.commit()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.goto("/today")
    expect(page.get_by_role("heading", name="Hi, Riley Runner")).to_be_visible()
    # A boosted visit, answered by the worker from the kept copy.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Warm-up").click()
    expect(page.get_by_role("heading", name="Pre-run warm-up")).to_be_visible()
    expect(page).to_have_url(re.compile("/warmup$"))
    items = page.locator(".check-item")
    count = items.count()
    for index in range(count):
        items.nth(index).get_by_role("checkbox").check()
    expect(page.locator("#warmup-progress")).to_contain_text(f"{count} of {count} done")
    page.get_by_role("button", name="Finish warm-up").click()
    status = page.locator("#sync-status")
    expect(status).to_contain_text("Saved on this phone — will sync (1 waiting)")
    axe_check(page, "warm-up saved on the phone")
    screenshot(page, "warmup-queued")
    assert rows_of(app, WarmupLog) == []
    page.context.set_offline(False)
    expect(page.get_by_text("You finished a warm-up today")).to_be_visible()
    expect(status).to_contain_text("Synced")
    [log] = rows_of(app, WarmupLog)
    assert log.built_for == "green" and all(item["done"] for item in log.items) and len(log.items) == count
    assert key_count(app) == 1


def test_a_check_in_submitted_offline_syncs_once(phone, make_user, app, screenshot, axe_check):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.goto("/checkin")
    expect(page.get_by_role("heading", name="How's your knee today?")).to_be_visible()
    tap_score(page, "pain_now", "2")
    tap_score(page, "worst_pain", "3")
    page.get_by_role("radio", name="No morning stiffness").check()
    page.get_by_role("radio", name="No swelling").check()
    page.get_by_role("button", name="Save check-in").click()
    status = page.locator("#sync-status")
    expect(status).to_contain_text("Saved on this phone — will sync (1 waiting)")
    expect(page.get_by_role("button", name="Save check-in")).to_be_disabled()
    axe_check(page, "check-in saved on the phone")
    screenshot(page, "checkin-queued")
    assert rows_of(app, CheckIn) == []
    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="Edit today's check-in")).to_be_visible()
    expect(status).to_contain_text("Synced")
    [checkin] = rows_of(app, CheckIn)
    assert (checkin.pain_now, checkin.worst_pain, checkin.status) == (2, 3, "green")
    assert key_count(app) == 1


def test_a_training_session_logged_offline_syncs_once(phone, make_user, app, screenshot, axe_check):
    athlete = make_user()
    with app.app_context():  # a green day: the session counts
        db.session.add(CheckIn(athlete_id=athlete, local_date=local_today(None), pain_now=0, status="green"))
        db.session.commit()
    page = phone().new_page()
    sign_in(page)
    page.goto("/training")
    page.get_by_role("button", name=re.compile("Start today's session")).click()
    expect(page.get_by_role("heading", name="Strength session")).to_be_visible()
    session_url = page.url
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.goto("/today")
    page.goto(session_url)  # the kept copy
    slugs = [card.get_attribute("id").removeprefix("log-") for card in page.locator(".log-item").all()]
    for slug in slugs:
        page.locator(f"label[for='{slug}-pain-0']").click()
        expect(page.locator(f"#{slug}-state")).to_have_text("Saved on this phone")
    page.get_by_role("button", name="Finish session").click()
    expect(page.locator("#sync-status")).to_contain_text(f"will sync ({len(slugs) + 1} waiting)")
    axe_check(page, "session logged offline")
    screenshot(page, "session-offline")
    with app.app_context():
        assert db.session.scalar(db.select(TrainingSession.finished_at)) is None
    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="Counts toward your progress")).to_be_visible()
    expect(page.locator("#sync-status")).to_contain_text("Synced")
    screenshot(page, "session-synced")
    with app.app_context():
        sessions = db.session.scalars(db.select(TrainingSession)).all()
        assert len(sessions) == 1 and sessions[0].finished_at is not None
        pains = db.session.scalars(db.select(ExerciseLog.pain)).all()
        assert pains == [0] * len(slugs)
    assert key_count(app) == len(slugs) + 1


def test_the_same_request_replayed_three_times_stores_once(phone, make_user, app):
    athlete = make_user()
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athlete, local_date=local_today(None), pain_now=0, status="green"))
        db.session.commit()
    page = phone().new_page()
    sign_in(page)
    page.goto("/warmup")
    answers = page.evaluate("""async () => {
        const form = document.querySelector("form[data-warmup]");
        form.querySelectorAll('input[name="done"]').forEach(box => { box.checked = true; });
        const body = new URLSearchParams(new FormData(form));
        const answers = [];
        for (let i = 0; i < 3; i++) {
            const response = await fetch(form.action, {method: "POST", body, redirect: "manual",
                headers: {"Idempotency-Key": "replayed-three-times"}});
            answers.push(response.type);
        }
        return answers;
    }""")
    assert answers == ["opaqueredirect"] * 3
    assert len(rows_of(app, WarmupLog)) == 1
    assert key_count(app) == 1


def test_a_write_made_offline_syncs_once_back_online(phone, make_user, app, screenshot, axe_check):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    page.goto("/profile")
    page.evaluate("document.querySelector('form[action=\"/profile\"]').setAttribute('data-offline-write', 'Profile')")
    page.context.set_offline(True)
    page.get_by_label(re.compile("Trail — uneven")).check()
    page.get_by_role("button", name=re.compile("Save")).click()
    status = page.locator("#sync-status")
    expect(status).to_contain_text("Saved on this phone — will sync (1 waiting)")
    axe_check(page, "queued")
    screenshot(page, "queued")
    assert profile_runner_type(app) == "general"
    page.context.set_offline(False)
    expect(status).to_contain_text("Synced")
    screenshot(page, "synced")
    assert profile_runner_type(app) == "trail"
    assert key_count(app) == 1


def test_background_sync_sends_the_queue_from_the_worker(phone, make_user, app):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.evaluate("""async () => {
        const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
        const body = new URLSearchParams({csrf_token: csrf, runner_type: "trail", knee_status: "none",
                                          timezone: "UTC"});
        await KneeReadyOutbox.queue({key: "sync-event-key-01", url: "/profile", body: body.toString(), label: "Profile",
            user: document.getElementById("pwa-settings").dataset.user, created: Date.now(), state: "waiting",
            status: 0});
    }""")
    assert registrations, "the worker's registration is known"
    cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": page.evaluate("location.origin"), "registrationId": registrations[0]["registrationId"],
        "tag": "kneeready-outbox", "lastChance": False})
    expect(page.locator("#sync-status")).to_contain_text("Synced")
    assert profile_runner_type(app) == "trail" and key_count(app) == 1


def test_without_a_service_worker_writes_still_queue_and_sync(phone, make_user, app):
    make_user()
    page = phone(service_workers="block").new_page()
    sign_in(page)
    assert page.evaluate("navigator.serviceWorker.controller") is None
    queue_profile_offline(page)
    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_contain_text("Synced")
    assert profile_runner_type(app) == "trail" and key_count(app) == 1


def test_a_write_refused_for_want_of_a_session_waits_for_sign_in(phone, make_user, app, screenshot):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    queue_profile_offline(page)
    page.context.clear_cookies()  # the session ran out while the phone was offline
    page.context.set_offline(False)
    status = page.locator("#sync-status")
    expect(status).to_contain_text("Saved on this phone — sign in to sync (1 waiting)")
    screenshot(page, "sign-in-to-sync")
    assert profile_runner_type(app) == "general"
    status.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("runner@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Running profile")).to_be_visible()
    expect(page.locator("#sync-status")).to_contain_text("Synced")
    assert profile_runner_type(app) == "trail" and key_count(app) == 1


def test_a_write_the_server_refuses_is_dropped_and_shown(phone, make_user, app, screenshot, axe_check):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    page.goto("/profile")
    page.evaluate("""const form = document.querySelector('form[action="/profile"]');
                     form.setAttribute('data-offline-write', 'Profile');
                     form.querySelector('input[value="trail"]').value = 'marathon-on-mars';""")
    page.context.set_offline(True)
    page.get_by_label(re.compile("Trail — uneven")).check()
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator("#sync-status")).to_contain_text("will sync (1 waiting)")
    page.context.set_offline(False)
    status = page.locator("#sync-status")
    expect(status).to_contain_text("Profile from")
    expect(status).to_contain_text("couldn't be saved: Choose one of the options")
    axe_check(page, "refused")
    screenshot(page, "refused")
    assert page.evaluate("KneeReadyOutbox.pending()") == []
    assert profile_runner_type(app) == "general" and key_count(app) == 0
    expect(page.get_by_role("button", name="Save profile")).to_be_enabled()
    status.get_by_role("button", name="Dismiss").click()
    expect(status).to_be_hidden()


def test_a_new_worker_version_activates_and_removes_the_old_cache(phone, pwa_server, make_user):
    app = pwa_server[0]
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    old = page.evaluate("caches.keys()")
    assert len(old) == 2 and all(name.startswith(("kneeready-static-", "kneeready-pages-")) for name in old)
    app.config["PWA_VERSION"] = "bumped-1"
    try:
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        eventually(page, "caches.keys().then(names => names.sort())",
                   ["kneeready-pages-bumped-1", "kneeready-static-bumped-1"])
    finally:
        del app.config["PWA_VERSION"]
    pages = {entry["url"] for entry in page.evaluate(CACHED_PAGES) if entry["cache"] == "kneeready-pages-bumped-1"}
    assert "/today" in pages, "offline pages are carried into the new version's cache"
    page.context.set_offline(True)
    page.goto("/today")
    expect(page.get_by_role("heading", name="Hi, Riley Runner")).to_be_visible()


def test_sign_out_leaves_no_cached_pages(phone, make_user, screenshot, axe_check):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    assert any("Riley Runner" in entry["html"] for entry in page.evaluate(CACHED_PAGES))
    assert offline_page_links(page) == ["/today"], "the kept offline page is the runner's"
    # A write the server can't take yet (404) waits in the outbox.
    page.evaluate("""KneeReadyOutbox.queue({key: "stuck-key-0001", url: "/nowhere", body: "a=1",
                     user: document.getElementById("pwa-settings").dataset.user, label: "Check-in",
                     created: Date.now(), state: "waiting", status: 0})""")
    page.goto("/account")
    expect(page.locator("#sync-status")).to_contain_text("couldn't be sent (the server answered 404)")
    page.get_by_role("button", name="Sign out").click()
    warning = page.locator("[data-unsynced-warning]")
    expect(warning).to_contain_text("1 entry saved on this phone hasn't synced yet")
    axe_check(page, "unsynced warning")
    screenshot(page, "unsynced-warning")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You're signed out.")).to_be_visible()
    page.wait_for_load_state("networkidle")
    cached = page.evaluate(CACHED_PAGES)
    assert not [entry["url"] for entry in cached if "Riley Runner" in entry["html"]]
    assert not [entry for entry in cached if entry["cache"].startswith("kneeready-pages-")
                and entry["url"] != "/"]
    assert page.evaluate("KneeReadyOutbox.pending()") == []
    assert offline_page_links(page) == [], "the kept offline page no longer shows the runner's pages"


def offline_page_links(page, attempts: int = 100) -> list[str]:
    """The athlete pages the kept offline page links to (none when no one is signed in).

    Signing out empties every cache, and the worker fetches the offline page again for whoever
    the next page says is signed in: on two busy cores that can land after the page is idle, so
    wait for it (up to ~10 s) rather than read the cache once."""
    for _ in range(attempts):
        html = next((entry["html"] for entry in page.evaluate(CACHED_PAGES) if entry["url"] == "/offline"), None)
        if html is not None:
            return [url for url in ("/today",) if f'href="{url}"' in html]
        page.wait_for_timeout(100)
    raise AssertionError("the worker never cached the offline page again")


def test_a_form_that_cannot_wait_says_it_needs_a_signal(phone, make_user):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    page.goto("/account")
    page.context.set_offline(True)
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#sync-status")).to_contain_text("No signal: that needs a connection")
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    page.context.set_offline(False)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You're signed out.")).to_be_visible()


def test_a_kept_copy_sends_forms_with_the_current_token_once_online(phone, make_user, app):
    make_user()
    page = phone().new_page()
    sign_in(page)
    wait_offline_ready(page)
    page.goto("/profile")
    # A new session (so a new CSRF token) made without opening a page: the kept /profile
    # still holds the old token.
    page.context.clear_cookies()
    signin_page = page.request.get("/signin").text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', signin_page).group(1)
    page.request.post("/signin", form={"csrf_token": token, "email": "runner@example.com",
                                       "password": "correct horse battery"})
    page.context.set_offline(True)
    page.goto("/profile")
    expect(page.locator("#sync-status")).to_contain_text("the copy kept on this phone")
    kept_token = page.locator('input[name="csrf_token"]').input_value()
    page.context.set_offline(False)
    # Back online, the page swaps in the current token (a Save tapped before that is refused
    # for its token, kept on the phone and sent again with a fresh one).
    page.wait_for_function("(kept) => document.querySelector('input[name=\"csrf_token\"]').value !== kept",
                           arg=kept_token)
    page.get_by_label(re.compile("Trail — uneven")).check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    assert profile_runner_type(app) == "trail"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sync_messages_fit_a_320px_screen(phone, make_user, screenshot, axe_check, scheme):
    make_user()
    page = phone(viewport=NARROW, color_scheme=scheme).new_page()
    sign_in(page)
    page.evaluate("""async () => {
        const user = document.getElementById("pwa-settings").dataset.user;
        await KneeReadyOutbox.queue({key: "waiting-key-0001", url: "/nowhere", body: "a=1", user, label: "Warm-up",
                                     created: Date.now(), state: "waiting", status: 409});
    }""")
    page.context.set_offline(True)
    page.evaluate("document.dispatchEvent(new Event('htmx:afterSettle'))")
    status = page.locator("#sync-status")
    expect(status).to_contain_text("will sync (1 waiting)")
    expect(status).to_contain_text("couldn't be sent (the server answered 409)")
    overflow = sideways_scroll(page)
    assert overflow <= 0
    axe_check(page, f"sync messages, {scheme}")
    screenshot(page, f"320-{scheme}")
