"""Crash test: kill -9 gunicorn workers while athletes are writing, then prove nothing
acknowledged was lost and nothing was stored twice.

Athletes (threads, one keep-alive connection each) loop through the writes a phone makes —
a check-in (an update after the first), a warm-up (a new row), an exercise log and a
session finish (several rows in one transaction) — each with an Idempotency-Key, as the
phone's outbox sends them. Meanwhile a worker of the README's production gunicorn is sent
SIGKILL every couple of seconds; the master starts a new one. A write whose connection dies
is sent again with the same key until it is answered, as the outbox does. Afterwards:

- SQLite: `PRAGMA integrity_check` says ok and `PRAGMA foreign_key_check` finds nothing;
- both databases: every acknowledged write is there, exactly once (warm-ups and finished
  sessions counted per athlete, each check-in holding the last answer acknowledged).

    .venv/bin/python bench/crash.py                     # SQLite, then PostgreSQL
    .venv/bin/python bench/crash.py --database sqlite --seconds 20 --interval 1

Only loopback traffic; bounded in time; stops by itself.
"""
from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import (EXERCISE_FORM, PASSWORD, Browser, Stats,  # noqa: E402
                  populate, verify)
from serve import database_parser, gunicorn, on_each_database, prepare_database  # noqa: E402

ACKNOWLEDGED = (200, 204, 303)


class PhoneOutbox(Browser):
    """A browser whose cut connections are expected: it counts them and sends the write again."""

    def __init__(self, base: str, stats: Stats, counts: dict):
        super().__init__(base, stats)
        self.counts = counts

    def cut(self, name: str, error: Exception) -> None:
        with self.stats.lock:
            self.counts["cut"] += 1

    def sign_in(self, email: str) -> None:
        """Sign in, again if a kill cut the answer off."""
        for _ in range(50):
            self.request("GET /signin", "GET", "/signin", expect=(200, 0))
            status, _, _ = self.request("POST /signin", "POST", "/signin",
                                        {"email": email, "password": PASSWORD, "csrf_token": self.token},
                                        expect=(303, 0))
            if status == 303:
                return
        self.stats.error(f"{email}: could not sign in")

    def send(self, name: str, path: str, data: dict | list, deadline: float) -> int:
        """POST with one Idempotency-Key until the server answers; the answer's status."""
        key = uuid.uuid4().hex
        while time.monotonic() < deadline + 30:
            if isinstance(data, dict):
                data = {**data, "csrf_token": self.token}
            status, _, _ = self.request(name, "POST", path, data, expect=ACKNOWLEDGED + (0, 502),
                                        headers={"Idempotency-Key": key, "KneeReady-Sync": "1"})
            if status in ACKNOWLEDGED:
                if self.replayed:
                    with self.stats.lock:
                        self.counts["replayed"] += 1
                return status
            if status not in (0, 502):
                return status
            with self.stats.lock:
                self.counts["resent"] += 1
            time.sleep(0.05)
        self.stats.error(f"{name}: never answered")
        return 0


