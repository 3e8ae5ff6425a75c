"""One athlete as their coach sees them: check-ins with a chart, sessions with per-exercise
pain, the progression timeline with every coach act, and warm-up adherence week by week."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import aliased

from app.clock import local_today
from app.domain.adherence import STRENGTH_KINDS, week_start
from app.domain.charts import Sparkline, sparkline
from app.domain.coaching import daily_values
from app.domain.content import dose_label
from app.domain.progression import ProgressState, SessionVerdict
from app.domain.triage import (
    AFTER_SESSION, AGGRAVATORS, LOCATIONS, RED_FLAGS, STIFFNESS, SWELLING, URGENCY_TITLES, urgency_of,
)
from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachAction, Exercise, ExerciseLog, TrainingSession, User, WarmupLog
from app.progress import progress_for

WINDOWS = (28, 90)
ADHERENCE_WEEKS = 4
CHART_SIZE = (320, 120)
TIMELINE_KINDS = ("note", "ack_red_flag")


LABELS = {
    "runner": {"new": "New runner", "long_distance": "Long-distance runner", "trail": "Trail runner",
               "general": "Runner"},
    "knee": {"none": "no knee pain", "niggles": "knee niggles", "returning": "coming back from knee pain"},
    "session": {"strength": "Strength", "entry_test": "Entry test", "run": "Walk–run"},
    "outcome": {"counts": "Counts", "held": "Held", "stepped_back": "Stepped back", "not_counted": "Doesn't count",
                "paused": "Paused"},
}


@dataclass(frozen=True)
class CheckinRow:
    checkin: CheckIn
    details: str  # stiffness, swelling, where, what makes it worse, the morning after
    red_flags: tuple[str, ...]
    acknowledged_by: str | None

    @property
    def urgency(self) -> str | None:
        """How soon this check-in's red flags needed a clinician (None without any)."""
        c = self.checkin
        return urgency_of(c.red_flags or (), c.calf_breathless, c.swelling) if c.status == "red" else None

    @property
    def urgency_title(self) -> str | None:
        return URGENCY_TITLES[self.urgency] if self.urgency else None


@dataclass(frozen=True)
class ExerciseRow:
    name: str
    done: str  # "2 × 10 each side", "skipped"
    pain: int | None
    skipped: bool


@dataclass(frozen=True)
class SessionRow:
    session: TrainingSession
    exercises: tuple[ExerciseRow, ...]
    verdict: SessionVerdict | None


@dataclass(frozen=True)
class TimelineItem:
    local_date: date
    at: datetime | None  # in the athlete's time zone; None for a whole day (a check-in)
    kind: str
    text: str


@dataclass(frozen=True)
class Week:
    start: date
    warmups: int
    sessions: int
    checkins: int


@dataclass(frozen=True)
class AthleteDetail:
    athlete: User
    profile: AthleteProfile | None
    today: date
    days: int
    state: ProgressState | None
    checkins: tuple[CheckinRow, ...]  # newest first
    chart: Sparkline
    pains: tuple[int | None, ...]
    sessions: tuple[SessionRow, ...]  # newest first
    timeline: tuple[TimelineItem, ...]  # newest first
    weeks: tuple[Week, ...]  # this week first

    @property
    def alerts(self) -> tuple[CheckinRow, ...]:
        return tuple(row for row in self.checkins if row.checkin.status == "red" and row.checkin.acknowledged_at is None)


def athlete_detail(athlete: User, days: int) -> AthleteDetail:
    """Everything the athlete page shows, for the last `days` days."""
    profile = athlete.profile
    today = local_today(profile)
    first = min(today - timedelta(days=days - 1), week_start(today) - timedelta(weeks=ADHERENCE_WEEKS - 1))
    state = progress_for(profile, today) if profile is not None else None
    checkins = _checkins(athlete.id, first)
    sessions = _sessions(athlete.id, first, state)
    zone = ZoneInfo(profile.timezone if profile else "UTC")
    window_start = today - timedelta(days=days - 1)
    pains = daily_values({row.checkin.local_date: row.checkin.pain_now for row in checkins}, today, days)
    return AthleteDetail(
        athlete=athlete, profile=profile, today=today, days=days, state=state,
        checkins=tuple(row for row in checkins if row.checkin.local_date >= window_start),
        chart=sparkline(pains, *CHART_SIZE, pad=14), pains=tuple(pains),
        sessions=tuple(row for row in sessions if row.session.local_date >= window_start),
        timeline=_timeline(athlete.id, state, window_start, zone),
        weeks=_weeks(athlete.id, today, checkins, sessions),
    )


def _checkins(athlete_id: int, since: date) -> list[CheckinRow]:
    acknowledger = aliased(User)
    rows = db.session.execute(
        db.select(CheckIn, acknowledger.display_name)
        .outerjoin(acknowledger, acknowledger.id == CheckIn.acknowledged_by_id)
        .where(CheckIn.athlete_id == athlete_id, CheckIn.local_date >= since)
        .order_by(CheckIn.local_date.desc())
    ).all()
    return [CheckinRow(checkin, _details(checkin), tuple(RED_FLAGS.get(flag, flag) for flag in checkin.red_flags or ()),
                       name) for checkin, name in rows]


