"""A reminder sweep over many athletes whose reminders are all due at once.

    .venv/bin/python bench/reminders.py [--athletes 100000] [--send 5000] [--batch 500]
                                        [--database-url postgresql+psycopg://…/db]

Builds `--athletes` athletes (bulk inserts, migrations on a fresh database: a temporary SQLite
file, or the PostgreSQL database given, whose tables are dropped first) with the daily
check-in reminder due now. `--send` of them have email and one push device; the others have
both channels off, so their due rows are claimed and moved on without sending. Then one sweep,
timed: wall time, due rows per second, SQL statements per batch (counted at the cursor; an
executemany counts once), and sends per second to a local SMTP server (aiosmtpd) and to a local
push endpoint (a WSGI server answering 201; the payload is still encrypted and VAPID-signed).
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

from sqlalchemy import event, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HUEY_IMMEDIATE", "1")

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    AthleteProfile, PushSubscription, ReminderDue, ReminderSend, ReminderSettings, User,
)
from app.reminders import delivery, sweep as sweep_module  # noqa: E402
from app.reminders.push import new_private_key  # noqa: E402

NOW = datetime(2026, 6, 1, 6, 30)  # 07:30 in London: the default check-in time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def push_endpoint():
    received = Counter()

    def app(environ, start_response):
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        received["push"] += 1
        start_response("201 Created", [("Content-Type", "text/plain")])
        return [b""]

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def smtp_server():
    from aiosmtpd.controller import Controller

    class Handler:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Handler.count += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, Handler


def fresh_schema(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()


def build(app, athletes: int, send: int, push_origin: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    public = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    import base64

    p256dh = base64.urlsafe_b64encode(public).rstrip(b"=").decode()
    auth = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
    chunk = 10_000
    with app.app_context():
        for start in range(0, athletes, chunk):
            numbers = range(start, min(athletes, start + chunk))
            db.session.execute(insert(User), [
                {"email": f"runner{n}@example.com", "display_name": f"Runner {n}", "password_hash": "x",
                 "session_token": f"token-{n}", "is_athlete": True, "is_coach": False,
                 "created_at": datetime(2026, 5, 31)} for n in numbers])
        ids = list(db.session.scalars(db.select(User.id).order_by(User.id)))
        for start in range(0, athletes, chunk):
            part = ids[start:start + chunk]
            db.session.execute(insert(AthleteProfile), [
                {"user_id": i, "runner_type": "general", "knee_status": "none", "timezone": "Europe/London"}
                for i in part])
            db.session.execute(insert(ReminderSettings), [
                {"user_id": i, "email_on": n + start < send, "push_on": n + start < send, "training_on": False}
                for n, i in enumerate(part)])
            db.session.execute(insert(ReminderDue), [
                {"user_id": i, "kind": "daily", "due_at": NOW, "local_day": date(2026, 6, 1)} for i in part])
        db.session.execute(insert(PushSubscription), [
            {"user_id": i, "endpoint": f"{push_origin}/push/{i}", "p256dh": p256dh, "auth": auth}
            for i in ids[:send]])
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--athletes", type=int, default=100_000)
    parser.add_argument("--send", type=int, default=5_000, help="athletes with email and a push device")
    parser.add_argument("--batch", type=int, default=sweep_module.BATCH)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kneeready-bench-reminders-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    push_server, pushed = push_endpoint()
    controller, mailbox = smtp_server()
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "MAIL_BACKEND": "smtp",
                      "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port, "MAIL_USE_TLS": False,
                      "PUBLIC_URL": "https://kneeready.example", "VAPID_PRIVATE_KEY": new_private_key(),
                      "VAPID_SUBJECT": "mailto:bench@kneeready.example", "RATELIMIT_ENABLED": False})
    fresh_schema(app)
    started = time.perf_counter()
    build(app, args.athletes, args.send, f"http://127.0.0.1:{push_server.server_port}")
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}; built {args.athletes:,} athletes "
          f"({args.send:,} with email + a push device) in {time.perf_counter() - started:.1f} s")

    statements: list[int] = [0]
    per_batch: list[int] = []
    timings = {"email": 0.0, "push": 0.0, "claim": 0.0}

    with app.app_context():
        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_args):
            statements[0] += 1

        original_claim, original_emails, original_pushes = (sweep_module.claim_due, delivery._send_emails,
                                                            delivery._send_pushes)

        def claim(*a, **k):
            before, t0 = statements[0], time.perf_counter()
            result = original_claim(*a, **k)
            timings["claim"] += time.perf_counter() - t0
            if result[1]:
                per_batch.append(statements[0] - before)
            return result

        def timed(name, function):
            def run(*a, **k):
                t0 = time.perf_counter()
                try:
                    return function(*a, **k)
                finally:
                    timings[name] += time.perf_counter() - t0
            return run

        sweep_module.claim_due = claim
        delivery._send_emails = timed("email", original_emails)
        delivery._send_pushes = timed("push", original_pushes)
        t0 = time.perf_counter()
        result = sweep_module.sweep(NOW, batch=args.batch)
        wall = time.perf_counter() - t0
        statuses = Counter(db.session.scalars(db.select(ReminderSend.status)))
        left = db.session.scalar(db.select(db.func.count()).where(ReminderDue.due_at <= NOW))

    print(f"sweep: {result}")
    print(f"wall time {wall:.1f} s for {args.athletes:,} due reminders; claiming (read, insert sends, move due "
          f"rows, commit) {timings['claim']:.1f} s = {args.athletes / timings['claim']:,.0f} due rows/s")
    print(f"SQL statements per claimed batch of {args.batch}: min {min(per_batch)}, median "
          f"{statistics.median(per_batch):.0f}, max {max(per_batch)} over {len(per_batch)} batches "
          f"(whatever the batch size: grouped reads, one multi-row insert, one executemany update)")
    print(f"email: {mailbox.count:,} delivered to the local SMTP server in {timings['email']:.1f} s = "
          f"{mailbox.count / max(timings['email'], 1e-9):,.0f}/s (one connection per batch)")
    print(f"push: {pushed['push']:,} delivered to the local push endpoint in {timings['push']:.1f} s = "
          f"{pushed['push'] / max(timings['push'], 1e-9):,.0f}/s (aes128gcm + ES256 VAPID per push)")
    print(f"send rows: {dict(statuses)}; still due: {left}")
    assert statuses == {"sent": 2 * args.send} and left == 0, "every reminder sent once, none left due"
    controller.stop()
    push_server.shutdown()


if __name__ == "__main__":
    main()
