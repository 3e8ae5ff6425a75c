"""The coach's dashboard: every athlete at a glance, in a constant number of queries.

Queries, whatever the number of athletes: the linked athletes with their profiles (1), their
progress snapshots (1, plus 5 to compute and store the missing ones), the last two weeks'
check-ins (1) and open red alerts (1), this week's warm-ups and sessions (1), the last day
anything was logged with whether reminders are all off (1), the runs of the last six weeks (1), and the Kujala and PSFS scores (1).
Rows come back as plain tuples: ORM objects cost too much here.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo

from markupsafe import Markup

from app.coach.access import active_athlete_ids, linked_athletes
from app.coach.charts import sparkline_svg
from app.progress.snapshots import Snapshot, snapshots_for
from app.domain.coaching import (
    ALERT_DAYS, AVERAGE_DAYS, NEEDS_ATTENTION, SPARK_DAYS, AthleteDay, Setback, attention, average, daily_values,
    describe_pains, progress_line, quiet_days, silent_days, sort_key, target_label,
)
from app.domain.adherence import STRENGTH_KINDS, week_start
from app.domain.charts import Sparkline, sparkline
from app.domain.reminders import all_off
from app.domain.progression import IMPACT_STAGE, RUN_STAGE
from app.domain.triage import RED_FLAGS, URGENCY_TITLES, urgency_of, urgency_rank
from app.extensions import db
from app.domain import outcomes
from app.models import (
    CheckIn, OutcomeResponse, PushSubscription, ReminderSettings, TrainingSession, User, WarmupLog,
)
from app.runs.service import board_flags

SPARK_SIZE = (112, 32)


@lru_cache(maxsize=4096)  # a page of the board draws 50, again on every load and 30 s poll
def _sparkline_markup(pains: tuple[int | None, ...]) -> Markup:
    return sparkline_svg(sparkline(pains, *SPARK_SIZE), describe_pains(pains))


@dataclass(frozen=True)
class Alert:
    """A red check-in nobody has acknowledged yet."""

    checkin_id: int
    local_date: date
    pain_now: int
    red_flags: tuple[str, ...]  # as people read them
    urgency: str | None = None  # "emergency" | "urgent" | "soon" | None (red without a flag)

    @property
    def urgency_title(self) -> str | None:
        return URGENCY_TITLES.get(self.urgency) if self.urgency else None


@dataclass(slots=True)
class Card:
    """One athlete on the dashboard (not frozen: a thousand are built per load, and frozen
    dataclasses are slower to build)."""

    athlete_id: int
    name: str
    has_profile: bool
    day: AthleteDay
    tier: int
    reasons: tuple[str, ...]
    order: tuple  # who needs attention first
    alerts: tuple[Alert, ...]
    pains: tuple[int | None, ...]
    latest: tuple[date, int] | None  # the latest check-in's day and pain now
    average: float | None
    snapshot: Snapshot | None
    progress: str | None  # "Stage 2 · 2 of 3 toward Stage 3"
    warmups: int
    sessions: int
    quiet: int | None
    outcome: str | None = None  # "Kujala +14 · PSFS +3.5 since the start"
    reminders_off: bool = False  # no reminder of any kind reaches the athlete
    top_stage: int = IMPACT_STAGE  # Stage 5 (return to run) only for runners coming back from pain
    kept_as: str | None = field(default=None, compare=False, repr=False)  # its JSON text, if read kept

    @property
    def as_text(self) -> str:
        """The card as its JSON text, which is all its HTML depends on (app/fragments.py keys the
        card's HTML by it): as kept, or as it would be kept."""
        return self.kept_as if self.kept_as is not None else json.dumps(card_to_json(self))

    @property
    def silent(self) -> int | None:
        """Days with nothing logged, from the 3-day mark (the athlete's nudge) on."""
        return silent_days(self.quiet)

    @property
    def needs_attention(self) -> bool:
        return self.tier <= NEEDS_ATTENTION

    @property
    def sessions_target(self) -> str:
        return target_label(self.sessions)

    @property
    def chart(self) -> Sparkline:
        """The sparkline's geometry: drawn only for the cards a page of the board shows."""
        return sparkline(self.pains, *SPARK_SIZE)

    @property
    def chart_label(self) -> str:
        return describe_pains(self.pains)

    @property
    def sparkline_markup(self) -> Markup:
        """The card's sparkline, drawn once per process for the same 14 days of pain."""
        return _sparkline_markup(self.pains)

    @property
    def status_label(self) -> str:
        status = self.day.status_today
        return status.capitalize() if status else "No check-in today"


def dashboard_cards(coach: User, now: datetime | None = None) -> list[Card]:
    """The coach's athletes, those who need attention first (as of naive-UTC `now`, default now)."""
    return sorted(build_cards(linked_athletes(coach), active_athlete_ids(coach.id), now),
                  key=lambda card: card.order)


def build_cards(athletes, linked, now: datetime | None = None) -> list[Card]:
    """The cards of `athletes` (rows of linked_athletes), in no particular order; `linked` is
    their ids, as a list or a subquery."""
    if not athletes:
        return []
    todays = _todays(athletes, now)
    since = min(todays.values()) - timedelta(days=ALERT_DAYS - 1)
    snapshots = snapshots_for(athlete.id for athlete in athletes if athlete.timezone is not None)
    checkins, alerts = _recent_checkins(linked, since), _open_alerts(linked, since)
    week = _week_activity(linked, min(week_start(today) for today in todays.values()))
    (last, reminders_off), changes = _last_active(linked), _outcome_changes(linked)
    runs = board_flags(linked, todays, checkins)
    cards = [
        _card(athlete, todays[athlete.id], checkins.get(athlete.id, ()), alerts.get(athlete.id, ()),
              week.get(athlete.id, ()), last.get(athlete.id), snapshots.get(athlete.id),
              runs.get(athlete.id, (0, 0)), changes.get(athlete.id),
              athlete.timezone is not None and athlete.id in reminders_off)
        for athlete in athletes
    ]
    return cards


def _todays(athletes, now: datetime | None = None) -> dict[int, date]:
    """Each athlete's own today, working each time zone out once."""
    moment = now.replace(tzinfo=UTC) if now is not None else datetime.now(UTC)
    by_zone: dict[str, date] = {}
    for zone in {athlete.timezone or "UTC" for athlete in athletes}:
        by_zone[zone] = moment.astimezone(ZoneInfo(zone)).date()
    return {athlete.id: by_zone[athlete.timezone or "UTC"] for athlete in athletes}


def day_ends(today: date, timezone: str | None) -> datetime:
    """When an athlete's `today` ends, as naive UTC: the card built for it holds until then."""
    midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), ZoneInfo(timezone or "UTC"))
    return midnight.astimezone(UTC).replace(tzinfo=None)


