"""The periodic sweep: claim what is due, send it, record the outcome, retry what failed.

At most once: claiming inserts one `reminder_sends` row per athlete, kind, local day and channel
(unique) and moves the due row on, in one transaction. A second worker that read the same due
rows inserts nothing (ON CONFLICT DO NOTHING … RETURNING gives it no rows) and moves nothing (the
due row's time is no longer the one it read). PostgreSQL also skips rows another worker has
locked (FOR UPDATE SKIP LOCKED), so two workers split the work instead of racing for it.

A claim is a lease: a worker that dies mid-send leaves a 'sending' row whose lease runs out, and
the retry step picks it up. Failed sends are retried with backoff (never during quiet hours) and
marked 'failed' after MAX_ATTEMPTS, where `flask reminders status` shows them.

Every step works on a batch with a fixed number of statements, whatever the batch size.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.domain import gate
from app.domain import reminders as rules
from app.extensions import db
from app.models import (
    AthleteProfile, CheckIn, PushSubscription, ReminderDue, ReminderSend, ReminderSettings, TrainingSession, User,
    WarmupLog, utcnow,
)
from app.progress import checkin_facts
from app.reminders import delivery
from app.reminders.schedule import reschedule, schedules, with_defaults

log = logging.getLogger("kneeready.reminders")

BATCH = 500
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 6


@dataclass
class SweepResult:
    enrolled: int = 0
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0  # gave up after MAX_ATTEMPTS
    deferred: int = 0  # failed this time, will be retried
    quiet: int = 0  # due, but nothing to say today (already checked in, kind switched off)
    missed: int = 0  # due hours ago (the worker was down) or now in quiet hours: not sent
    batches: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{name} {value}" for name, value in vars(self).items())


@dataclass
class Claim:
    """One claimed send, with what delivery needs to know."""

    send_id: int
    user_id: int
    kind: str
    channel: str
    message: str
    email: str
    name: str
    attempts: int = 0
    zone: str = "UTC"
    quiet: tuple = field(default=rules.DEFAULT_QUIET)


def sweep(now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    """Send every reminder due at `now` (naive UTC), then retry failed ones whose time has come."""
    now = now or utcnow()
    result = SweepResult()
    while (enrolled := enrol(now, batch)):
        result.enrolled += enrolled
    while True:
        claims, rows = claim_due(now, batch, result)
        if rows:
            result.batches += 1
            deliver(claims, now, result)
        if rows < batch:
            break
    while (claims := claim_retries(now, batch)):
        result.retried += len(claims)
        deliver(claims, now, result)
        if len(claims) < batch:
            break
    return result


def enrol(now: datetime, batch: int) -> int:
    """Athletes with no reminder settings yet get the defaults and their first due rows."""
    missing = db.session.execute(
        select(AthleteProfile.user_id, AthleteProfile.timezone)
        .outerjoin(ReminderSettings, ReminderSettings.user_id == AthleteProfile.user_id)
        .where(ReminderSettings.user_id.is_(None)).limit(batch)
    ).all()
    for user_id, zone in missing:
        settings = ReminderSettings(user_id=user_id)
        db.session.add(settings)
        reschedule(with_defaults(settings), now, zone)
    db.session.commit()
    return len(missing)


# A training reminder's newest check-in on or before its day: what the safety gate reads.
_LATEST_CHECKIN = (select(CheckIn.id).where(CheckIn.athlete_id == ReminderDue.user_id,
                                            CheckIn.local_date <= ReminderDue.local_day)
                   .order_by(CheckIn.local_date.desc()).limit(1).correlate(ReminderDue).scalar_subquery())
_GATE_COLUMNS = (CheckIn.local_date, CheckIn.status, CheckIn.pain_now, CheckIn.red_flags, CheckIn.calf_breathless,
                 CheckIn.swelling)


def _due_rows(now: datetime, batch: int):
    query = (
        select(ReminderDue, ReminderSettings, AthleteProfile.timezone, User.email, User.display_name,
               User.created_at, *_GATE_COLUMNS)
        .join(ReminderSettings, ReminderSettings.user_id == ReminderDue.user_id)
        .join(User, User.id == ReminderDue.user_id)
        .join(AthleteProfile, AthleteProfile.user_id == ReminderDue.user_id)
        .outerjoin(CheckIn, and_(ReminderDue.kind == "training", CheckIn.id == _LATEST_CHECKIN))
        .where(ReminderDue.due_at <= now)
        .order_by(ReminderDue.due_at).limit(batch)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=ReminderDue)
    return db.session.execute(query).all()


def claim_due(now: datetime, batch: int, result: SweepResult) -> tuple[list[Claim], int]:
    """One transaction: read a batch of due rows, insert their send rows, move the rows on."""
    rows = _due_rows(now, batch)
    if not rows:
        db.session.rollback()
        return [], 0
    activity = _activity([row.ReminderDue.user_id for row in rows], now, {
        row.ReminderDue.user_id: row.timezone for row in rows})
    with_device = _with_devices([row.ReminderDue.user_id for row in rows])
    wanted, moves = [], []
    for row in rows:
        due, settings = row.ReminderDue, row.ReminderSettings
        schedule = schedules(settings, row.timezone)[due.kind]
        message = _message(due, settings, schedule, activity.get(due.user_id), now, result,
                           gate_stops=due.kind == "training" and _gate_stops(row, due.local_day))
        if message is not None:
            for channel in delivery.channels(settings, due.user_id in with_device):
                wanted.append({"user_id": due.user_id, "kind": due.kind, "local_day": due.local_day,
                               "channel": channel, "message": message, "status": "sending",
                               "attempts": 0, "next_try_at": now + LEASE, "created_at": now})
        moves.append((due, rules.next_due(schedule, max(now, due.due_at))))
    inserted = _insert_sends(wanted)
    _move_due_rows(moves)
    # Read what delivery needs before the commit expires the loaded rows (no query per row).
    people = {row.ReminderDue.user_id: (row.email, row.display_name, row.timezone, _quiet(row.ReminderSettings))
              for row in rows}
    db.session.commit()
    claims = [Claim(send_id, user_id, kind, channel, message, *people[user_id][:2], 0, *people[user_id][2:])
              for send_id, user_id, kind, channel, message in inserted]
    result.claimed += len(claims)
    return claims, len(rows)


def _with_devices(user_ids: list[int]) -> set[int]:
    return set(db.session.scalars(select(PushSubscription.user_id).where(PushSubscription.user_id.in_(user_ids))))


def _quiet(settings: ReminderSettings) -> tuple:
    from app.reminders.schedule import minute_to_time

    return minute_to_time(settings.quiet_start_minute), minute_to_time(settings.quiet_end_minute)


def _gate_stops(row, day) -> bool:
    """Whether the safety gate says stop on the athlete's `day`, from the row's newest check-in."""
    if row.local_date is None:
        return False
    facts = checkin_facts(row.local_date, row.status, row.pain_now, row.red_flags, row.calf_breathless, row.swelling)
    offer = gate.from_checkins(day, facts)
    return offer is not None and offer.mode == "stop"


def _message(due, settings, schedule, activity, now, result, gate_stops: bool = False) -> str | None:
    if not rules.still_worth_sending(schedule, due.local_day, now):
        if rules.due_on(schedule, due.local_day) is not None and rules.due_on(schedule, due.local_day) <= now:
            result.missed += 1
        return None
    activity = activity.for_day(due.local_day) if activity else rules.Activity()
    if due.kind == "training":
        message = rules.training_message(activity, gate_stops)
    else:
        choices = rules.Choices(settings.checkin_on, settings.next_morning_on, settings.nudge_on)
        message = rules.daily_message(choices, activity, due.local_day)
    if message is None:
        result.quiet += 1
    return message


@dataclass
class _Logged:
    last_checkin: object = None
    last_session: object = None
    last_warmup: object = None
    last_nudge: object = None
    signed_up: object = None

    def for_day(self, day) -> rules.Activity:
        days = [d for d in (self.last_checkin, self.last_session, self.last_warmup, self.signed_up) if d]
        return rules.Activity(
            checked_in_today=self.last_checkin == day,
            trained_yesterday=self.last_session == day - timedelta(days=1),
            trained_today=self.last_session == day,
            last_logged=max((d for d in days if d <= day), default=None),
            last_nudge=self.last_nudge,
        )


def _activity(user_ids: list[int], now: datetime, zones: dict[int, str]) -> dict[int, _Logged]:
    """What each athlete last logged: four grouped queries for the whole batch."""
    logged = {user_id: _Logged() for user_id in user_ids}
    lookups = [
        ("last_checkin", select(CheckIn.athlete_id, func.max(CheckIn.local_date))
         .where(CheckIn.athlete_id.in_(user_ids)).group_by(CheckIn.athlete_id)),
        ("last_session", select(TrainingSession.athlete_id, func.max(TrainingSession.local_date))
         .where(TrainingSession.athlete_id.in_(user_ids), TrainingSession.finished_at.is_not(None))
         .group_by(TrainingSession.athlete_id)),
        ("last_warmup", select(WarmupLog.athlete_id, func.max(WarmupLog.local_date))
         .where(WarmupLog.athlete_id.in_(user_ids)).group_by(WarmupLog.athlete_id)),
        ("last_nudge", select(ReminderSend.user_id, func.max(ReminderSend.local_day))
         .where(ReminderSend.user_id.in_(user_ids), ReminderSend.message == "nudge",
                ReminderSend.status.in_(("sending", "sent")))
         .group_by(ReminderSend.user_id)),
        ("signed_up", select(User.id, User.created_at).where(User.id.in_(user_ids))),
    ]
    for name, query in lookups:
        for user_id, value in db.session.execute(query):
            if name == "signed_up":
                value = rules.local_day(value, zones.get(user_id, "UTC"))
            setattr(logged[user_id], name, value)
    return logged


def _insert_sends(wanted: list[dict]) -> list[tuple]:
    """Insert send rows, skipping any another worker already made; the ones inserted come back."""
    if not wanted:
        return []
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = (insert(ReminderSend).values(wanted)
                 .on_conflict_do_nothing(index_elements=["user_id", "kind", "local_day", "channel"])
                 .returning(ReminderSend.id, ReminderSend.user_id, ReminderSend.kind, ReminderSend.channel,
                            ReminderSend.message))
    return [tuple(row) for row in db.session.execute(statement)]


def _move_due_rows(moves) -> None:
    """Each due row to its next time, only if it still holds the time this worker read."""
    table = ReminderDue.__table__
    where = and_(table.c.user_id == bindparam("u"), table.c.kind == bindparam("k"),
                 table.c.due_at == bindparam("old"))
    updates = [{"u": due.user_id, "k": due.kind, "old": due.due_at, "new": found[0], "day": found[1]}
               for due, found in moves if found is not None]
    deletes = [{"u": due.user_id, "k": due.kind, "old": due.due_at} for due, found in moves if found is None]
    for due, _ in moves:
        db.session.expunge(due)  # the rows change below, in SQL; the ORM copies must not flush
    if updates:
        db.session.execute(table.update().where(where).values(due_at=bindparam("new"), local_day=bindparam("day")),
                           updates)
    if deletes:
        db.session.execute(table.delete().where(where), deletes)


def lease_retries(send, now: datetime, batch: int, lease: timedelta, *columns) -> list:
    """Lease the failed sends of table `send` (and sends whose worker died) whose time has come:
    each to one worker, for `lease`. Returns `columns` of the leased rows (none: rolled back)."""
    waiting = and_(send.c.status.in_(("retry", "sending")), send.c.next_try_at <= now)
    ids = list(db.session.scalars(select(send.c.id).where(waiting).order_by(send.c.next_try_at).limit(batch)))
    if not ids:
        db.session.rollback()
        return []
    return db.session.execute(
        send.update().where(send.c.id.in_(ids), waiting)
        .values(status="sending", next_try_at=now + lease).returning(*columns)
    ).all()


def claim_retries(now: datetime, batch: int) -> list[Claim]:
    """Take failed sends (and sends whose worker died) whose time has come, one worker each."""
    send = ReminderSend.__table__
    taken = [send_id for send_id, in lease_retries(send, now, batch, LEASE, send.c.id)]
    rows = db.session.execute(
        select(ReminderSend, User.email, User.display_name, AthleteProfile.timezone, ReminderSettings)
        .join(User, User.id == ReminderSend.user_id)
        .join(AthleteProfile, AthleteProfile.user_id == ReminderSend.user_id)
        .join(ReminderSettings, ReminderSettings.user_id == ReminderSend.user_id)
        .where(ReminderSend.id.in_(taken))
    ).all() if taken else []
    claims = [Claim(row.ReminderSend.id, row.ReminderSend.user_id, row.ReminderSend.kind, row.ReminderSend.channel,
                    row.ReminderSend.message, row.email, row.display_name, row.ReminderSend.attempts,
                    row.timezone, _quiet(row.ReminderSettings)) for row in rows]
    db.session.commit()
    return claims


def deliver(claims: list[Claim], now: datetime, result: SweepResult) -> None:
    """Send each claim on its channel, then record every outcome in two statements."""
    outcomes = delivery.send_all(claims)
    sent = [{"i": claim.send_id, "a": claim.attempts + 1} for claim in claims if outcomes[claim.send_id] is None]
    failed = []
    for claim in claims:
        error = outcomes[claim.send_id]
        if error is None:
            continue
        if isinstance(error, delivery.NoDevice):  # every device unsubscribed: nothing to retry
            failed.append({"i": claim.send_id, "a": claim.attempts + 1, "s": "skipped", "t": None,
                           "e": str(error)})
            continue
        attempts = claim.attempts + 1
        give_up = attempts >= MAX_ATTEMPTS
        retry_at = rules.after_quiet_hours(now + rules.retry_delay(attempts), claim.zone, claim.quiet)
        failed.append({"i": claim.send_id, "a": attempts, "s": "failed" if give_up else "retry",
                       "t": None if give_up else retry_at, "e": str(error)[:500]})
        log.warning("Reminder %s by %s to user %s failed (try %d): %s", claim.message, claim.channel,
                    claim.user_id, attempts, error)
        result.failed += give_up
        result.deferred += not give_up
    table = ReminderSend.__table__
    by_id = table.c.id == bindparam("i")
    if sent:
        db.session.execute(table.update().where(by_id).values(
            status="sent", attempts=bindparam("a"), sent_at=now, next_try_at=None, last_error=None), sent)
    if failed:
        db.session.execute(table.update().where(by_id).values(
            status=bindparam("s"), attempts=bindparam("a"), next_try_at=bindparam("t"),
            last_error=bindparam("e")), failed)
    db.session.commit()
    result.sent += len(sent)