def _details(checkin: CheckIn) -> str:
    """The rest of a check-in's answers in one line."""
    parts = [STIFFNESS.get(checkin.stiffness, checkin.stiffness), SWELLING.get(checkin.swelling, checkin.swelling)]
    if checkin.locations:
        parts.append(", ".join(LOCATIONS.get(place, place) for place in checkin.locations))
    if checkin.aggravators:
        parts.append("worse with " + ", ".join(AGGRAVATORS.get(a, a) for a in checkin.aggravators).lower())
    if checkin.after_session:
        parts.append(AFTER_SESSION.get(checkin.after_session, checkin.after_session))
    return " · ".join(parts)


def _sessions(athlete_id: int, since: date, state: ProgressState | None) -> list[SessionRow]:
    rows = db.session.execute(
        db.select(TrainingSession, ExerciseLog, Exercise.name, Exercise.per_side)
        .outerjoin(ExerciseLog, ExerciseLog.session_id == TrainingSession.id)
        .outerjoin(Exercise, Exercise.id == ExerciseLog.exercise_id)
        .where(TrainingSession.athlete_id == athlete_id, TrainingSession.local_date >= since)
        .order_by(TrainingSession.local_date.desc(), TrainingSession.started_at.desc(), TrainingSession.id.desc(),
                  ExerciseLog.position)
    ).all()
    sessions: dict[int, TrainingSession] = {}
    exercises: dict[int, list[ExerciseRow]] = defaultdict(list)
    for session, log, name, per_side in rows:
        sessions[session.id] = session
        if log is not None:
            exercises[session.id].append(ExerciseRow(name, _done(log, per_side), log.pain, log.skipped))
    verdicts = state.verdicts if state else {}
    return [SessionRow(session, tuple(exercises[session.id]), verdicts.get(session.id))
            for session in sessions.values()]


def _done(log: ExerciseLog, per_side: bool) -> str:
    """What was done of an exercise, as its dose reads."""
    if log.skipped:
        return "skipped"
    if log.reps is None and log.seconds is None:
        return "—"
    return dose_label(log.sets or 1, log.reps, log.seconds, bool(per_side))


def _timeline(athlete_id: int, state: ProgressState | None, since: date, zone: ZoneInfo) -> tuple[TimelineItem, ...]:
    """The engine's events and the coach's notes and acknowledgements, newest first."""
    items = [TimelineItem(event.local_date, _local(event.at, zone), event.kind, event.reason)
             for event in (state.events if state else ()) if event.local_date >= since]
    actions = db.session.execute(
        db.select(CoachAction, CheckIn.local_date)
        .outerjoin(CheckIn, CheckIn.id == CoachAction.checkin_id)
        .where(CoachAction.athlete_id == athlete_id, CoachAction.kind.in_(TIMELINE_KINDS))
    ).all()
    for action, checkin_day in actions:
        at = _local(action.created_at, zone)
        if at.date() >= since:
            items.append(TimelineItem(at.date(), at, action.kind, _action_text(action, checkin_day)))
    items.sort(key=lambda item: (item.local_date, item.at is not None, item.at or datetime.min), reverse=True)
    return tuple(items)


def _action_text(action: CoachAction, checkin_day: date | None) -> str:
    if action.kind == "note":
        return f"Note from {action.coach_name}: {action.text}"
    when = f" of {checkin_day.day} {checkin_day.strftime('%B')}" if checkin_day else ""
    return f"{action.coach_name} acknowledged the red check-in{when}"


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A naive UTC moment in the athlete's time zone (naive again, for display)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def _weeks(athlete_id: int, today: date, checkins: list[CheckinRow], sessions: list[SessionRow]) -> tuple[Week, ...]:
    """Warm-ups, strength sessions and check-ins in each of the last few weeks, this week first."""
    first = week_start(today) - timedelta(weeks=ADHERENCE_WEEKS - 1)
    warmup_days = db.session.scalars(
        db.select(WarmupLog.local_date).where(WarmupLog.athlete_id == athlete_id, WarmupLog.local_date >= first))
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for day in warmup_days:
        counts[week_start(day), "warmups"] += 1
    for row in sessions:
        if row.session.kind in STRENGTH_KINDS and row.session.finished_at is not None:
            counts[week_start(row.session.local_date), "sessions"] += 1
    for row in checkins:
        counts[week_start(row.checkin.local_date), "checkins"] += 1
    starts = [week_start(today) - timedelta(weeks=n) for n in range(ADHERENCE_WEEKS)]
    return tuple(Week(start, counts[start, "warmups"], counts[start, "sessions"], counts[start, "checkins"])
                 for start in starts)

