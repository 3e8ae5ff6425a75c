"""The background worker: Huey, on a SQLite file in instance/ for one host, on Redis for several.

Run it with `huey_consumer app.worker.huey` (the Procfile does). `HUEY_URL` (or `REDIS_URL`)
set to redis://… makes every host share one queue; otherwise the queue is instance/huey.sqlite3.
`HUEY_IMMEDIATE=1` runs tasks in the calling process (the tests do).

Tasks run inside a Flask app context: the one already pushed (immediate mode, in a request),
or a single app made from the environment the first time the consumer needs one.
"""
from __future__ import annotations

import functools
import logging
import os

from flask import has_app_context
from huey import RedisHuey, SqliteHuey, crontab
from huey.exceptions import RetryTask

from app.config import INSTANCE

log = logging.getLogger("kneeready.worker")

# Email retries: 1, 2, 4, 8 … minutes, capped at an hour, for about a day in all.
EMAIL_RETRIES = 30
EMAIL_MAX_DELAY = 3600


def make_huey(env=os.environ):
    """RedisHuey when a Redis URL is configured, else SqliteHuey in instance/. `HUEY_NAME` (default
    "kneeready") prefixes the Redis keys, so two deployments (or a test run) can share a server."""
    immediate = env.get("HUEY_IMMEDIATE", "").lower() in ("1", "true", "yes")
    url = env.get("HUEY_URL") or env.get("REDIS_URL")
    name = env.get("HUEY_NAME") or "kneeready"
    if url:
        return RedisHuey(name, url=url, immediate=immediate)
    INSTANCE.mkdir(exist_ok=True)
    return SqliteHuey(name, filename=str(INSTANCE / "huey.sqlite3"), immediate=immediate)


huey = make_huey()
_app = None


def _flask_app():
    global _app
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def in_app_context(function):
    """Run a task inside the current app context, or the worker's own app."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with _flask_app().app_context():
            return function(*args, **kwargs)
    return wrapper


def backoff(attempt: int, base: int = 60, cap: int = EMAIL_MAX_DELAY) -> int:
    """Seconds to wait before try number `attempt` + 1: doubling from `base`, capped."""
    return min(cap, base * 2 ** max(0, attempt - 1))


@huey.task(retries=EMAIL_RETRIES, context=True)
@in_app_context
def send_email(to: str, subject: str, template: str, context: dict,
               unsubscribe_url: str | None = None, task=None):
    """Send one email; an SMTP failure is retried with backoff and logged each time."""
    from app import mail

    message = mail.build(to, subject, template, unsubscribe_url=unsubscribe_url, **context)
    try:
        mail.send(message)
    except Exception as error:  # SMTP down, refused, timed out: try again later
        attempt = EMAIL_RETRIES - (task.retries if task else 0) + 1
        log.warning("Email %r to %s failed (try %d): %s", subject, to, attempt, error)
        if task is None:
            raise
        raise RetryTask(str(error), delay=backoff(attempt)) from error


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("kneeready-reminder-sweep")  # a slow sweep is not overlapped by the next one
@in_app_context
def sweep_reminders():
    """Every minute: send the reminders that are due, and retry the ones that failed."""
    from app.reminders.sweep import sweep

    result = sweep()
    if result.claimed or result.retried:
        log.info("Reminders: %s", result)


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("kneeready-digest-sweep")
@in_app_context
def sweep_digests():
    """Every minute: send the coaches' weekly digests that are due (Monday 08:00 local), and retry."""
    from app.coach.digest import sweep

    result = sweep()
    if result.claimed or result.deferred or result.failed:
        log.info("Digests: %s", result)