# ── a card as JSON, to be kept (app/coach/kept_cards.py) ─────────────────────────────────────

def card_to_json(card: Card) -> dict:
    """Everything a card shows, as JSON; card_from_json gives back an equal Card."""
    day = card.day
    return {
        "athlete_id": card.athlete_id, "name": card.name, "has_profile": card.has_profile,
        "day": {"name": day.name, "today": day.today.isoformat(), "status_today": day.status_today,
                "unacknowledged": day.unacknowledged, "setback": _setback_to_json(day.setback),
                "last_active": _iso(day.last_active), "urgency": day.urgency, "run_spikes": day.run_spikes,
                "pain_marked_runs": day.pain_marked_runs, "outcome_drop": day.outcome_drop,
                "paused": day.paused},
        "tier": card.tier, "reasons": list(card.reasons), "order": list(card.order),
        "alerts": [[alert.checkin_id, alert.local_date.isoformat(), alert.pain_now, list(alert.red_flags),
                    alert.urgency] for alert in card.alerts],
        "pains": list(card.pains), "latest": card.latest and [card.latest[0].isoformat(), card.latest[1]],
        "average": card.average, "snapshot": card.snapshot and card.snapshot.to_json(),
        "progress": card.progress, "warmups": card.warmups, "sessions": card.sessions, "quiet": card.quiet,
        "outcome": card.outcome, "reminders_off": card.reminders_off, "top_stage": card.top_stage,
    }


@lru_cache(maxsize=4096)  # a page of the board shows 50, again on every load and 30 s poll
def card_from_text(text: str) -> Card:
    """A card from its JSON text (a kept card, or `Card.as_text`), parsed once per process for the
    same text. Shared: nothing changes a card once built."""
    card = card_from_json(json.loads(text))
    card.kept_as = text
    return card


