"""The Redis queue for the two-worker test: run by two real consumers,

    python -m huey.bin.huey_consumer tests.reminders.redis_sweeper.huey -n -w 1

with KNEEREADY_TEST_REDIS (a Redis URL with the test's own db number) and KNEEREADY_TEST_HUEY (a
name of the test run's own, the prefix of every key) in the environment. The queue is made by
app.worker.make_huey, as production's is; its one task sweeps at a fixed `now`.
"""
from __future__ import annotations

import os
from datetime import datetime

from app.worker import in_app_context, make_huey

huey = make_huey({"HUEY_URL": os.environ.get("KNEEREADY_TEST_REDIS", "redis://127.0.0.1:6379/5"),
                  "HUEY_NAME": os.environ.get("KNEEREADY_TEST_HUEY", "kneeready-test")})


@huey.task()
@in_app_context
def sweep_at(now: str, batch: int) -> dict:
    from app.reminders.sweep import sweep

    result = sweep(datetime.fromisoformat(now), batch=batch)
    return {"claimed": result.claimed, "sent": result.sent, "pid": os.getpid()}
