"""How fast the coach's dashboard renders for a coach with many athletes.

    .venv/bin/python bench/dashboard.py [--athletes 1000] [--days 90] [--renders 40]
                                        [--database-url postgresql+psycopg://…/db] [--sqlite-only]

Builds a coach with `--athletes` athletes and `--days` days of history each (bulk inserts), then
times GET /coach through the app: the first (cold) load that computes every progress snapshot,
warm loads, the 30 s poll of an unchanged board (a 304), a search by name, and loads after 10
athletes have each written a check-in. Prints p50 and p95 per database, and the size of the
page and of the poll's answer. The board shows its first 50 cards however many athletes there
are (`--athletes 10000` for the big coach). SQLite runs in a temporary file; PostgreSQL (from --database-url or
BENCH_DATABASE_URL) in a schema of its own, `kneeready_bench`, dropped afterwards, so any
database can host it without touching its tables.
"""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.library.loader import sync_exercises  # noqa: E402
from app.models import CheckIn  # noqa: E402
from bench.history import build  # noqa: E402

SCHEMA = "kneeready_bench"
TARGET_P95_MS = 150
WRITERS_PER_ROUND = 10


def main() -> None:
    args = _arguments()
    folder = Path(tempfile.mkdtemp(prefix="kneeready-bench-"))
    try:
        results = [run("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", args)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    pg_url = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    if pg_url and not args.sqlite_only:
        results.append(run("PostgreSQL", _in_bench_schema(pg_url), args, schema=True))
    elif not args.sqlite_only:
        print("PostgreSQL skipped: pass --database-url or set BENCH_DATABASE_URL.")
    _report(results, args)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--athletes", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--renders", type=int, default=40, help="timed loads per scenario")
    parser.add_argument("--database-url", help="a PostgreSQL URL (the bench uses a schema of its own in it)")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print every timing")
    return parser.parse_args()


def run(label: str, url: str, args, schema: bool = False) -> dict:
    """Build the data on one database and time the dashboard there."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "TESTING": True})
    with app.app_context():
        _fresh_schema(schema)
        started = time.perf_counter()
        coach = build(args.athletes, args.days, date.today())
        db.session.execute(text("ANALYZE"))  # as after any bulk load: the planner needs statistics
        db.session.commit()
        print(f"{label}: built {args.athletes} athletes × {args.days} days in {time.perf_counter() - started:.1f} s"
              f" ({_row_counts()})", flush=True)
    try:
        return _time_dashboard(label, app, coach, args.renders)
    finally:
        with app.app_context():
            if schema:
                db.session.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
                db.session.commit()
            db.engine.dispose()


def _time_dashboard(label: str, app, coach_id: int, renders: int) -> dict:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = "bench-coach", True
    gc.collect()
    gc.freeze()  # as gunicorn.conf.py does before forking workers: the app's objects leave the GC's scans
    cold, queries, _ = _load(app, client)
    warm = [_load(app, client)[0] for _ in range(renders)]
    page_bytes = len(client.get("/coach").get_data())
    poll = {"HX-Request": "true"}
    tag = client.get("/coach", headers=poll).headers["ETag"]
    polls = [_load(app, client, headers={**poll, "If-None-Match": tag}, expect=304)[0] for _ in range(renders)]
    search = [_load(app, client, "/coach?q=athlete+12")[0] for _ in range(renders)]
    after_writes, poll_bytes = [], []
    for round_ in range(renders):
        _write_checkins(app, round_)
        after_writes.append(_load(app, client)[0])
        poll_bytes.append(len(client.get("/coach", headers={**poll, "Accept-Encoding": "gzip"}).get_data()))
    return {"label": label, "cold": cold, "warm": warm, "polls": polls, "search": search,
            "after_writes": after_writes, "queries": queries, "page_bytes": page_bytes,
            "poll_bytes": statistics.median(poll_bytes)}


def _load(app, client, path: str = "/coach", headers=None, expect: int = 200) -> tuple[float, int, int]:
    """One GET of the board: milliseconds, SQL statements and bytes."""
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    if response.status_code != expect:
        raise SystemExit(f"GET {path} answered {response.status_code}, not {expect}")
    return elapsed, len(statements), len(response.get_data())


def _write_checkins(app, round_: int) -> None:
    """Ten athletes edit today's check-in, as a busy morning would (invalidating their snapshots)."""
    with app.app_context():
        rows = db.session.scalars(
            db.select(CheckIn).where(CheckIn.local_date == db.select(db.func.max(CheckIn.local_date)).scalar_subquery())
            .order_by(CheckIn.id).offset(round_ * WRITERS_PER_ROUND % 500).limit(WRITERS_PER_ROUND)
        ).all()
        for checkin in rows:
            checkin.pain_now = (checkin.pain_now + 1) % 6
        db.session.commit()


def _fresh_schema(schema: bool) -> None:
    if schema:
        db.session.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
        db.session.commit()
    db.create_all()
    sync_exercises()


def _row_counts() -> str:
    tables = ("checkins", "warmup_logs", "training_sessions", "exercise_logs")
    counts = [db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in tables]
    return ", ".join(f"{count:,} {table}" for table, count in zip(tables, counts))


def _in_bench_schema(url: str) -> str:
    """The URL with its search path set to the bench's own schema."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise SystemExit("--database-url must be a PostgreSQL URL")
    return parsed.update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(hide_password=False)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _report(results: list[dict], args) -> None:
    print(f"\nGET /coach, {args.athletes} athletes × {args.days} days, {args.renders} timed loads per scenario")
    print(f"{'database':<11} {'scenario':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for result in results:
        print(f"{result['label']:<11} {'cold (no snapshots)':<28} {result['cold']:>8.0f} {'':>8} {result['queries']:>8}")
        for key, name in (("warm", "warm"), ("polls", "poll, unchanged (304)"), ("search", "search by name"),
                          ("after_writes", f"after {WRITERS_PER_ROUND} check-ins each")):
            values = result[key]
            print(f"{'':<11} {name:<28} {statistics.median(values):>8.0f} {_percentile(values, 0.95):>8.0f}")
    for result in results:
        print(f"{result['label']}: the page {result['page_bytes']:,} bytes; a changed board's poll "
              f"{result['poll_bytes']:,.0f} bytes gzipped")
    if args.verbose:
        for result in results:
            for key in ("warm", "polls", "search", "after_writes"):
                print(result["label"], key, " ".join(f"{value:.0f}" for value in sorted(result[key])))
    worst = max(_percentile(r[k], 0.95) for r in results for k in ("warm", "search", "after_writes"))
    verdict = "within" if worst < TARGET_P95_MS else "OVER"
    print(f"\nWorst p95 {worst:.0f} ms: {verdict} the {TARGET_P95_MS} ms target.")


if __name__ == "__main__":
    main()
