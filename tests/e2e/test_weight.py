"""Page weight on a phone: the first load of Today for a signed-in athlete is at most 60 KB over
the wire, a repeat load moves no static bytes, and static files are compressed, versioned and
cached for a year.

How bytes are counted. The browser's number for a request is Playwright's `request.sizes()`:
response headers + response body, which Playwright takes from Chrome's
`Network.loadingFinished.encodedDataLength` — the bytes received from the network, body still
gzipped, and 0 for a request answered from the memory or disk cache. A response the service
worker answers (`response.from_service_worker`) moved nothing over the wire: what the worker
fetched itself is counted as the worker's request. Chrome does not report the worker script's own
fetches (/sw.js and the check of what it imports) to Playwright, so the test server also counts
every byte it writes to the socket (status line, headers, body): that count gives the total with
the worker, and the test checks that the browser's number for each request is the same.

"First load": a fresh browser profile (no cache, no worker) with the athlete's session cookie
opens /today. "Page load" is the page's own requests until the load event; "with the worker" adds
what the service worker fetches to keep the app for offline use (precache, offline pages), until
the network is quiet.

    .venv/bin/pytest tests/e2e/test_weight.py -s     # prints the numbers
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler

from app.assets import LONG_CACHE
from app.clock import local_today
from app.extensions import db
from app.models import CheckIn
from tests.e2e.conftest import TIMEOUT_MS, contexts_on, serving, sign_in, wait_controlled

BUDGET = 60_000  # bytes: "≤ 60 KB", counted with KB = 1000 (the stricter reading)
FIGURES_BUDGET = 150_000  # what the exercise drawings may add to the worker's offline copy
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/manifest+json", "image/svg+xml")
# Files the app serves for the browser to keep: everything under /static/, and the manifest.
STATIC = re.compile(r"^/static/|^/manifest\.webmanifest$")
QUIET_POLLS = 10  # polls of 100 ms with nothing sent: the network is idle


@dataclass
class Sent:
    """One response as the server wrote it to the socket."""
    path: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    bytes: int = 0


class _CountingWriter:
    def __init__(self, raw, sent: Sent):
        self._raw, self._sent = raw, sent

    def write(self, data):
        self._sent.bytes += len(data)
        return self._raw.write(data)

    def __getattr__(self, name):
        return getattr(self._raw, name)


class WireCountingHandler(WSGIRequestHandler):
    """Werkzeug's handler (one request per connection), counting every byte it sends."""

    def run_wsgi(self):
        self._sent = Sent(self.path)
        self.server.sent.append(self._sent)
        self.wfile = _CountingWriter(self.wfile, self._sent)
        self.server.busy += 1
        try:
            super().run_wsgi()
        finally:
            self.server.busy -= 1

    def send_response(self, code, message=None):
        self._sent.status = code
        super().send_response(code, message)

    def send_header(self, keyword, value):
        self._sent.headers[keyword.lower()] = value
        super().send_header(keyword, value)

    def log_request(self, *args):
        pass


@pytest.fixture(scope="module")
def wire_server(_schema):
    """The app on a local port whose server counts what it sends."""
    with serving(_schema, request_handler=WireCountingHandler) as (_app, server, base_url):
        server.sent, server.busy = [], 0
        yield server, base_url


@pytest.fixture
def phone(browser, wire_server, app):
    with contexts_on(browser, wire_server[1]) as make:
        yield make


@dataclass
class Transfer:
    """One finished request as the browser saw it."""
    path: str
    by_worker: bool  # the service worker asked for it
    from_worker: bool  # the service worker answered it (nothing crossed the network)
    bytes: int  # received over the network: headers + encoded body; 0 from the cache
    after_load: bool


class Recorder:
    """Every request a browser context finishes, the service worker's included."""

    def __init__(self, context):
        self.requests = []
        self.loaded = False
        context.on("requestfinished", lambda request: self.requests.append((request, self.loaded)))

    def mark(self) -> int:
        self.loaded = False
        return len(self.requests)

    def transfers(self, start: int = 0) -> list[Transfer]:
        found = []
        for request, after_load in self.requests[start:]:
            response = request.response()
            sizes = request.sizes()
            url = urlsplit(request.url)
            found.append(Transfer(url.path + (f"?{url.query}" if url.query else ""), request.service_worker is not None,
                                  response.from_service_worker, sizes["responseHeadersSize"] + sizes["responseBodySize"],
                                  after_load))
        return found


