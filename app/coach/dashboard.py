"""The coach's dashboard: every athlete at a glance, in a constant number of queries.

Queries, whatever the number of athletes: the linked athletes with their profiles (1), their
progress snapshots (1, plus 4 to compute and store the missing ones), recent check-ins (1),
this week's warm-ups and sessions (1), and the last day anything was logged (1).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from app.coach.access import active_athlete_ids, linked_athletes
from app.coach.snapshots import Snapshot, snapshots_for
from app.domain.coaching import (
    ALERT_DAYS, AVERAGE_DAYS, NEEDS_ATTENTION, SPARK_DAYS, AthleteDay, Chart, attention, average, daily_values,
    describe_pains, line_chart, progress_line, quiet_days, sort_key, target_label, week_start,
)
from app.domain.progression import IMPACT_STAGE, RUN_STAGE
from app.domain.triage import RED_FLAGS
from app.extensions import db
from app.models import AthleteProfile, CheckIn, TrainingSession, User, WarmupLog
from app.progress import local_today

STRENGTH_KINDS = ("strength", "entry_test")
SPARK_SIZE = (112, 32)


@dataclass(frozen=True)
class Alert:
    """A red check-in nobody has acknowledged yet."""

    checkin_id: int
    local_date: date
    pain_now: int
    red_flags: tuple[str, ...]  # as people read them


@dataclass(frozen=True)
class Card:
    """One athlete on the dashboard."""

    athlete_id: int
    name: str
    has_profile: bool
    day: AthleteDay
    tier: int
    reasons: tuple[str, ...]
    alerts: tuple[Alert, ...]
    pains: tuple[int | None, ...]
    chart: Chart
    latest: tuple[date, int] | None  # the latest check-in's day and pain now
    average: float | None
    snapshot: Snapshot | None
    progress: str | None  # "Stage 2 · 2 of 3 toward Stage 3"
    warmups: int
    sessions: int
    quiet: int | None

    @property
    def needs_attention(self) -> bool:
        return self.tier <= NEEDS_ATTENTION

    @property
    def sessions_target(self) -> str:
        return target_label(self.sessions)

    @property
    def chart_label(self) -> str:
        return describe_pains(self.pains)


def dashboard_cards(coach: User) -> list[Card]:
    """The coach's athletes, those who need attention first."""
    athletes = linked_athletes(coach)
    if not athletes:
        return []
    todays = {user.id: local_today(profile) for user, profile in athletes}
    linked = active_athlete_ids(coach.id)
    snapshots = snapshots_for([profile for _, profile in athletes if profile is not None])
    checkins = _recent_checkins(linked, min(todays.values()) - timedelta(days=ALERT_DAYS))
    week = _week_activity(linked, min(week_start(today) for today in todays.values()))
    last = _last_active(linked)
    cards = [
        _card(user, profile, todays[user.id], checkins[user.id], week[user.id], last.get(user.id),
              snapshots.get(user.id))
        for user, profile in athletes
    ]
    return sorted(cards, key=lambda card: sort_key(card.day, card.athlete_id))


def _card(user: User, profile: AthleteProfile | None, today: date, checkins: list, week: list,
          last_active: date | None, snapshot: Snapshot | None) -> Card:
    """Everything one athlete's card shows, from rows already loaded."""
    checkins = sorted((row for row in checkins if row.local_date <= today), key=lambda row: row.local_date)
    by_day = {row.local_date: row for row in checkins}
    pains = daily_values({day: row.pain_now for day, row in by_day.items()}, today, SPARK_DAYS)
    alerts = tuple(
        Alert(row.id, row.local_date, row.pain_now, tuple(RED_FLAGS.get(flag, flag) for flag in row.red_flags or ()))
        for row in reversed(checkins)
        if row.status == "red" and row.acknowledged_at is None and (today - row.local_date).days < ALERT_DAYS
    )
    status_today = by_day[today].status if today in by_day else None
    day = AthleteDay(user.display_name, today, status_today, len(alerts),
                     snapshot.setback if snapshot else None, last_active)
    tier, reasons = attention(day)
    this_week = [kind for kind, local_date in week if week_start(today) <= local_date <= today]
    latest = (checkins[-1].local_date, checkins[-1].pain_now) if checkins else None
    return Card(
        athlete_id=user.id, name=user.display_name, has_profile=profile is not None, day=day, tier=tier,
        reasons=reasons, alerts=alerts, pains=tuple(pains), chart=line_chart(pains, *SPARK_SIZE),
        latest=latest, average=average(pains[-AVERAGE_DAYS:]), snapshot=snapshot,
        progress=_progress(snapshot, profile),
        warmups=this_week.count("warmup"), sessions=this_week.count("session"),
        quiet=quiet_days(last_active, today),
    )


def _progress(snapshot: Snapshot | None, profile: AthleteProfile | None) -> str | None:
    if snapshot is None or profile is None:
        return None
    top = RUN_STAGE if profile.knee_status == "returning" else IMPACT_STAGE
    return progress_line(snapshot.stage, snapshot.run_level, snapshot.streak, snapshot.needed, top)


def _recent_checkins(linked, since: date) -> dict[int, list]:
    rows = db.session.execute(
        db.select(CheckIn.id, CheckIn.athlete_id, CheckIn.local_date, CheckIn.pain_now, CheckIn.status,
                  CheckIn.red_flags, CheckIn.acknowledged_at)
        .where(CheckIn.athlete_id.in_(linked), CheckIn.local_date >= since)
    ).all()
    by_athlete: dict[int, list] = defaultdict(list)
    for row in rows:
        by_athlete[row.athlete_id].append(row)
    return by_athlete


def _week_activity(linked, since: date) -> dict[int, list[tuple[str, date]]]:
    """("warmup" | "session", day) for each warm-up and finished strength session since a day."""
    warmups = db.select(db.literal("warmup").label("kind"), WarmupLog.athlete_id, WarmupLog.local_date).where(
        WarmupLog.athlete_id.in_(linked), WarmupLog.local_date >= since)
    sessions = db.select(db.literal("session").label("kind"), TrainingSession.athlete_id,
                         TrainingSession.local_date).where(
        TrainingSession.athlete_id.in_(linked), TrainingSession.local_date >= since,
        TrainingSession.kind.in_(STRENGTH_KINDS), TrainingSession.finished_at.is_not(None))
    by_athlete: dict[int, list] = defaultdict(list)
    for kind, athlete_id, local_date in db.session.execute(db.union_all(warmups, sessions)):
        by_athlete[athlete_id].append((kind, _as_date(local_date)))
    return by_athlete


def _last_active(linked) -> dict[int, date]:
    """The last day each athlete checked in, warmed up or trained."""
    parts = [
        db.select(model.athlete_id.label("athlete_id"), db.func.max(model.local_date).label("day"))
        .where(model.athlete_id.in_(linked)).group_by(model.athlete_id)
        for model in (CheckIn, WarmupLog, TrainingSession)
    ]
    latest = db.union_all(*parts).subquery()
    rows = db.session.execute(db.select(latest.c.athlete_id, db.func.max(latest.c.day)).group_by(latest.c.athlete_id))
    return {athlete_id: _as_date(day) for athlete_id, day in rows if day is not None}


def _as_date(value) -> date:
    """SQLite hands back dates from a UNION as text."""
    return value if isinstance(value, date) else date.fromisoformat(value)
