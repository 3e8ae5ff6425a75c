"""Throughput of every page a runner opens, and of the coach board, against the /healthz floor.

    .venv/bin/python bench/pages.py                      # SQLite; PostgreSQL too if BENCH_DATABASE_URL is set
    .venv/bin/python bench/pages.py --database sqlite --seconds 5
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/kneeready_pages make bench-pages

Starts gunicorn with the production config (gunicorn.conf.py: 4 workers x 2 threads) with its
access log off, on a free port, against a fresh demo database (`flask demo-data`: a coach and
three athletes with four weeks of history). SQLite lives in a temporary folder; PostgreSQL's
database (BENCH_DATABASE_URL or --database-url) has its `public` schema DROPPED and rebuilt, so
give the bench a database of its own. Signs in as the athlete Maya and as the coach, then runs
`wrk -t2 -c20 -d10s --latency` with the session cookie on /healthz (the floor: a constant string)
and on each page, and on the POSTs of the daily loop (a Lua script sends the form with the CSRF
token), one after another in the same run, the floor again after each page (on a shared machine
the floor alone moved 2,000 -> 4,500 req/s between two runs a minute apart). Each page runs
--rounds times (3), each round beside its floor, and the table shows the median round (one run
alone is a lottery: see _median_round): req/s, the ratio to the higher of the floors measured
either side of it, p99, and that floor's p99. Targets (issue 18): athlete pages >= 0.20x the floor, the
coach board >= 0.10x, p99 <= 10x the floor's p99.

The machine's load skews everything: run it when `uptime` is low, and compare ratios, not req/s.
Where a ratio goes: --server-cpu adds the CPU time one request costs gunicorn and PostgreSQL,
read from /proc around each wrk run (with the machine saturated, a page's rate is the machine's
CPU over the sum of those, and wrk's own):

    BENCH_DATABASE_URL=... .venv/bin/python bench/pages.py --database postgresql --only /checkin --server-cpu

Profiling a page, in process (one thread, the Flask test client, the same demo data, with CSRF
protection and the rate limiter on as under gunicorn):

    .venv/bin/python bench/pages.py --profile /checkin            # cProfile: top 40 by cumulative time
    .venv/bin/python bench/pages.py --profile /coach --as coach
    .venv/bin/python bench/pages.py --profile /today --pyinstrument   # its call tree (pip install pyinstrument)
    .venv/bin/python bench/pages.py --profile /today --database postgresql --sort tottime   # BENCH_DATABASE_URL
    .venv/bin/python bench/pages.py --profile "POST /checkin" --database postgresql   # a save, each a real change

The coach board of a big roster (issue 18: at 1,000 and 10,000 athletes x 90 days, >= 0.10x the
floor), built with bench/history.py into the same database before gunicorn starts, its cards
kept by one load in process (the cold build, minutes at 10,000, is bench/dashboard.py's to time):

    .venv/bin/python bench/pages.py --board 1000 --only /coach --seconds 5

CPU per request in process, to compare two commits fairly on a busy machine (best of 5 x 40):

    .venv/bin/python bench/pages.py --cpu /healthz,/today,/checkin,/warmup --repeat 40
    .venv/bin/python bench/pages.py --cpu /today --repeat 40 --database postgresql   # BENCH_DATABASE_URL
    .venv/bin/python bench/pages.py --cpu "POST /checkin" --repeat 40 --database postgresql

Instructions per request in process, counted by valgrind's callgrind: the same count for the same
code whatever the machine's load (two runs of a save agree within 0.3%), to compare two commits
exactly (about 30 s a path; Debian: apt-get install valgrind):

    .venv/bin/python bench/pages.py --instructions "POST /checkin,/today" --repeat 100 --database postgresql
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's app, not an installed one
from serve import CSRF, gunicorn, prepare_database, reset_postgres, signed_in_cookie  # noqa: E402

ATHLETE = "maya@demo.kneeready.app"
COACH = "coach@demo.kneeready.app"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SESSION_LINK = re.compile(r'href="(/training/sessions/\d+)"')
EXERCISE_LINK = re.compile(r'href="(/exercises/[a-z0-9-]+)"')
ATHLETE_PAGES = ("/today", "/checkin", "/warmup", "/training", "{session}", "/training/timeline",
                 "/checkin/history", "{exercise}")
BOARD_COACH, BOARD_PASSWORD, BOARD_DAYS = "coach@bench.example", "bench board password", 90  # --board
ATHLETE_TARGET, BOARD_TARGET, P99_TARGET = 0.20, 0.10, 10
# A complete, valid check-in (pain 1, no warning signs): posting it again updates today's.
CHECKIN_ANSWERS = {"pain_now": "1", "worst_pain": "1", "stiffness": "none", "swelling": "none",
                   "note": ""}


def main() -> int:
    args = _arguments()
    if args.profile:
        return profile(args)
    if args.cpu:
        return cpu(args)
    if args.instructions:
        return instructions(args)
    if args.counted:
        return counted(args)
    databases = [("SQLite", None)]
    pg_url = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    if args.database in ("postgresql", "both") and pg_url:
        databases.append(("PostgreSQL", pg_url))
    elif args.database == "postgresql":
        sys.exit("PostgreSQL needs --database-url or BENCH_DATABASE_URL (its public schema is reset)")
    if args.database == "postgresql":
        databases = databases[1:]
    print(f"load before: {_load_average()}", flush=True)
    for label, url in databases:
        rows = run(label, url, args)
        print(table(label, rows, args), flush=True)
    print(f"load after: {_load_average()}")
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--database-url", help="PostgreSQL URL of a database of the bench's own (schema reset)")
    parser.add_argument("--seconds", type=int, default=10, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="wrk runs of each page, each beside its floor; the table shows the median")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", help="comma-separated paths to run (besides /healthz)")
    parser.add_argument("--profile", metavar="PATH", help='profile one GET (or "POST /checkin") in process instead')
    parser.add_argument("--as", dest="who", choices=("athlete", "coach"), default="athlete")
    parser.add_argument("--cpu", metavar="PATHS",
                        help='CPU time per GET (or "POST /checkin") in process instead, for comma-separated paths')
    parser.add_argument("--instructions", metavar="PATHS",
                        help="instructions per request in process (valgrind's callgrind), for comma-separated paths")
    parser.add_argument("--counted", metavar="PATH", help=argparse.SUPPRESS)  # one path under callgrind
    parser.add_argument("--sort", default="cumulative", help="cProfile's order for --profile (e.g. tottime)")
    parser.add_argument("--pyinstrument", action="store_true", help="pyinstrument's tree instead of cProfile")
    parser.add_argument("--board", type=int, metavar="ATHLETES",
                        help="also a coach with this many athletes x 90 days, and wrk on their board")
    parser.add_argument("--server-cpu", action="store_true",
                        help="also the CPU time each request costs gunicorn and PostgreSQL, read from /proc")
    parser.add_argument("--repeat", type=int, default=50,
                        help="requests profiled (--profile), per round (--cpu), or counted (--instructions)")
    return parser.parse_args()


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(label: str, database_url: str | None, args) -> list[dict]:
    """Every target on one database, one after another, against one gunicorn."""
    with tempfile.TemporaryDirectory(prefix="kneeready-pages-") as workdir:
        env = prepare_database(database_url, Path(workdir))
        env["GUNICORN_ACCESS_LOG"] = ""  # gunicorn.conf.py: access log off
        if args.board:
            print(f"{label}: building a coach with {args.board:,} athletes × {BOARD_DAYS} days …", flush=True)
            print(f"{label}: {_build_board(env['DATABASE_URL'], args.board)}", flush=True)
        with gunicorn(env) as (base, process):
            if args.server_cpu:
                args.meter = ServerCPU(process.pid, database_url)
            athlete = signed_in_cookie(base, ATHLETE)
            coach = signed_in_cookie(base, COACH)
            targets = _targets(base, athlete, coach, Path(workdir))
            if args.board:
                big = signed_in_cookie(base, BOARD_COACH, BOARD_PASSWORD)
                targets.append({"name": f"GET /coach ({args.board:,} athletes)", "path": "/coach",
                                "cookie": big, "kind": "board"})
            if args.only:
                wanted = set(args.only.split(","))
                targets = [t for t in targets if t["name"] == "GET /healthz" or t["path"] in wanted]
            floor, pages = targets[0], targets[1:]
            wrk(base, floor, args, seconds=1)  # warm-up, not counted
            floors = [wrk(base, floor, args)]
            rows = []
            for target in pages:
                print(f"{label}: {target['name']} …", flush=True)
                wrk(base, target, args, seconds=1)  # warm-up, not counted: every worker compiles its templates
                rounds = []
                for _ in range(args.rounds):
                    measured = wrk(base, target, args)
                    # The floor again right after: a neighbour's load moves both, so each page is
                    # compared with the floor measured on either side of it, the higher of the two
                    # (the lottery in _median_round can only pull a floor down, never up).
                    floors.append(wrk(base, floor, args))
                    rounds.append({**target, **measured, "floor": max(floors[-2:], key=lambda f: f["rps"])})
                rows.append(_median_round(rounds))
    return [{**floor, **_mean(floors), "floor": _mean(floors), "floors": [f["rps"] for f in floors]}, *rows]


def _median_round(rounds: list[dict]) -> dict:
    """The round whose ratio to its floor is the median, with every round's ratio beside it.

    A single wrk run is a lottery: wrk opens its 20 connections at once, and gunicorn's gthread
    workers accept greedily, so now and then one worker takes all 20 and the server runs on one
    core (seen with `ss -tnp`: a POST at 233 req/s with [20] connections on one worker, 520-550
    with any other spread). The floor draws the same lottery. The median of three rounds is a
    run where the connections were spread as they usually are."""
    ordered = sorted(rounds, key=lambda r: r["rps"] / r["floor"]["rps"])
    return {**ordered[len(ordered) // 2], "ratios": [r["rps"] / r["floor"]["rps"] for r in rounds]}


def _mean(runs: list[dict]) -> dict:
    return {key: sum(run[key] for run in runs) / len(runs) for key in ("rps", "p50", "p99", "app_ms", "db_ms")
            if runs[0].get(key) is not None}


def _build_board(database_url: str, athletes: int) -> str:
    """A coach with `athletes` athletes and BOARD_DAYS days of history each, their board cards
    kept (one load, in process); how long that took."""
    from sqlalchemy import text

    from app import create_app
    from app.auth.passwords import hash_password
    from app.coach import kept_cards
    from app.extensions import db
    from app.models import User
    from history import build

    started = time.perf_counter()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        coach_id = build(athletes, BOARD_DAYS, date.today(), password_hash=hash_password(BOARD_PASSWORD))
        db.session.execute(text("ANALYZE"))  # as after any bulk load: the planner needs statistics
        db.session.commit()
        built = time.perf_counter()
        kept_cards.board_page(db.session.get(User, coach_id))  # the cold load: every card built and kept
        db.session.commit()
        # The cards are a bulk load too: without statistics PostgreSQL takes 10,000 kept cards for a
        # handful and sorts them (autovacuum would analyse them within a minute of a real load).
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return f"history in {built - started:.0f} s, every card kept in {time.perf_counter() - built:.0f} s"


def _get(base: str, path: str, cookie: str) -> str:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def _targets(base: str, athlete: str, coach: str, workdir: Path) -> list[dict]:
    """What wrk runs: the floor, the athlete's pages, the daily loop's POSTs, the board."""
    training = _get(base, "/training", athlete) + _get(base, "/training/timeline", athlete)
    links = {"{session}": SESSION_LINK.search(training).group(1),
             "{exercise}": EXERCISE_LINK.search(_get(base, "/exercises/", athlete)).group(1)}
    targets = [{"name": "GET /healthz", "path": "/healthz", "cookie": "", "kind": "floor"}]
    for page in ATHLETE_PAGES:
        path = links.get(page, page)
        targets.append({"name": f"GET {path}", "path": path, "cookie": athlete, "kind": "athlete"})
    form_page = _get(base, "/checkin", athlete)
    token = CSRF.search(form_page).group(1)
    answers = dict(CHECKIN_ANSWERS)
    if 'name="after_session"' in form_page:
        answers["after_session"] = "same"
    body = urllib.parse.urlencode({**answers, "csrf_token": token})
    for path, headers, expect in (("/checkin", {}, 303), ("/checkin/verdict", {"HX-Request": "true"}, 200)):
        script = workdir / f"post{len(targets)}.lua"
        # Saving: every post a real change, not the same answers again (which write nothing).
        changing = path == "/checkin"
        script.write_text(_lua_post(body, {**headers, "X-CSRFToken": token}, changing))
        status = _post_once(base, path, body, athlete, headers)
        if status != expect:
            raise SystemExit(f"POST {path} answered {status}, not {expect}: the bench's form is out of date")
        targets.append({"name": f"POST {path}", "path": path, "cookie": athlete, "kind": "athlete",
                        "script": str(script)})
    targets.append({"name": "GET /coach", "path": "/coach", "cookie": coach, "kind": "board"})
    return targets


def _lua_post(body: str, headers: dict, changing: bool = False) -> str:
    """wrk's script for a POST of `body`. `changing`: each request changes today's check-in: its
    pain alternates 1, 2, 1, … and its note counts up, per wrk thread (ids from setup), so that
    every save is an UPDATE of the row and clears what is kept for the athlete."""
    lines = ['wrk.method = "POST"', f"wrk.body = {_lua_string(body)}",
             'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"']
    lines += [f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()]
    if changing:
        fixed = "&".join(pair for pair in body.split("&") if not pair.startswith(("pain_now=", "note=")))
        lines += ["local threads = 0",
                  'function setup(thread) threads = threads + 1; thread:set("id", threads) end',
                  "local sent = 0",
                  "function request()",
                  "  sent = sent + 1",
                  f"  return wrk.format(nil, nil, nil, {_lua_string(fixed)} .. \"&pain_now=\" .. (1 + sent % 2)"
                  ' .. "&note=bench+" .. id .. "-" .. sent)',
                  "end"]
    return "\n".join(lines) + "\n"


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_once(base: str, path: str, body: str, cookie: str, headers: dict) -> int:
    request = urllib.request.Request(base + path, data=body.encode(), method="POST", headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", **headers})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(base: str, target: dict, args, seconds: int | None = None) -> dict:
    """One wrk run: requests per second, p50 and p99 in ms, and answers that were errors."""
    command = [WRK, f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds or args.seconds}s", "--latency"]
    if target["cookie"]:
        command += ["-H", f"Cookie: {target['cookie']}"]
    if "script" in target:
        command += ["-s", target["script"]]
    meter = getattr(args, "meter", None)
    before = meter.read() if meter else None
    output = subprocess.run([*command, base + target["path"]], capture_output=True, text=True, check=True).stdout
    latency = {share: float(value) * UNITS[unit] for share, value, unit in LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
              "p50": latency["50"], "p99": latency["99"], "errors": int(errors.group(1)) if errors else 0}
    if meter:
        requests = int(re.search(r"(\d+) requests in", output).group(1))
        result["app_ms"], result["db_ms"] = meter.per_request(before, meter.read(), requests)
    return result


class ServerCPU:
    """CPU time (user and system) of the server's processes, read from /proc around each wrk run:
    gunicorn's master and workers, and PostgreSQL's backends serving the bench's database (SQLite
    runs inside the workers). With the machine saturated, a page's rate is the machine's CPU
    divided by what one request costs all of them, so these say where a ratio goes."""

    def __init__(self, gunicorn_pid: int, database_url: str | None):
        self.gunicorn_pid = gunicorn_pid
        self.database = urllib.parse.urlsplit(database_url).path.lstrip("/") if database_url else None
        self.hertz = os.sysconf("SC_CLK_TCK")

    def read(self) -> dict[int, tuple[str, int]]:
        """Each server process: its group ("app" or "db") and its CPU ticks so far."""
        found = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:  # gone meanwhile
                continue
            pid, parent, ticks = int(entry.name), int(fields[1]), int(fields[11]) + int(fields[12])
            if pid == self.gunicorn_pid or parent == self.gunicorn_pid:
                found[pid] = ("app", ticks)
            elif self.database and command.startswith("postgres:") and f" {self.database} " in command:
                found[pid] = ("db", ticks)
        return found

    def per_request(self, before: dict, after: dict, requests: int) -> tuple[float, float | None]:
        """Milliseconds of CPU per request for the app and for the database (None: SQLite's is the app's)."""
        spent = {"app": 0, "db": 0}
        for pid, (group, ticks) in after.items():
            spent[group] += ticks - before.get(pid, (group, 0))[1]
        app, db = (spent[group] / self.hertz * 1000 / max(requests, 1) for group in ("app", "db"))
        return app, db if self.database else None


def table(label: str, rows: list[dict], args) -> str:
    floor = next(row for row in rows if row["kind"] == "floor")
    spread = ", ".join(f"{rps:.0f}" for rps in floor["floors"])
    lines = [f"\n{label}, `wrk -t{args.threads} -c{args.connections} -d{args.seconds}s` × {args.rounds}, load {_load_average()}",
             f"floor: GET /healthz before the first page and after each round, req/s: {spread}; a page's ratio is to "
             f"the higher of the two floors beside it, the median of {args.rounds} rounds (every round's in brackets)\n",
             "| page | req/s | floor beside it | ratio to floor | p99 | p99 / floor's p99 | target |"
             + (" app CPU / request | database CPU / request |" if args.server_cpu else ""),
             "|---|---|---|---|---|---|---|" + ("---|---|" if args.server_cpu else "")]
    for row in rows:
        beside = row["floor"]
        ratio = row["rps"] / beside["rps"]
        target = {"floor": None, "athlete": ATHLETE_TARGET, "board": BOARD_TARGET}[row["kind"]]
        verdict = "" if target is None else (
            "ok" if ratio >= target and row["p99"] <= P99_TARGET * beside["p99"] else f"MISS (≥ {target:.2f}x)")
        errors = f" ({row['errors']} errors)" if row.get("errors") else ""
        spread = "" if len(row.get("ratios", ())) < 2 else " (" + ", ".join(f"{r:.3f}" for r in row["ratios"]) + ")"
        database = "—" if row.get("db_ms") is None else f"{row['db_ms']:.2f} ms"
        cpu = f" {row['app_ms']:.2f} ms | {database} |" if args.server_cpu else ""
        lines.append(f"| {row['name']}{errors} | {row['rps']:.1f} | {beside['rps']:.0f} | {ratio:.3f}{spread} "
                     f"| {row['p99']:.0f} ms | {row['p99'] / beside['p99']:.1f} | {verdict} |{cpu}")
    return "\n".join(lines)


@contextmanager
def demo_client(who: str, database_url: str | None = None):
    """A Flask test client signed in as the demo athlete or coach, on a fresh demo database
    (SQLite in a temporary folder, or PostgreSQL with its public schema reset)."""
    from app import create_app
    from app.demo import create_demo_data
    from app.extensions import db
    from app.models import User

    with tempfile.TemporaryDirectory(prefix="kneeready-profile-") as workdir:
        if database_url:
            reset_postgres(database_url)
        # As gunicorn runs it: CSRF protection and the rate limiter on (a save checks its token,
        # and every request asks the limiter), or a profile leaves out part of every request's cost.
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{workdir}/p.sqlite3",
                          "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            create_demo_data("kneeready-demo")
            email = COACH if who == "coach" else ATHLETE
            user_id = db.session.scalar(db.select(User.id).where(User.email == email))
            alternative = db.session.get(User, user_id).get_id()
        signing_in = app.test_client()
        with signing_in.session_transaction() as session:
            session["_user_id"], session["_fresh"] = alternative, True
        assert signing_in.get("/account").status_code == 200  # the session as signing in leaves it
        # As wrk sends it: one fixed Cookie header, each answer's Set-Cookie ignored. A client that
        # kept cookies would parse every save's (its flash), and --instructions would count that too.
        client = app.test_client(use_cookies=False)
        client.environ_base["HTTP_COOKIE"] = f"session={signing_in.get_cookie('session').value}"
        yield client
        if database_url:
            with app.app_context():
                db.engine.dispose()


def profile(args) -> int:
    """Profile GET args.profile in process, as the demo athlete or coach, on a fresh demo database
    (SQLite, or with --database postgresql BENCH_DATABASE_URL's)."""
    with demo_client(args.who, _profiled_database(args)) as client:
        for _ in range(5):  # warm up: templates compiled, caches filled
            _request(client, args.profile)
        started = time.perf_counter()
        if not args.pyinstrument:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                _request(client, args.profile)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
        else:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(args.repeat):
                _request(client, args.profile)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(f"{args.profile}: {(time.perf_counter() - started) * 1000 / args.repeat:.1f} ms a request "
              f"(profiled, {args.repeat} requests)")
    return 0


def _request(client, path: str) -> None:
    """One request of --profile or --cpu: a GET of `path`, or with "POST /checkin" a save of
    today's check-in whose pain alternates 1, 2, 1, ... and whose note counts up, so that every
    save changes the row. As under wrk (_lua_post), each save is sent with the same session
    cookie (demo_client's): the flash it adds is not kept (kept, 200 unread flashes would make the
    cookie the cost)."""
    if path != "POST /checkin":
        assert client.get(path).status_code == 200, path
        return
    if not hasattr(client, "csrf_token"):  # the token the check-in page gives, as a browser would send it
        client.csrf_token = CSRF.search(client.get("/checkin").get_data(as_text=True)).group(1)
    client.saves = getattr(client, "saves", 0) + 1
    answers = {**CHECKIN_ANSWERS, "pain_now": str(1 + client.saves % 2), "note": f"bench {client.saves}",
               "after_session": "same", "csrf_token": client.csrf_token}
    assert client.post("/checkin", data=answers).status_code == 303, path


def _profiled_database(args) -> str | None:
    """The PostgreSQL URL --profile and --cpu run on (--database postgresql), or None: SQLite."""
    return args.database_url or os.environ.get("BENCH_DATABASE_URL") if args.database == "postgresql" else None


def cpu(args) -> int:
    """CPU time per GET in process (this process only: the database server's share is not in
    it), best of 5 rounds of --repeat requests, for each comma-separated path of --cpu. Unlike
    wrk it hardly feels the machine's load, so it compares two commits fairly."""
    paths = [path.strip() for path in args.cpu.split(",") if path.strip()]
    url = _profiled_database(args)
    with demo_client(args.who, url) as client:
        for path in paths:
            for _ in range(10):  # warm up: templates compiled, caches filled
                _request(client, path)
        results = []
        for path in paths:
            rounds = []
            for _ in range(5):
                started = time.process_time()
                for _ in range(args.repeat):
                    _request(client, path)
                rounds.append((time.process_time() - started) * 1000 / args.repeat)
            results.append(f"{path} {min(rounds):.2f} ms")
    print(f"{'PostgreSQL' if url else 'SQLite'}, CPU per request, best of 5 x {args.repeat}: " + " | ".join(results))
    return 0


def instructions(args) -> int:
    """Instructions per request in process, counted by valgrind's callgrind, for each comma-separated
    path of --instructions. The count is the same for the same code, data and requests whatever
    else the machine is doing (two runs of a save agree within 0.3%), so it compares two commits
    where --cpu's milliseconds drift with the machine's load. Like --cpu it leaves out the database
    server's share. Each path runs in a process of its own under callgrind (about 30 s), which
    counts only the --repeat requests after the warm-up."""
    valgrind, control = shutil.which("valgrind"), shutil.which("callgrind_control")
    if valgrind is None or control is None:
        sys.exit("--instructions needs valgrind and its callgrind_control (Debian: apt-get install valgrind)")
    results = []
    for path in (path.strip() for path in args.instructions.split(",") if path.strip()):
        with tempfile.TemporaryDirectory(prefix="kneeready-callgrind-") as folder:
            log = Path(folder, "valgrind.log")
            command = [valgrind, "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={folder}/out",
                       f"--log-file={log}", sys.executable, __file__, "--counted", path, "--repeat", str(args.repeat),
                       "--database", args.database, "--as", args.who]
            subprocess.run(command + (["--database-url", args.database_url] if args.database_url else []), check=True)
            collected = re.search(r"Collected : ([\d,]+)", log.read_text())
            if collected is None:
                sys.exit(f"callgrind counted nothing for {path}:\n{log.read_text()[-2000:]}")
            results.append(f"{path} {int(collected.group(1).replace(',', '')) / args.repeat:,.0f}")
    label = "PostgreSQL" if _profiled_database(args) else "SQLite"
    print(f"{label}, instructions per request (callgrind, {args.repeat} requests): " + " | ".join(results))
    return 0


def counted(args) -> int:
    """The process --instructions runs under callgrind: warm up, then turn counting on for exactly
    --repeat requests of one path."""
    with demo_client(args.who, _profiled_database(args)) as client:
        for _ in range(10):  # warm up: templates compiled, caches filled
            _request(client, args.counted)
        _callgrind("on")
        for _ in range(args.repeat):
            _request(client, args.counted)
        _callgrind("off")
    return 0


def _callgrind(state: str) -> None:
    subprocess.run(["callgrind_control", "--instr=" + state, str(os.getpid())], check=True, capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
