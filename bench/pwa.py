"""The offline app, measured against gunicorn with the demo data (SQLite), in Debian's chromium:
what a phone downloads to work offline, how fast the kept pages open with no signal, and how
long a queue of writes made offline takes to sync (and that each is stored exactly once).

    .venv/bin/python bench/pwa.py [--writes 30]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import gunicorn, prepare_database  # noqa: E402

ATHLETE = "maya@demo.kneeready.app"
PASSWORD = "kneeready-demo"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
OFFLINE_OPENS = 10

QUEUE = """async ({count}) => {
  const form = document.querySelector("form[data-warmup]");
  form.querySelectorAll('input[name="done"]').forEach(box => { box.checked = true; });
  const body = new URLSearchParams(new FormData(form)).toString();
  const user = document.getElementById("pwa-settings").dataset.user;
  for (let i = 0; i < count; i++) {
    await KneeReadyOutbox.queue({key: "bench-" + i + "-" + crypto.randomUUID(), body, user, label: "Warm-up",
      url: form.action.replace(location.origin, ""), created: Date.now() + i, state: "waiting", status: 0});
  }
}"""


def precache_size(base: str) -> tuple[int, int, int]:
    """(files, bytes as sent gzipped, bytes unpacked) of what the worker precaches."""
    first = urllib.request.urlopen(base + "/sw.js").read().decode().split("\n", 1)[0]
    urls = json.loads(first.removeprefix("self.KNEEREADY = ").removesuffix(";"))["precache"]
    sent = unpacked = 0
    for url in urls:
        request = urllib.request.Request(base + url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            gzipped = response.headers.get("Content-Encoding") == "gzip"
        sent += len(body)
        unpacked += len(gzip.decompress(body) if gzipped else body)
    return len(urls), sent, unpacked


def sign_in(page) -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(ATHLETE)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("html[data-offline-ready]", state="attached")


def ensure_warmup(page) -> None:
    """Today's check-in, so the warm-up checklist is there to finish (the quick check if needed)."""
    page.goto("/warmup")
    if page.locator("form[data-warmup]").count() == 0:
        page.locator("#pain_now").get_by_role("radio", name="1", exact=True).check()
        page.get_by_role("radio", name="No swelling").check()
        page.get_by_role("radio", name="None of these").check()
        page.get_by_role("button", name="Build my warm-up").click()
        page.wait_for_selector("form[data-warmup]")


def offline_opens(page, path: str) -> list[float]:
    """Milliseconds to load a kept page with no signal (navigation timing), OFFLINE_OPENS times."""
    page.context.set_offline(True)
    timings = []
    for _ in range(OFFLINE_OPENS):
        page.goto(path)
        timings.append(page.evaluate("performance.getEntriesByType('navigation')[0].duration"))
    page.context.set_offline(False)
    return timings


def sync_time(page, count: int) -> float:
    """Seconds from the signal coming back to `count` queued writes all stored."""
    page.goto("/warmup")
    page.context.set_offline(True)
    page.evaluate(QUEUE, {"count": count})
    page.evaluate("document.dispatchEvent(new Event('htmx:afterSettle'))")  # show the queue
    page.wait_for_function("n => document.getElementById('sync-status').dataset.pending === String(n)", arg=count)
    started = time.monotonic()
    page.context.set_offline(False)
    page.wait_for_function("() => document.getElementById('sync-status').dataset.pending === '0'",
                           timeout=120_000)
    return time.monotonic() - started


def warmup_logs(env: dict) -> int:
    import sqlalchemy

    engine = sqlalchemy.create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        count = connection.exec_driver_sql("SELECT count(*) FROM warmup_logs").scalar()
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=30, help="writes queued offline, then synced")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as workdir:
        env = prepare_database(None, Path(workdir))
        with gunicorn(env) as (base, _), sync_playwright() as playwright:
            files, sent, unpacked = precache_size(base)
            print(f"precache: {files} files, {sent / 1024:.0f} KiB sent (gzip), {unpacked / 1024:.0f} KiB unpacked")
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base)
            page = context.new_page()
            sign_in(page)
            ensure_warmup(page)
            for path in ("/today", "/warmup", "/checkin"):
                opens = offline_opens(page, path)
                print(f"offline open {path}: median {statistics.median(opens):.0f} ms, max {max(opens):.0f} ms "
                      f"({OFFLINE_OPENS} loads)")
            before = warmup_logs(env)
            seconds = sync_time(page, args.writes)
            stored = warmup_logs(env) - before
            print(f"sync: {args.writes} queued warm-ups stored in {seconds:.2f} s; "
                  f"{stored} new rows (exactly once: {stored == args.writes})")
            browser.close()


if __name__ == "__main__":
    main()
