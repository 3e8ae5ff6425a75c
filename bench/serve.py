"""Start KneeReady under gunicorn (the README's production command) on a throwaway database,
for the benchmarks in this folder, and the options of those that run once per database.
Not used by the app or the tests."""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/kneeready_bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    return result.stdout


def prepare_database(database_url: str | None, workdir: Path) -> dict:
    """Environment for a fresh database: migrated, library loaded, demo data in."""
    env = {**os.environ, "SECRET_KEY": "bench-secret",
           "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
           "RATELIMIT_AUTH": "100000 per minute"}
    if database_url and database_url.startswith("postgresql"):
        reset_postgres(database_url)
    flask(env, "db", "upgrade")
    flask(env, "load-exercises")
    flask(env, "demo-data", "--password", "kneeready-demo")
    return env


def reset_postgres(database_url: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


@contextmanager
def gunicorn(env: dict, workers: int = 4, threads: int = 2):
    """Yield the base URL of a running gunicorn; stop it afterwards."""
    port = free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env={**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
                       "GUNICORN_THREADS": str(threads)},
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited early")
        try:
            urllib.request.urlopen(base + "/disclaimer", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not come up")


def signed_in_cookie(base: str, email: str, password: str = "kneeready-demo") -> str:
    """Sign in like a browser would; return the Cookie header value of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/signin").read().decode()
    token = CSRF.search(page).group(1)
    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(base + "/signin", data=body).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def database_parser(doc: str) -> argparse.ArgumentParser:
    """Command-line options shared by the benches that run once per database."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--database-url", default=PG_DEFAULT, help="PostgreSQL URL (its schema is reset)")
    return parser


def on_each_database(args: argparse.Namespace, run_one) -> int:
    """run_one(label, database_url or None for SQLite) on the databases asked for; exit status."""
    ok = True
    if args.database in ("sqlite", "both"):
        ok &= run_one("SQLite", None)
    if args.database in ("postgresql", "both"):
        ok &= run_one("PostgreSQL", args.database_url)
    print("\nOK" if ok else "\nFAILED")
    return 0 if ok else 1
