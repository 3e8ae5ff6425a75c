"""`flask reminders status` and `flask reminders sweep`."""
from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.extensions import db
from app.models import CoachDigest, DigestSend, ReminderDue, ReminderSend, utcnow

reminders_cli = AppGroup("reminders", help="Reminders: what is due, sent and failing; run a sweep.")


@reminders_cli.command("status")
def status_command():
    """What is due now and in the next hour, what was sent in the last day, and what is failing."""
    now = utcnow()
    due_now = db.session.scalar(select(func.count()).where(ReminderDue.due_at <= now))
    due_soon = db.session.scalar(select(func.count()).where(ReminderDue.due_at > now,
                                                            ReminderDue.due_at <= now + timedelta(hours=1)))
    scheduled = db.session.scalar(select(func.count()).select_from(ReminderDue))
    click.echo(f"Due now: {due_now}   due in the next hour: {due_soon}   scheduled: {scheduled}")
    counts = dict(db.session.execute(
        select(ReminderSend.status, func.count()).where(ReminderSend.created_at >= now - timedelta(days=1))
        .group_by(ReminderSend.status)).all())
    click.echo("Last 24 h: " + ", ".join(f"{name} {counts.get(name, 0)}"
                                          for name in ("sent", "sending", "retry", "failed")))
    failing = db.session.execute(
        select(ReminderSend).where(ReminderSend.status.in_(("retry", "failed")))
        .order_by(ReminderSend.status, ReminderSend.next_try_at).limit(20)).scalars().all()
    if not failing:
        click.echo("Failing: none")
    else:
        click.echo("Failing:")
    for send in failing:
        when = f"next try {send.next_try_at:%Y-%m-%d %H:%M} UTC" if send.status == "retry" else "gave up"
        click.echo(f"  user {send.user_id} {send.kind}/{send.channel} {send.local_day} — {send.status} after "
                   f"{send.attempts} tries, {when}: {send.last_error}")
    _digest_status(now)


def _digest_status(now) -> None:
    """The coaches' weekly digests: how many are on, the last week's sends, and the failing ones."""
    on = db.session.scalar(select(func.count()).where(CoachDigest.weekly_on.is_(True)))
    counts = dict(db.session.execute(
        select(DigestSend.status, func.count()).where(DigestSend.created_at >= now - timedelta(days=7))
        .group_by(DigestSend.status)).all())
    click.echo(f"Weekly digests: {on} on; last 7 days: " + ", ".join(
        f"{name} {counts.get(name, 0)}" for name in ("sent", "skipped", "sending", "retry", "failed")))
    for send in db.session.scalars(select(DigestSend).where(DigestSend.status.in_(("retry", "failed")))
                                   .order_by(DigestSend.status, DigestSend.next_try_at).limit(20)):
        when = f"next try {send.next_try_at:%Y-%m-%d %H:%M} UTC" if send.status == "retry" else "gave up"
        click.echo(f"  digest for coach {send.coach_id}, week of {send.week_of} — {send.status} after "
                   f"{send.attempts} tries, {when}: {send.last_error}")


@reminders_cli.command("sweep")
def sweep_command():
    """Run one sweep now (the worker runs one every minute)."""
    from app.reminders.sweep import sweep

    click.echo(f"Sweep: {sweep()}")
