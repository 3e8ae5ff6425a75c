"""Two worker processes sweep the same due reminders at once: each athlete gets exactly one."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
import uuid
from collections import Counter
from datetime import date, datetime

import pytest
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


def _worker_env(config) -> dict:
    return {**os.environ, "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret-key",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(config["MAIL_PORT"]), "MAIL_USE_TLS": "false",
            "PUBLIC_URL": "https://kneeready.example", "HUEY_IMMEDIATE": "1"}


def _each_sent_once(app, inbox) -> None:
    per_person = Counter(recipient for received in inbox.messages for recipient in received.recipients)
    assert len(per_person) == ATHLETES and set(per_person.values()) == {1}
    with app.app_context():
        statuses = Counter(db.session.scalars(db.select(ReminderSend.status)))
    assert statuses == {"sent": ATHLETES}


def test_two_workers_sweeping_together_send_each_reminder_exactly_once(mail_app, inbox, tmp_path):
    _many_due_athletes(mail_app, ATHLETES)
    env = _worker_env(mail_app.config)
    start = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-m", "tests.reminders.sweeper", MONDAY_0730_LONDON.isoformat(),
                                 str(start), "20"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    start.touch()
    outputs = [worker.communicate(timeout=240) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], [err[-3000:] for _, err in outputs]

    claimed = [int(out.split()[0].split("=")[1]) for out, _ in outputs]
    assert sum(claimed) == ATHLETES
    _each_sent_once(mail_app, inbox)
    print(f"\ntwo workers claimed {claimed[0]} + {claimed[1]} of {ATHLETES}")


TEST_REDIS = os.environ.get("KNEEREADY_TEST_REDIS", "redis://127.0.0.1:6379/5")  # a db of the tests' own


@pytest.fixture
def redis_queue(monkeypatch):
    """A Redis queue with a name of this run's own (the prefix of its keys), emptied afterwards."""
    import redis

    connection = redis.Redis.from_url(TEST_REDIS, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis does not answer at {TEST_REDIS} ({error}): the two-worker test on Redis needs it")
    name = f"kneeready-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("KNEEREADY_TEST_REDIS", TEST_REDIS)
    monkeypatch.setenv("KNEEREADY_TEST_HUEY", name)
    import tests.reminders.redis_sweeper as module

    module = importlib.reload(module)  # the queue under this run's name
    yield name, module
    module.huey.flush()
    leftovers = list(connection.scan_iter(match=f"*{name}*"))
    if leftovers:
        connection.delete(*leftovers)
    connection.close()


def _wait_for_start(consumer) -> None:
    lines = []
    while "consumer started" not in (line := consumer.stdout.readline()).lower():
        lines.append(line)
        assert line, "the consumer stopped before starting:\n" + "".join(lines)


def test_two_consumers_on_one_redis_queue_send_each_reminder_exactly_once(mail_app, inbox, redis_queue):
    """Two real huey consumers (two hosts, in production) take sweeps off one Redis queue and run
    them at once on the shared database: each athlete still gets exactly one email."""
    name, queue = redis_queue
    _many_due_athletes(mail_app, ATHLETES)
    env = {**_worker_env(mail_app.config), "KNEEREADY_TEST_REDIS": TEST_REDIS, "KNEEREADY_TEST_HUEY": name}
    consumers = [subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "tests.reminders.redis_sweeper.huey",
         "--no-periodic", "--workers", "1", "--delay", "0.01", "--max-delay", "0.05"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    try:
        for consumer in consumers:  # both ready before any sweep is queued, so they overlap
            _wait_for_start(consumer)
        # Each consumer has one worker: while one sweeps, the other takes the next sweep.
        results = [queue.sweep_at(MONDAY_0730_LONDON.isoformat(), 20) for _ in range(4)]
        outcomes = [result.get(blocking=True, timeout=180) for result in results]
    finally:
        for consumer in consumers:
            consumer.terminate()
        logs = [consumer.communicate(timeout=30)[0] for consumer in consumers]
    assert all(outcome is not None for outcome in outcomes), logs
    assert len({outcome["pid"] for outcome in outcomes}) == 2, (outcomes, logs)  # both consumers swept
    assert sum(outcome["claimed"] for outcome in outcomes) == ATHLETES, outcomes
    _each_sent_once(mail_app, inbox)
    by_pid = Counter()
    for outcome in outcomes:
        by_pid[outcome["pid"]] += outcome["claimed"]
    print(f"\ntwo consumers on Redis claimed {' + '.join(map(str, by_pid.values()))} of {ATHLETES}")
