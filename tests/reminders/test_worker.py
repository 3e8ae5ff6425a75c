"""The background worker: its queue from the environment, and a real consumer sending queued mail."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from app.worker import huey, make_huey, send_email

REDIS_URL = "redis://127.0.0.1:6379/14"  # DB 14 is this test's own; flushed before and after


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL)
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379 (CI runs it)")
    return client


def test_the_queue_is_a_sqlite_file_in_instance_by_default_and_redis_when_a_url_is_set():
    default = make_huey({})
    assert isinstance(default, SqliteHuey)
    assert Path(default.storage.filename).parent.name == "instance"
    assert isinstance(make_huey({"REDIS_URL": REDIS_URL}), RedisHuey)
    assert isinstance(make_huey({"HUEY_URL": REDIS_URL, "REDIS_URL": "redis://elsewhere:6379/0"}), RedisHuey)
    assert make_huey({"HUEY_URL": REDIS_URL}).storage.conn.connection_pool.connection_kwargs["db"] == 14


def test_the_sweep_is_a_periodic_task_that_runs_every_minute():
    periodic = {task.name: task for task in huey._registry.periodic_tasks}
    assert "sweep_reminders" in periodic
    from datetime import datetime

    task = periodic["sweep_reminders"]
    assert all(task.validate_datetime(datetime(2026, 6, 1, 7, minute)) for minute in (0, 29, 59))


def test_a_real_consumer_on_redis_sends_a_queued_email(mail_app, inbox, tmp_path):
    client = _redis_or_skip()
    client.flushdb()
    env = {key: value for key, value in os.environ.items() if key != "HUEY_IMMEDIATE"}
    env.update({"HUEY_URL": REDIS_URL, "DATABASE_URL": mail_app.config["SQLALCHEMY_DATABASE_URI"],
                "SECRET_KEY": "test-secret-key", "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(mail_app.config["MAIL_PORT"]), "MAIL_USE_TLS": "false"})
    consumer = subprocess.Popen([str(Path(sys.executable).parent / "huey_consumer"), "app.worker.huey",
                                 "--workers", "1", "--no-periodic"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        queue = make_huey({"HUEY_URL": REDIS_URL})
        queued = queue.task(context=True)(send_email.func)  # the same task name the consumer knows
        queued("riley@example.com", "Reset your KneeReady password", "reset",
               {"name": "Riley", "link": "https://kneeready.example/password/reset/x", "minutes": 60})
        deadline = time.monotonic() + 60
        while not inbox.messages and time.monotonic() < deadline and consumer.poll() is None:
            time.sleep(0.1)
    finally:
        consumer.terminate()
        output, _ = consumer.communicate(timeout=30)
        client.flushdb()
    assert [m.recipients for m in inbox.messages] == [["riley@example.com"]], output[-3000:]
    assert "Executing app.worker.send_email" in output
