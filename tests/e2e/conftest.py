"""Browser tests: the real app served on a local port, driven by Playwright in Debian's chromium."""
from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import _test_config

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 720}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Generous waits: CI shares two cores between the app, chromium and pytest. A wait returns as
# soon as its condition holds, so this only matters when the machine is slow, never for speed.
TIMEOUT_MS = 20_000
# The app runs on the suite's frozen clock (tests/conftest.py), the browser's cookie jar on the
# machine's real one, which no test can freeze: a cookie the app sets at the frozen instant must
# not look expired to the browser, so in browser tests it lives a century, not 14 or 60 days.
COOKIES_OUTLIVE_THE_FROZEN_CLOCK = {
    "PERMANENT_SESSION_LIFETIME": timedelta(days=36_500),
    "REMEMBER_COOKIE_DURATION": timedelta(days=36_500),
}


PASSWORD = "correct horse battery"  # every test user's (tests/conftest.py make_user)
GREETING = re.compile("^Hi, ")  # Today's heading, where signing in lands


def sign_in(page, email: str = "runner@example.com", password: str = PASSWORD, lands_on=GREETING) -> None:
    """Sign in through the form; wait for the heading `lands_on` (a name or pattern) or, when
    it is None, for the Account link that only a signed-in page has."""
    from playwright.sync_api import expect

    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if lands_on is None:
        expect(page.get_by_role("link", name="Account")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name=lands_on)).to_be_visible()


def sideways_scroll(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits the screen's width)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def wait_controlled(page) -> None:
    """Wait until the service worker controls `page`. A navigation that started while the worker
    was still installing can miss the worker's clients.claim() and stay uncontrolled for good,
    as a real phone's first page would: once the worker is ready, one reload gives it a worker."""
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)", timeout=3 * TIMEOUT_MS)
    for _ in range(20):
        if page.evaluate("() => navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(100)
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null",
                           timeout=3 * TIMEOUT_MS)  # a function: CSP forbids eval


def pytest_configure(config):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@contextmanager
def serving(schema: str, **server_options):
    """A fresh app on 127.0.0.1 in a background thread, sharing the test database: (app, server, base URL)."""
    from app import create_app
    from app.extensions import db

    app = create_app(_test_config(schema) | COOKIES_OUTLIVE_THE_FROZEN_CLOCK)
    server = make_server("127.0.0.1", 0, app, threaded=True, **server_options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, server, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


@contextmanager
def contexts_on(browser, base_url: str):
    """make(viewport=PHONE, **options) opens a browser context on base_url; all closed afterwards."""
    contexts = []

    def make(viewport=PHONE, **options):
        # The phone's clock reads the zone the test athletes live in, whatever the machine's TZ.
        options.setdefault("timezone_id", "UTC")
        context = browser.new_context(viewport=viewport, base_url=base_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="session")
def live_server(_schema):
    """The app on 127.0.0.1 in a background thread, sharing the test database."""
    with serving(_schema) as (_app, _server, base_url):
        yield base_url


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, live_server, app):
    """Open fresh browser contexts (phone-sized by default); all closed after the test."""
    with contexts_on(browser, live_server) as make:
        yield make


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        path = ARTIFACTS / f"{request.node.name.split('[')[0]}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_check():
    """Run axe on the page and fail with its report when there is any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str = ""):
        results = axe.run(page)
        assert results.violations_count == 0, f"axe on {label or page.url}:\n{results.generate_report()}"

    return check