def athlete_loop(base: str, email: str, stats: Stats, counts: dict, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    phone = PhoneOutbox(base, stats, counts)
    phone.sign_in(email)
    while time.monotonic() < deadline:
        check_in(phone, email, rng, deadline)
        warm_up(phone, email, deadline)
        train(phone, email, deadline)


def check_in(phone: PhoneOutbox, email: str, rng: random.Random, deadline: float) -> None:
    pain = rng.choice((0, 1, 2))
    phone.request("GET /checkin", "GET", "/checkin", expect=(200, 0, 502))
    data = {"pain_now": pain, "worst_pain": pain, "stiffness": "none", "swelling": "none"}
    if phone.send("POST /checkin", "/checkin", data, deadline) in ACKNOWLEDGED:
        with phone.stats.lock:
            phone.stats.acked[email]["checkin_pain"] = pain


def warm_up(phone: PhoneOutbox, email: str, deadline: float) -> None:
    _, _, page = phone.request("GET /warmup", "GET", "/warmup", expect=(200, 0, 502))
    items = re.findall(r'name="done" value="([^"]+)"', page)
    built_for = re.search(r'name="built_for"[^>]*value="([^"]+)"', page)
    if not items or not built_for:
        return  # the page was cut off by a kill: try again next round
    data = [("csrf_token", phone.token), ("built_for", built_for.group(1)), ("duration_seconds", "400")]
    data += [("done", slug) for slug in items]
    if phone.send("POST /warmup/finish", "/warmup/finish", data, deadline) in ACKNOWLEDGED:
        with phone.stats.lock:
            phone.stats.acked[email]["warmups"] += 1


def train(phone: PhoneOutbox, email: str, deadline: float) -> None:
    status, location, _ = phone.request("POST /training/sessions", "POST", "/training/sessions",
                                        {"kind": "strength", "csrf_token": phone.token}, expect=(303, 0, 502))
    if status != 303:
        return  # cut off: starting again finds the open session or makes a new one
    session_path = urllib.parse.urlsplit(location).path
    _, _, page = phone.request("GET /training/sessions/<id>", "GET", session_path, expect=(200, 0, 502))
    forms = EXERCISE_FORM.findall(page)
    if not forms:
        return
    for action, form in forms:
        dose = {"seconds": "30"} if 'name="seconds"' in form else {"reps": "10"}
        phone.send("POST …/exercises/<slug>", action, {"sets": "2", **dose, "pain": "0"}, deadline)
    if phone.send("POST …/finish", session_path + "/finish", {}, deadline) in ACKNOWLEDGED:
        with phone.stats.lock:
            phone.stats.acked[email]["sessions"] += 1


def workers_of(master: int) -> list[int]:
    """The worker processes gunicorn's master has forked (read from /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(entry.name))
    return children


def killer(master: int, deadline: float, interval: float, killed: list, rng: random.Random) -> None:
    time.sleep(interval)
    while time.monotonic() < deadline - interval / 2:
        workers = workers_of(master)
        if workers:
            victim = rng.choice(workers)
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        time.sleep(interval)


def sqlite_checks(database_url: str) -> list[str]:
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
    print(f"PRAGMA integrity_check: {', '.join(integrity)}; PRAGMA foreign_key_check: {len(orphans)} rows")
    return ([] if integrity == ["ok"] else [f"integrity_check: {integrity}"]) + \
        [f"foreign key broken: {row}" for row in orphans]


def run(database: str, database_url: str | None, athletes: int, seconds: float, interval: float) -> bool:
    with tempfile.TemporaryDirectory() as workdir:
        env = prepare_database(database_url, Path(workdir))
        emails, _ = populate(env, athletes, 1)
        stats, counts, killed = Stats(), {"cut": 0, "resent": 0, "replayed": 0}, []
        with gunicorn(env) as (base, process):
            deadline = time.monotonic() + seconds
            threads = [threading.Thread(target=athlete_loop, args=(base, e, stats, counts, deadline, i))
                       for i, e in enumerate(emails)]
            threads.append(threading.Thread(target=killer, args=(process.pid, deadline, interval, killed,
                                                                 random.Random(7))))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        problems = verify(env, stats)
        if database_url is None:
            problems += sqlite_checks(env["DATABASE_URL"])
        writes = sum(a["warmups"] + a["sessions"] + ("checkin_pain" in a) for a in stats.acked.values())
        requests = sum(len(v) for v in stats.latencies.values())
        print(f"\n{database}: {athletes} athletes, {seconds:.0f} s, {len(killed)} workers killed with SIGKILL")
        print(f"requests answered: {requests}; connections cut by a kill: {counts['cut']}; writes sent again "
              f"with their key: {counts['resent']}; of those answered as already stored: {counts['replayed']}")
        print(f"acknowledged writes checked: {writes}; missing, doubled or wrong: {len(problems)}; "
              f"errors: {len(stats.errors)}")
        for line in (stats.errors + problems)[:20]:
            print("  " + line)
        return bool(killed) and not (stats.errors or problems)


def main() -> int:
    parser = database_parser(__doc__)
    parser.add_argument("--athletes", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--interval", type=float, default=2, help="seconds between kills")
    args = parser.parse_args()
    return on_each_database(args, lambda label, url: run(label, url, args.athletes, args.seconds, args.interval))


if __name__ == "__main__":
    sys.exit(main())
