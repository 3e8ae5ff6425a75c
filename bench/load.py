"""Load test: 50 simulated athletes doing the daily loop and 5 coaches on their dashboards,
against the real app under gunicorn (the README's production command), for 60 seconds, then
a check that every acknowledged write is in the database; plus, in the same run, the
throughput of /healthz (a constant string) on the same server as the floor to compare with.

    .venv/bin/python bench/load.py                       # SQLite, then PostgreSQL if reachable
    .venv/bin/python bench/load.py --database sqlite --seconds 20
    .venv/bin/python bench/load.py --database postgresql --database-url postgresql+psycopg://…

Only loopback traffic; bounded in time; stops by itself.
"""
from __future__ import annotations

import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import CSRF, database_parser, gunicorn, on_each_database, prepare_database  # noqa: E402

PASSWORD = "load-test-password"
EXERCISE_FORM = re.compile(r'<form[^>]*action="(/training/sessions/\d+/exercises/[^"]+)"(.*?)</form>', re.S)


@dataclass
class Stats:
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: list = field(default_factory=list)
    acked: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, seconds: float) -> None:
        with self.lock:
            self.latencies[name].append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Browser:
    """One person's keep-alive connection with cookies, like a phone's browser."""

    def __init__(self, base: str, stats: Stats):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port, self.stats = parts.hostname, parts.port, stats
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.replayed = False

    def request(self, name: str, method: str, path: str, data: dict | list | None = None,
                expect=(200,), headers: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True) if data is not None else None
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.cut(name, error)
            return 0, "", ""
        self.stats.record(name, time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            key, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[key] = value
        if response.status not in expect:
            self.stats.error(f"{name}: HTTP {response.status} for {method} {path}")
        match = CSRF.search(text)
        if match:
            self.token = match.group(1)
        self.replayed = response.headers.get("Idempotent-Replayed") == "true"
        return response.status, response.headers.get("Location", ""), text

    def cut(self, name: str, error: Exception) -> None:
        """The connection broke before an answer: an error here (bench/crash.py expects some)."""
        self.stats.error(f"{name}: {error!r}")

    def sign_in(self, email: str) -> None:
        self.request("GET /signin", "GET", "/signin")
        self.request("POST /signin", "POST", "/signin",
                     {"email": email, "password": PASSWORD, "csrf_token": self.token}, expect=(303,))


def signed_in(base: str, emails: list[str], stats: Stats) -> dict[str, Browser]:
    """Everyone signs in, all at once, before the clock starts: a phone stays signed in (the
    remember-me cookie), so the daily loop does not include it; it is reported on its own."""
    browsers = {email: Browser(base, stats) for email in emails}
    threads = [threading.Thread(target=browsers[email].sign_in, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for browser in browsers.values():
        browser.connection.close()  # idle past the server's keep-alive: the loop opens a fresh one
    return browsers


def athlete_loop(browser: Browser, email: str, stats: Stats, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    browser.stats = stats
    while time.monotonic() < deadline:
        browser.request("GET /today", "GET", "/today")
        check_in(browser, stats, email, rng)
        warm_up(browser, stats, email)
        train(browser, stats, email)


def check_in(browser: Browser, stats: Stats, email: str, rng: random.Random) -> None:
    browser.request("GET /checkin", "GET", "/checkin")
    pain = rng.choice((0, 1, 2))
    data = {"pain_now": pain, "worst_pain": pain, "stiffness": "none", "swelling": "none",
            "csrf_token": browser.token}
    status, _, _ = browser.request("POST /checkin", "POST", "/checkin", data, expect=(303,))
    if status == 303:
        with stats.lock:
            stats.acked[email]["checkin_pain"] = pain  # the day's one check-in, last write wins


def warm_up(browser: Browser, stats: Stats, email: str) -> None:
    _, _, page = browser.request("GET /warmup", "GET", "/warmup")
    items = re.findall(r'name="done" value="([^"]+)"', page)
    built_for = re.search(r'name="built_for"[^>]*value="([^"]+)"', page)
    if not items or not built_for:
        stats.error("GET /warmup: no checklist on the page")
        return
    data = [("csrf_token", browser.token), ("built_for", built_for.group(1)), ("duration_seconds", "400")]
    data += [("done", slug) for slug in items]
    status, _, _ = browser.request("POST /warmup/finish", "POST", "/warmup/finish", data, expect=(303,))
    if status == 303:
        with stats.lock:
            stats.acked[email]["warmups"] += 1


def train(browser: Browser, stats: Stats, email: str) -> None:
    status, location, _ = browser.request("POST /training/sessions", "POST", "/training/sessions",
                                          {"kind": "strength", "csrf_token": browser.token}, expect=(303,))
    if status != 303:
        return
    session_path = urllib.parse.urlsplit(location).path
    _, _, page = browser.request("GET /training/sessions/<id>", "GET", session_path)
    for action, form in EXERCISE_FORM.findall(page):
        dose = {"seconds": "30"} if 'name="seconds"' in form else {"reps": "10"}
        browser.request("POST …/exercises/<slug>", "POST", action,
                        {"sets": "2", **dose, "pain": "0", "csrf_token": browser.token}, expect=(303,))
    status, _, _ = browser.request("POST …/finish", "POST", session_path + "/finish",
                                   {"csrf_token": browser.token}, expect=(303,))
    if status == 303:
        with stats.lock:
            stats.acked[email]["sessions"] += 1


def coach_loop(browser: Browser, stats: Stats, deadline: float) -> None:
    browser.stats = stats
    while time.monotonic() < deadline:
        browser.request("GET /coach", "GET", "/coach")
        time.sleep(0.5)  # a person looking at the board, not a scraper


def floor_loop(base: str, stats: Stats, deadline: float) -> None:
    browser = Browser(base, stats)
    while time.monotonic() < deadline:
        browser.request("GET /healthz", "GET", "/healthz")


def populate(env: dict, athletes: int, coaches: int) -> tuple[list[str], list[str]]:
    """Athletes and coaches for the run, each coach linked to a share of the athletes."""
    os.environ.update(env)
    from app import create_app
    from app.auth.passwords import hash_password
    from app.extensions import db
    from app.models import AthleteProfile, CoachLink, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    password_hash = hash_password(PASSWORD)
    with app.app_context():
        coach_users = [User(email=f"coach{i}@load.test", display_name=f"Coach {i}", password_hash=password_hash,
                            is_athlete=False, is_coach=True) for i in range(coaches)]
        athlete_users = [User(email=f"athlete{i}@load.test", display_name=f"Athlete {i}",
                              password_hash=password_hash) for i in range(athletes)]
        db.session.add_all(coach_users + athlete_users)
        db.session.flush()
        for i, user in enumerate(athlete_users):
            db.session.add(AthleteProfile(user_id=user.id, runner_type="general", knee_status="niggles",
                                          has_band=True, has_step=True, timezone="UTC"))
            db.session.add(CoachLink(coach_id=coach_users[i % coaches].id, athlete_id=user.id, status="active"))
        db.session.commit()
        result = [u.email for u in athlete_users], [u.email for u in coach_users]
        db.engine.dispose()
    return result


def verify(env: dict, stats: Stats) -> list[str]:
    """Every acknowledged write is in the database."""
    from app import create_app
    from app.extensions import db
    from app.models import CheckIn, TrainingSession, User, WarmupLog

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    problems = []
    with app.app_context():
        for email, acked in stats.acked.items():
            user = db.session.scalar(db.select(User).where(User.email == email))
            warmups = db.session.scalar(db.select(db.func.count()).where(WarmupLog.athlete_id == user.id))
            sessions = db.session.scalar(db.select(db.func.count()).where(
                TrainingSession.athlete_id == user.id, TrainingSession.finished_at.is_not(None)))
            pains = db.session.scalars(db.select(CheckIn.pain_now).where(CheckIn.athlete_id == user.id)).all()
            if warmups != acked["warmups"] or sessions != acked["sessions"]:
                problems.append(f"{email}: warm-ups {warmups}/{acked['warmups']}, sessions {sessions}/{acked['sessions']}")
            if "checkin_pain" in acked and pains != [acked["checkin_pain"]]:
                problems.append(f"{email}: check-ins {pains}, last acknowledged pain {acked['checkin_pain']}")
        db.engine.dispose()
    return problems


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else values[0] * 1000


def report(label: str, stats: Stats, seconds: float) -> None:
    print(f"\n{label}: {seconds:.0f} s")
    print(f"{'endpoint':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    total = 0
    for name, values in sorted(stats.latencies.items()):
        total += len(values)
        print(f"{name:<28}{len(values):>9}{len(values) / seconds:>9.1f}{percentile(values, 50):>9.1f}"
              f"{percentile(values, 95):>9.1f}{percentile(values, 99):>9.1f}")
    print(f"{'all':<28}{total:>9}{total / seconds:>9.1f}")


def run(database: str, database_url: str | None, athletes: int, coaches: int, seconds: float) -> bool:
    with tempfile.TemporaryDirectory() as workdir:
        env = prepare_database(database_url, Path(workdir))
        athlete_emails, coach_emails = populate(env, athletes, coaches)
        with gunicorn(env) as (base, _process):
            signin, stats = Stats(), Stats()
            signin_started = time.monotonic()
            browsers = signed_in(base, athlete_emails + coach_emails, signin)
            signin_seconds = time.monotonic() - signin_started
            deadline = time.monotonic() + seconds
            threads = [threading.Thread(target=athlete_loop, args=(browsers[e], e, stats, deadline, i))
                       for i, e in enumerate(athlete_emails)]
            threads += [threading.Thread(target=coach_loop, args=(browsers[e], stats, deadline)) for e in coach_emails]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            floor = Stats()
            floor_deadline = time.monotonic() + min(15.0, seconds)
            floor_threads = [threading.Thread(target=floor_loop, args=(base, floor, floor_deadline))
                             for _ in range(athletes)]
            for thread in floor_threads:
                thread.start()
            for thread in floor_threads:
                thread.join()
        report(f"{database}: before the clock, {athletes + coaches} people signing in at once", signin,
               signin_seconds)
        report(f"{database}: {athletes} athletes + {coaches} coaches", stats, elapsed)
        report(f"{database}: floor, {athletes} clients on /healthz", floor, min(15.0, seconds))
        problems = verify(env, stats)
        writes = sum(a["warmups"] + a["sessions"] + ("checkin_pain" in a) for a in stats.acked.values())
        stats.errors += signin.errors
        print(f"errors: {len(stats.errors) + len(floor.errors)}; acknowledged writes checked: {writes}; "
              f"missing or wrong: {len(problems)}")
        for line in (stats.errors + floor.errors + problems)[:20]:
            print("  " + line)
        return not (stats.errors or floor.errors or problems)


def main() -> int:
    parser = database_parser(__doc__)
    parser.add_argument("--athletes", type=int, default=50)
    parser.add_argument("--coaches", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    return on_each_database(args, lambda label, url: run(label, url, args.athletes, args.coaches, args.seconds))


if __name__ == "__main__":
    sys.exit(main())
