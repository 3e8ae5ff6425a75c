"""How fast the run log is: importing a long FIT file, and the runs page after years of running.

    .venv/bin/python bench/runs.py [--hours 3] [--years 3] [--renders 40]
                                   [--database-url postgresql+psycopg://…/db]

1. A FIT file of `--hours` hours with a record every second (written by fit-tool, as the test
   samples are): time to parse it alone, and to send it through POST /runs/import (read, hash,
   judge, render the confirm page).
2. An athlete with a run and a check-in on every day of `--years` years: GET /runs (the ceiling,
   the 12-week chart and the recent runs) and GET /today, p50 and p95 over `--renders` loads.

SQLite runs in a temporary file; PostgreSQL (from --database-url or BENCH_DATABASE_URL) in the
schema `kneeready_bench`, dropped and made again (as bench/dashboard.py does).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.auth.passwords import hash_password  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import AthleteProfile, CheckIn, Run, User  # noqa: E402
from app.runs.parsers import parse  # noqa: E402
from bench.dashboard import SCHEMA, _fresh_schema, _in_bench_schema, _percentile  # noqa: E402
from tests.data.make_samples import course, fit_bytes  # noqa: E402

PASSWORD = "bench password 1000"


def main() -> None:
    args = _arguments()
    fit = fit_bytes(course(30_000 * args.hours / 3, args.hours * 3600, 1, pause_at=0.5, pause_s=120, climb_m=80))
    print(f"FIT file: {args.hours} h, 1 s records, {len(fit) / 1e6:.2f} MB")
    _time_parse(fit)
    folder = Path(tempfile.mkdtemp(prefix="kneeready-bench-runs-"))
    try:
        run("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", args, fit)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    pg_url = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    if pg_url:
        run("PostgreSQL", _in_bench_schema(pg_url), args, fit, schema=True)
    else:
        print("PostgreSQL skipped: pass --database-url or set BENCH_DATABASE_URL.")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=int, default=3)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--renders", type=int, default=40)
    parser.add_argument("--database-url")
    return parser.parse_args()


def _time_parse(fit: bytes, repeats: int = 5) -> None:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        found = parse("long.fit", fit)
        times.append(time.perf_counter() - started)
    print(f"  parse alone: median {statistics.median(times) * 1000:.0f} ms over {repeats} "
          f"({found.distance_m / 1000:.1f} km, {found.duration_s} s moving)")


def run(label: str, url: str, args, fit: bytes, schema: bool = False) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "TESTING": True, "WTF_CSRF_ENABLED": False})
    today = date.today()
    with app.app_context():
        _fresh_schema(schema)
        started = time.perf_counter()
        email = _athlete_with_history(today, args.years * 365)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"{label}: {args.years} years of daily runs and check-ins built in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    client = app.test_client()
    client.post("/signin", data={"email": email, "password": PASSWORD})
    _time_upload(client, fit)
    for path in ("/runs", "/today"):
        _time_page(client, path, args.renders)
    if schema:
        with app.app_context():
            db.session.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            db.session.commit()
    with app.app_context():
        db.engine.dispose()


def _athlete_with_history(today: date, days: int) -> str:
    rng = random.Random(16)
    email = "runner@bench-runs.example"
    user = User(email=email, display_name="Bench Runner", password_hash=hash_password(PASSWORD))
    db.session.add(user)
    db.session.flush()
    db.session.add(AthleteProfile(user_id=user.id, runner_type="long_distance", knee_status="niggles",
                                  timezone="Europe/London"))
    runs, checkins = [], []
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        km = rng.uniform(4, 14)
        runs.append(dict(athlete_id=user.id, local_date=day, distance_m=round(km * 1000),
                         duration_s=round(km * rng.uniform(300, 390)), terrain=rng.choice(("road", "trail")),
                         downhill=rng.random() < 0.2, pain_during=rng.choice((0, 0, 1, 1, 2, 3)),
                         pain_after=rng.choice((None, 0, 1, 2)), source="manual", avg_cadence=rng.randint(160, 178)))
        checkins.append(dict(athlete_id=user.id, local_date=day, pain_now=rng.choice((0, 1, 1, 2, 3)),
                             status="green", after_session=rng.choice((None, "better", "same", "worse"))))
    db.session.execute(db.insert(Run), runs)
    db.session.execute(db.insert(CheckIn), checkins)
    db.session.commit()
    return email


def _time_upload(client, fit: bytes, repeats: int = 3) -> None:
    import io

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.post("/runs/import", data={"files": [(io.BytesIO(fit), "long.fit")]},
                               content_type="multipart/form-data")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    print(f"  POST /runs/import (the 3 h FIT): median {statistics.median(times) * 1000:.0f} ms over {repeats}")


def _time_page(client, path: str, renders: int) -> None:
    client.get(path)  # warm the templates
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"  GET {path}: p50 {_percentile(times, 0.5):.0f} ms, p95 {_percentile(times, 0.95):.0f} ms "
          f"over {renders} loads", flush=True)


if __name__ == "__main__":
    main()
