"""Two worker processes sweep the same due reminders at once: each athlete gets exactly one."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime

from sqlalchemy import insert

from app.extensions import db
from app.models import AthleteProfile, ReminderDue, ReminderSend, ReminderSettings, User
from tests.reminders.conftest import MONDAY_0730_LONDON

ATHLETES = 150


def _many_due_athletes(app, count: int) -> None:
    """`count` London athletes whose check-in reminder is due now (bulk rows, no password hashing)."""
    with app.app_context():
        db.session.execute(insert(User), [
            {"email": f"runner{n}@example.com", "display_name": f"Runner {n}", "password_hash": "x",
             "session_token": f"token-{n}", "is_athlete": True, "is_coach": False,
             "created_at": datetime(2026, 5, 1)} for n in range(count)])
        ids = list(db.session.scalars(db.select(User.id).order_by(User.id)))
        db.session.execute(insert(AthleteProfile), [
            {"user_id": i, "runner_type": "general", "knee_status": "none", "timezone": "Europe/London"}
            for i in ids])
        db.session.execute(insert(ReminderSettings), [{"user_id": i, "training_on": False} for i in ids])
        db.session.execute(insert(ReminderDue), [
            {"user_id": i, "kind": "daily", "due_at": MONDAY_0730_LONDON, "local_day": date(2026, 6, 1)}
            for i in ids])
        db.session.commit()


def test_two_workers_sweeping_together_send_each_reminder_exactly_once(mail_app, inbox, tmp_path):
    _many_due_athletes(mail_app, ATHLETES)
    config = mail_app.config
    env = {**os.environ, "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret-key",
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(config["MAIL_PORT"]), "MAIL_USE_TLS": "false",
           "PUBLIC_URL": "https://kneeready.example", "HUEY_IMMEDIATE": "1"}
    start = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-m", "tests.reminders.sweeper", MONDAY_0730_LONDON.isoformat(),
                                 str(start), "20"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    start.touch()
    outputs = [worker.communicate(timeout=240) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], [err[-3000:] for _, err in outputs]

    claimed = [int(out.split()[0].split("=")[1]) for out, _ in outputs]
    assert sum(claimed) == ATHLETES
    per_person = Counter(recipient for received in inbox.messages for recipient in received.recipients)
    assert len(per_person) == ATHLETES and set(per_person.values()) == {1}
    with mail_app.app_context():
        statuses = Counter(db.session.scalars(db.select(ReminderSend.status)))
    assert statuses == {"sent": ATHLETES}
    print(f"\ntwo workers claimed {claimed[0]} + {claimed[1]} of {ATHLETES}")
