"""The coach's weekly digest email: the setting, the weekly sweep, the message.

At most once: claiming inserts the one `digest_sends` row for the coach and week (unique; ON
CONFLICT DO NOTHING … RETURNING gives a second worker nothing) and moves the coach's due_at on
(only if it still holds the time this worker read), in one transaction. PostgreSQL also skips
rows another worker has locked. A send that fails is retried with backoff, then marked 'failed';
a worker that dies mid-send leaves a 'sending' row whose lease runs out and is retried.

What the email says comes from app.domain.digest: names and counts, no health data.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app import mail
from app.domain import digest as rules
from app.domain.reminders import retry_delay
from app.extensions import db
from app.links import absolute_url
from app.models import CoachDigest, DigestSend, User, utcnow
from app.reminders.sweep import lease_retries

log = logging.getLogger("kneeready.digest")

UNSUBSCRIBE_SALT = "kneeready-digest-unsubscribe"
SUBJECT = "Your athletes this week"
BATCH = 100
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 6


# ── the setting ─────────────────────────────────────────────────────────────────────────────

def stored_or_default(coach_id: int) -> CoachDigest:
    """The coach's digest setting, or (none stored) the default: off, in UTC. For reading only."""
    return db.session.get(CoachDigest, coach_id) or CoachDigest(user_id=coach_id, weekly_on=False, timezone="UTC")


def save(coach_id: int, weekly_on: bool, zone: str, now: datetime | None = None) -> None:
    setting = db.session.get(CoachDigest, coach_id)
    if setting is None:
        setting = CoachDigest(user_id=coach_id)
        db.session.add(setting)
    setting.weekly_on, setting.timezone = weekly_on, zone
    _reschedule(setting, now or utcnow())
    db.session.commit()


def stop(coach_id: int) -> None:
    """The one-click unsubscribe: the digest off, the zone kept."""
    setting = db.session.get(CoachDigest, coach_id)
    if setting is not None and setting.weekly_on:
        setting.weekly_on = False
        _reschedule(setting, utcnow())
        db.session.commit()


def _reschedule(setting: CoachDigest, now: datetime) -> None:
    if setting.weekly_on:
        setting.due_at, setting.week_of = rules.next_due(setting.timezone, now)
    else:
        setting.due_at = setting.week_of = None


def unsubscribe_token(coach_id: int) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps(coach_id)


def coach_for_unsubscribe(token: str) -> int | None:
    """The coach a token names, if it is ours and the coach still exists."""
    try:
        value = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return value if db.session.scalar(select(User.id).where(User.id == value, User.is_coach)) else None


# ── the weekly sweep ────────────────────────────────────────────────────────────────────────

@dataclass
class DigestResult:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0  # no athletes this week
    missed: int = 0  # found more than 12 hours late
    deferred: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{name} {value}" for name, value in vars(self).items())


@dataclass(frozen=True)
class Claim:
    send_id: int
    coach_id: int
    attempts: int = 0


def sweep(now: datetime | None = None, batch: int = BATCH) -> DigestResult:
    """Send every digest due at `now` (naive UTC), then retry the ones whose time has come."""
    now = now or utcnow()
    result = DigestResult()
    while True:
        claims, rows = claim_due(now, batch, result)
        deliver(claims, now, result)
        if rows < batch:
            break
    while claims := claim_retries(now, batch):
        deliver(claims, now, result)
        if len(claims) < batch:
            break
    return result


def claim_due(now: datetime, batch: int, result: DigestResult) -> tuple[list[Claim], int]:
    query = (select(CoachDigest).where(CoachDigest.weekly_on.is_(True), CoachDigest.due_at <= now)
             .order_by(CoachDigest.due_at).limit(batch))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = db.session.scalars(query).all()
    if not rows:
        db.session.rollback()
        return [], 0
    wanted, moves = [], []
    for row in rows:
        if rules.worth_sending(row.timezone, row.week_of, now):
            wanted.append({"coach_id": row.user_id, "week_of": row.week_of, "status": "sending", "attempts": 0,
                           "next_try_at": now + LEASE, "created_at": now})
        else:
            result.missed += 1
        moves.append({"c": row.user_id, "old": row.due_at, **dict(zip(("new", "week"),
                                                                       rules.next_due(row.timezone, now)))})
        db.session.expunge(row)  # moved below, in SQL
    inserted = _insert_sends(wanted)
    table = CoachDigest.__table__
    db.session.execute(
        table.update().where(and_(table.c.user_id == bindparam("c"), table.c.due_at == bindparam("old")))
        .values(due_at=bindparam("new"), week_of=bindparam("week")), moves)
    db.session.commit()
    result.claimed += len(inserted)
    return [Claim(send_id, coach_id) for send_id, coach_id in inserted], len(rows)