def card_from_json(data: dict) -> Card:
    day = data["day"]
    return Card(
        athlete_id=data["athlete_id"], name=data["name"], has_profile=data["has_profile"],
        day=AthleteDay(day["name"], date.fromisoformat(day["today"]), day["status_today"], day["unacknowledged"],
                       _setback_from_json(day["setback"]), _date(day["last_active"]), day["urgency"],
                       day["run_spikes"], day["pain_marked_runs"], day["outcome_drop"], day["paused"]),
        tier=data["tier"], reasons=tuple(data["reasons"]), order=tuple(data["order"]),
        alerts=tuple(Alert(checkin_id, date.fromisoformat(day_), pain_now, tuple(flags), urgency)
                     for checkin_id, day_, pain_now, flags, urgency in data["alerts"]),
        pains=tuple(data["pains"]),
        latest=data["latest"] and (date.fromisoformat(data["latest"][0]), data["latest"][1]),
        average=data["average"], snapshot=data["snapshot"] and Snapshot.from_json(data["snapshot"]),
        progress=data["progress"], warmups=data["warmups"], sessions=data["sessions"], quiet=data["quiet"],
        outcome=data["outcome"], reminders_off=data["reminders_off"], top_stage=data["top_stage"],
    )


def _setback_to_json(setback: Setback | None) -> list | None:
    return setback and [setback.kind, setback.local_date.isoformat(), setback.reason]


def _setback_from_json(data: list | None) -> Setback | None:
    return data and Setback(data[0], date.fromisoformat(data[1]), data[2])


def _iso(day: date | None) -> str | None:
    return day and day.isoformat()


def _date(text: str | None) -> date | None:
    return text and date.fromisoformat(text)


def _card(athlete, today: date, checkins, alerts, week, last_active: date | None,
          snapshot: Snapshot | None, run_flags: tuple[int, int] = (0, 0),
          outcome: tuple[str, str | None] | None = None, reminders_off: bool = False) -> Card:
    """Everything one athlete's card shows, from rows already loaded."""
    pain_by_day, status_today, latest = {}, None, None
    for day, pain_now, status, _after in sorted(checkins):
        if day <= today:
            pain_by_day[day], latest = pain_now, (day, pain_now)
            status_today = status if day == today else status_today
    alerts = tuple(alert for alert in alerts if 0 <= (today - alert.local_date).days < ALERT_DAYS)
    pains = daily_values(pain_by_day, today, SPARK_DAYS)
    urgency = min((alert.urgency for alert in alerts), key=urgency_rank, default=None)
    day = AthleteDay(athlete.display_name, today, status_today, len(alerts),
                     snapshot.setback if snapshot else None, last_active, urgency, *run_flags,
                     outcome[1] if outcome else None, paused=bool(snapshot and snapshot.paused))
    tier, reasons = attention(day)
    monday = week_start(today)
    this_week = [kind for kind, local_date in week if monday <= local_date <= today]
    return Card(
        athlete_id=athlete.id, name=athlete.display_name, has_profile=athlete.timezone is not None, day=day,
        tier=tier, reasons=reasons, order=sort_key(day, athlete.id, tier), alerts=alerts, pains=tuple(pains),
        latest=latest, average=average(pains[-AVERAGE_DAYS:]),
        snapshot=snapshot, progress=_progress(snapshot, athlete.knee_status),
        warmups=this_week.count("warmup"), sessions=this_week.count("session"), quiet=quiet_days(last_active, today),
        outcome=outcome[0] if outcome else None, reminders_off=reminders_off,
        top_stage=RUN_STAGE if athlete.knee_status == "returning" else IMPACT_STAGE,
    )


OUTCOME_NAMES = {"akps": "Kujala", "psfs": "PSFS"}