def signed_in_cookies(phone, app, make_user) -> list[dict]:
    """An athlete with a profile and today's check-in, signed in in a throwaway context."""
    athlete = make_user(has_band=True)
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athlete, local_date=local_today(None), pain_now=2, worst_pain=3,
                               status="green"))
        db.session.commit()
    context = phone(service_workers="block")
    sign_in(context.new_page())
    cookies = context.cookies()
    context.close()
    return cookies


def open_today(page, recorder: Recorder, how=None):
    """Open Today (or reload it): what finishes after its load event is marked as after."""
    page.once("load", lambda _: setattr(recorder, "loaded", True))
    (how or (lambda: page.goto("/today", wait_until="load")))()
    expect(page.get_by_role("heading", name="Can I run today?")).to_be_visible()
    expect(page.locator(".today-status")).to_contain_text("Good to go")


def wait_until_quiet(page, server):
    """Wait until nothing has been sent for a second (waits, never asserts on time)."""
    quiet, seen = 0, -1
    for _ in range(TIMEOUT_MS // 100):
        count = len(server.sent)
        quiet = quiet + 1 if (count == seen and server.busy == 0) else 0
        if quiet >= QUIET_POLLS:
            return
        seen = count
        page.wait_for_timeout(100)
    pytest.fail("the network never went quiet")


def wait_offline_ready(page):
    wait_controlled(page)
    page.wait_for_selector("html[data-offline-ready]", state="attached")


def is_static(path: str) -> bool:
    return bool(STATIC.match(urlsplit(path).path))


def kb(count: int) -> str:
    return f"{count / 1000:.1f} KB"


def summary(label: str, sent: list[Sent]) -> str:
    lines = [f"{label}: {kb(sum(item.bytes for item in sent))} in {len(sent)} responses"]
    lines += [f"    {item.bytes:>7,}  {item.status}  {item.path}" for item in sent]
    return "\n".join(lines)


def check_compressed(sent: Sent):
    """A text response is gzipped (or brotli), unless too small to gain (COMPRESS_MIN_SIZE)."""
    headers = sent.headers
    if sent.status == 200 and headers.get("content-type", "").startswith(TEXT_TYPES):
        small = int(headers.get("content-length", 10**9)) < 512
        assert small or headers.get("content-encoding") in ("gzip", "br"), f"{sent.path} is not compressed"


def check_static_headers(path: str, headers: dict[str, str]):
    """A static file: versioned URL, a year's immutable lifetime, compressed if text, no cookie."""
    assert "v=" in urlsplit(path).query, f"{path} is not versioned"
    assert headers.get("cache-control") == LONG_CACHE, f"{path}: Cache-Control {headers.get('cache-control')}"
    if headers.get("content-type", "").startswith(TEXT_TYPES):
        assert headers.get("content-encoding") in ("gzip", "br"), f"{path} is not compressed"
    assert "set-cookie" not in headers, f"{path} sets a cookie"
    assert "cookie" not in headers.get("vary", "").lower(), f"{path} varies by cookie: cached per session"


def test_first_load_of_today_and_a_repeat_load(phone, wire_server, app, make_user):
    server, _ = wire_server
    cookies = signed_in_cookies(phone, app, make_user)
    context = phone()
    context.add_cookies(cookies)
    recorder = Recorder(context)
    page = context.new_page()
    server.sent.clear()

    open_today(page, recorder)
    wait_offline_ready(page)
    wait_until_quiet(page, server)
    page_load = [item for item in recorder.transfers() if not item.by_worker and not item.after_load]
    page_bytes = sum(item.bytes for item in page_load)
    total = list(server.sent)
    print(summary("\nFirst load of Today: the page until its load event (the browser's count)",
                  [Sent(item.path, 200, {}, item.bytes) for item in page_load]))
    print(summary("First load with the worker's offline copy, until the network is quiet (the server's count)", total))
    for item in page_load:  # the browser counts what the server wrote
        if item.bytes:
            assert item.bytes in [sent.bytes for sent in total if sent.path == item.path], item
    assert page_bytes <= BUDGET, f"Today's first load moved {kb(page_bytes)}"
    # The worker's offline copy comes on top, in the background. It was 168 KB until it stopped
    # keeping the install-only icons and fetching each page twice (on activation and for the page).
    # The exercise drawings (static/figures/) have a budget of their own: at most 150 KB more.
    drawings = sum(item.bytes for item in total if item.path.startswith("/static/figures/"))
    assert sum(item.bytes for item in total) - drawings <= 100_000
    assert 0 < drawings <= FIGURES_BUDGET, f"the drawings added {kb(drawings)} to the offline copy"
    fetched = Counter(item.path for item in total)
    assert [path for path in ("/warmup", "/checkin", "/training") if fetched[path] != 1] == []
    # Installing keeps the offline page, already the signed-in runner's: adopting them (activation
    # and the page's hello, both at once) fetches it no second or third time.
    assert fetched["/offline"] == 1, f"the offline page was fetched {fetched['/offline']} times"
    for item in total:
        check_compressed(item)
        if item.path.startswith("/static/") and item.status == 200:
            check_static_headers(item.path, item.headers)

    for label, how in (("navigating to Today again", None), ("reloading Today", page.reload)):
        mark = recorder.mark()
        server.sent.clear()
        open_today(page, recorder, how)
        wait_offline_ready(page)
        wait_until_quiet(page, server)
        again = list(server.sent)
        print(summary(f"Repeat load ({label})", again))
        assert [item.path for item in again if is_static(item.path)] == [], f"{label}: static files fetched"
        moved = [item for item in recorder.transfers(mark) if is_static(item.path) and item.bytes]
        assert moved == [], f"{label}: static bytes over the network"
        assert "/today" in [item.path for item in again]  # the page itself is fresh from the server


def test_the_browser_cache_alone_keeps_static_files_across_visits_and_sessions(phone, wire_server, app, make_user):
    """With no service worker (blocked here; on a phone, before it has installed) the HTTP cache
    does it alone — also once the session cookie has changed, in a new tab."""
    server, _ = wire_server
    cookies = signed_in_cookies(phone, app, make_user)
    context = phone(service_workers="block")
    context.add_cookies(cookies)
    recorder = Recorder(context)
    page = context.new_page()
    server.sent.clear()
    open_today(page, recorder)
    wait_until_quiet(page, server)  # the favicon can still be on its way after the load event
    static = [item for item in server.sent if is_static(item.path)]
    assert len(static) >= 5, "the first load fetched the page's static files"
    for item in static:
        check_static_headers(item.path, item.headers)

    def flash_a_message():  # saving the profile flashes "Profile saved.": a new session cookie
        cookie = session_cookie(context)
        page.goto("/profile")
        page.get_by_role("button", name="Save profile").click()
        expect(page.get_by_text("Profile saved.")).to_be_visible()
        assert session_cookie(context) != cookie

    visits = (
        ("navigating to Today again", lambda: open_today(page, recorder)),
        ("reloading Today", lambda: open_today(page, recorder, page.reload)),
        ("after a flash message changed the session cookie", flash_a_message),
        ("in a new tab", lambda: open_today(context.new_page(), recorder)),
    )
    for label, visit in visits:
        mark = recorder.mark()
        server.sent.clear()
        visit()
        wait_until_quiet(page, server)
        again = list(server.sent)
        print(f"\n{summary(f'Repeat load without the worker ({label})', again)}")
        assert [item.path for item in again if is_static(item.path)] == [], f"{label}: static files fetched"
        moved = [item for item in recorder.transfers(mark) if is_static(item.path) and item.bytes]
        assert moved == [], f"{label}: static bytes over the network"


def session_cookie(context) -> str:
    return next(cookie["value"] for cookie in context.cookies() if cookie["name"] == "session")