def _insert_sends(wanted: list[dict]) -> list[tuple[int, int]]:
    if not wanted:
        return []
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = (insert(DigestSend).values(wanted).on_conflict_do_nothing(index_elements=["coach_id", "week_of"])
                 .returning(DigestSend.id, DigestSend.coach_id))
    return [tuple(row) for row in db.session.execute(statement)]


def claim_retries(now: datetime, batch: int) -> list[Claim]:
    """Failed sends (and sends whose worker died) whose time has come, one worker each."""
    send = DigestSend.__table__
    taken = lease_retries(send, now, batch, LEASE, send.c.id, send.c.coach_id, send.c.attempts)
    db.session.commit()
    return [Claim(send_id, coach_id, attempts) for send_id, coach_id, attempts in taken]


def deliver(claims: list[Claim], now: datetime, result: DigestResult) -> None:
    """Build and send each claimed digest; record the outcome of each."""
    for claim in claims:
        status, error = "sent", None
        try:
            message = build(claim.coach_id, now)
            if message is None:
                status = "skipped"
            else:
                mail.send(message)
        except Exception as failure:  # SMTP down or refused: retried below
            error = failure
        attempts = claim.attempts + 1
        values = {"attempts": attempts, "next_try_at": None, "last_error": None}
        if error is None:
            values.update(status=status, sent_at=now if status == "sent" else None)
            result.sent += status == "sent"
            result.skipped += status == "skipped"
        else:
            give_up = attempts >= MAX_ATTEMPTS
            values.update(status="failed" if give_up else "retry", last_error=str(error)[:500],
                          next_try_at=None if give_up else now + retry_delay(attempts))
            result.failed += give_up
            result.deferred += not give_up
            log.warning("Digest for coach %s failed (try %d): %s", claim.coach_id, attempts, error)
        db.session.execute(db.update(DigestSend).where(DigestSend.id == claim.send_id).values(**values))
        db.session.commit()


# ── the message ─────────────────────────────────────────────────────────────────────────────

def summary_for(coach: User, now: datetime | None = None) -> rules.Digest:
    """The coach's athletes as the board sees them at `now`, reduced to names and groups."""
    from app.coach.dashboard import dashboard_cards

    athletes = []
    for card in dashboard_cards(coach, now):
        snapshot = card.snapshot
        athletes.append(rules.Athlete(
            card.name, card.tier, card.quiet,
            stage=snapshot.stage if snapshot else None, streak=snapshot.streak if snapshot else 0,
            needed=snapshot.needed if snapshot else 0, walk_run=bool(snapshot and snapshot.run_level is not None),
            top_stage=card.top_stage,
            paused=bool(snapshot and snapshot.paused), setback=bool(snapshot and snapshot.setback)))
    return rules.summarise(athletes)


def build(coach_id: int, now: datetime | None = None):
    """The digest email for a coach, or None when the coach has no athletes (or no longer coaches)."""
    coach = db.session.get(User, coach_id)
    if coach is None or not coach.is_coach:
        return None
    digest = summary_for(coach, now)
    if digest.empty:
        return None
    groups = [("Needs attention", digest.needs_attention),
              ("Silent for 3 days or more", digest.silent),
              ("Ready to progress", digest.ready)]
    return mail.build(
        coach.email, SUBJECT, "digest",
        unsubscribe_url=absolute_url("digest.unsubscribe", token=unsubscribe_token(coach.id)),
        name=coach.display_name, groups=groups, count_label=rules.count_label, athletes=digest.athletes,
        board_link=absolute_url("coach.dashboard"), settings_link=absolute_url("auth.account") + "#digest",
    )