def _outcome_changes(linked) -> dict[int, tuple[str, str | None]]:
    """Each athlete's latest Kujala and PSFS change since baseline, and the drop that matters, if any."""
    series: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for athlete_id, kind, day, score in db.session.execute(
            db.select(OutcomeResponse.athlete_id, OutcomeResponse.kind, OutcomeResponse.local_date,
                      OutcomeResponse.score)
            .where(OutcomeResponse.athlete_id.in_(linked), OutcomeResponse.kind.in_(tuple(OUTCOME_NAMES)))):
        series[athlete_id][kind].append((day, round(score * 6)))  # sixths: PSFS means of 1–3 ratings are exact
    changes = {}
    for athlete_id, kinds in series.items():
        parts, drop = [], None
        for kind, name in OUTCOME_NAMES.items():
            point = outcomes.latest_change([(d, Fraction(s, 6)) for d, s in kinds.get(kind, [])],
                                           outcomes.MCID[kind])
            if point is None:
                continue
            parts.append(f"{name} {'+' if point.change >= 0 else '−'}{outcomes.fmt(abs(point.change))}")
            if drop is None and outcomes.is_meaningful_drop(point):
                drop = f"{name} down {outcomes.fmt(-point.change)} since the start"
        if parts:
            changes[athlete_id] = (" · ".join(parts) + " since the start", drop)
    return changes


def _progress(snapshot: Snapshot | None, knee_status: str | None) -> str | None:
    if snapshot is None:
        return None
    top = RUN_STAGE if knee_status == "returning" else IMPACT_STAGE
    return progress_line(snapshot.stage, snapshot.run_level, snapshot.streak, snapshot.needed, top)


def _recent_checkins(linked, since: date) -> dict[int, list[tuple]]:
    """(day, pain now, status, after session) of each check-in since a day, per athlete."""
    rows = db.session.execute(
        db.select(CheckIn.athlete_id, CheckIn.local_date, CheckIn.pain_now, CheckIn.status,
                  CheckIn.after_session)
        .where(CheckIn.athlete_id.in_(linked), CheckIn.local_date >= since)
    )
    by_athlete: dict[int, list] = defaultdict(list)
    for athlete_id, *values in rows:
        by_athlete[athlete_id].append(values)
    return by_athlete


def _open_alerts(linked, since: date) -> dict[int, list[Alert]]:
    """Red check-ins since a day that nobody has acknowledged, per athlete, newest first."""
    rows = db.session.execute(
        db.select(CheckIn.athlete_id, CheckIn.id, CheckIn.local_date, CheckIn.pain_now, CheckIn.red_flags,
                  CheckIn.calf_breathless, CheckIn.swelling)
        .where(CheckIn.athlete_id.in_(linked), CheckIn.local_date >= since, CheckIn.status == "red",
               CheckIn.acknowledged_at.is_(None))
        .order_by(CheckIn.local_date.desc())
    )
    by_athlete: dict[int, list] = defaultdict(list)
    for athlete_id, checkin_id, day, pain_now, flags, calf_breathless, swelling in rows:
        flags = flags or ()
        by_athlete[athlete_id].append(Alert(checkin_id, day, pain_now, tuple(RED_FLAGS.get(f, f) for f in flags),
                                            urgency_of(flags, calf_breathless, swelling)))
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


def _last_active(linked) -> tuple[dict[int, date], set[int]]:
    """The last day each athlete checked in, warmed up or trained (an index seek per athlete and
    table), and who has every reminder off: one statement, the settings joined in (an athlete
    with no settings row yet gets the defaults, which are on)."""
    latest = [
        db.select(db.func.max(model.local_date)).where(model.athlete_id == User.id).scalar_subquery()
        for model in (CheckIn, WarmupLog, TrainingSession)
    ]
    settings = ReminderSettings
    has_device = db.exists().where(PushSubscription.user_id == User.id)
    rows = db.session.execute(
        db.select(User.id, settings.user_id, settings.email_on, settings.push_on, has_device,
                  settings.checkin_on | settings.next_morning_on | settings.nudge_on,
                  settings.training_on & (settings.training_days != 0), *latest)
        .outerjoin(settings, settings.user_id == User.id).where(User.id.in_(linked)))
    last, off = {}, set()
    for athlete_id, stored, email_on, push_on, device, daily_on, training_on, *days in rows:
        if any(day is not None for day in days):
            last[athlete_id] = max(_as_date(day) for day in days if day is not None)
        if stored is not None and all_off(email_on=email_on, push_on=push_on, has_device=bool(device),
                                          daily_on=bool(daily_on), training_on=bool(training_on)):
            off.add(athlete_id)
    return last, off


def _as_date(value) -> date:
    """SQLite hands back dates from a UNION as text."""
    return value if isinstance(value, date) else date.fromisoformat(value)
