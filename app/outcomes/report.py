"""The physio report: one athlete, one period, every fact a clinician asks for, as plain data
that the printable page, the PDF and the FHIR bundle all read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from app.domain import outcomes
from app.domain.adherence import SESSION_TARGET
from app.domain.triage import RED_FLAGS
from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachAction, TrainingSession, User, WarmupLog
from app.outcomes import chart, service
from app.progress import progress_for

MAX_PERIOD_DAYS = 731  # two years, a leap day included
URGENCY = {
    "cannot_move_or_deformed": "Emergency, now",
    "constant_or_night_pain": "Soon", "bone_tenderness_or_hop_pain": "Soon",
}
ACT_LABELS = {
    "pause": "Paused the progression", "resume": "Resumed the progression", "set_stage": "Set the stage to {value}",
    "set_threshold": "Set the pain threshold to {value}/10",
    "set_sessions_to_advance": "Set pain-free sessions to advance to {value}", "note": "Note: {text}",
    "ack_red_flag": "Acknowledged a red flag", "set_outcome_interval": "Set questionnaires every {value} weeks",
    "request_outcomes": "Asked for a questionnaire now",
}


class PeriodError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def parse_period(start_text: str | None, end_text: str | None, today: date, first_day: date) -> tuple[date, date]:
    """The report's period from the form; the last 12 weeks (within the program) by default."""
    end = _day(end_text, "end", today)
    start = _day(start_text, "start", max(first_day, end - timedelta(weeks=12) + timedelta(days=1)))
    if end < start:
        raise PeriodError("end", "The end date is before the start date.")
    if end > today:
        raise PeriodError("end", f"The end date is after today ({today:%-d %B %Y}).")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise PeriodError("start", "A report covers two years at most: choose a later start date.")
    return start, end


def _day(text: str | None, field: str, default: date) -> date:
    if text is None or text.strip() == "":
        return default
    if len(text) > 10:
        raise PeriodError(field, "Enter a date, like 2026-11-24.")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(field, "Enter a date, like 2026-11-24.") from None


@dataclass(frozen=True)
class Score:
    measure: str
    name: str
    local_date: date
    value: str
    change: str  # since the first in the period, signed; "" for the first
    meaningful: bool


@dataclass(frozen=True)
class RedFlag:
    local_date: date
    flags: tuple[str, ...]
    urgency: str
    acknowledged: str  # "acknowledged by Sam on 3 Mar 2026" or "not acknowledged yet"


@dataclass(frozen=True)
class Report:
    athlete: str
    email: str
    start: date
    end: date
    made_on: date
    stage: int
    stage_why: str
    paused: bool
    readings: tuple[str, ...]
    activities: tuple[str, ...]  # the PSFS activities named at baseline
    scores: tuple[Score, ...]
    pain_weeks: tuple[outcomes.PainWeek, ...]
    daily_pain: dict
    checkins: int
    warmups: int
    sessions_per_week: str
    session_target: str
    red_flags: tuple[RedFlag, ...]
    acts: tuple[tuple[date, str, str], ...]  # (day, coach, what)
    charts: tuple[chart.ScoreChart, ...]


def build(athlete: User, profile: AthleteProfile, start: date, end: date, today: date) -> Report:
    rows = service.responses(athlete.id, start, end)
    by_kind = service.series(rows)
    pains = service.daily_pain(athlete.id, start, end)
    weeks = outcomes.pain_weeks(pains, start, end)
    state = progress_for(profile, today)
    days = (end - start).days + 1
    sessions = db.session.scalar(db.select(db.func.count(TrainingSession.id)).where(
        TrainingSession.athlete_id == athlete.id, TrainingSession.kind.in_(("strength", "entry_test")),
        TrainingSession.finished_at.is_not(None), TrainingSession.local_date.between(start, end))) or 0
    warmups = db.session.scalar(db.select(db.func.count(WarmupLog.id)).where(
        WarmupLog.athlete_id == athlete.id, WarmupLog.local_date.between(start, end))) or 0
    pain_series = [(w.end, w.average) for w in weeks if w.average is not None]
    readings = [outcomes.reading(m, by_kind[m], for_runner=False) for m in ("akps", "psfs") if by_kind[m]]
    if pain_series:
        readings.append(outcomes.reading("nprs", pain_series, for_runner=False))
    return Report(
        athlete=athlete.display_name, email=athlete.email, start=start, end=end, made_on=today,
        stage=state.stage, stage_why=state.summary, paused=state.paused, readings=tuple(readings),
        activities=tuple(service.baseline_activities(athlete.id)),
        scores=tuple(scores_of(by_kind)), pain_weeks=tuple(weeks), daily_pain=pains, checkins=len(pains),
        warmups=warmups, sessions_per_week=outcomes.fmt(round(Fraction(sessions * 7, days), 1)),
        session_target=f"{SESSION_TARGET[0]}–{SESSION_TARGET[1]}",
        red_flags=tuple(_red_flags(athlete.id, start, end)), acts=tuple(_acts(athlete.id, profile, start, end)),
        charts=tuple(chart.measure_charts(by_kind, weeks, start, end)),
    )


def scores_of(by_kind) -> list[Score]:
    scores = []
    names = {"akps": "Kujala AKPS", "psfs": "PSFS", "groc": "GROC"}
    for measure in ("akps", "psfs"):
        for n, point in enumerate(outcomes.changes(by_kind[measure], outcomes.MCID[measure])):
            change = "" if n == 0 else f"{'+' if point.change >= 0 else '−'}{outcomes.fmt(abs(point.change))}"
            scores.append(Score(measure, names[measure], point.local_date, outcomes.fmt(point.score), change,
                                point.meaningful))
    for day, value in by_kind["groc"]:
        scores.append(Score("groc", names["groc"], day, f"{int(value):+d}", outcomes.GROC_LABELS[int(value)], False))
    return sorted(scores, key=lambda s: (s.local_date, s.measure))


def _red_flags(athlete_id: int, start: date, end: date) -> list[RedFlag]:
    rows = db.session.execute(
        db.select(CheckIn, User.display_name).outerjoin(User, User.id == CheckIn.acknowledged_by_id)
        .where(CheckIn.athlete_id == athlete_id, CheckIn.status == "red", CheckIn.local_date.between(start, end))
        .order_by(CheckIn.local_date)).all()
    flags = []
    for checkin, by in rows:
        keys = tuple(checkin.red_flags or ())
        urgencies = [URGENCY.get(key, "Urgent, today") for key in keys] or ["Red check-in (pain or swelling)"]
        order = ("Emergency, now", "Urgent, today", "Soon")
        urgency = min(urgencies, key=lambda u: order.index(u) if u in order else len(order))
        seen = "not acknowledged yet" if checkin.acknowledged_at is None else (
            f"acknowledged by {by or 'a former coach'} on {checkin.acknowledged_at:%-d %b %Y}")
        flags.append(RedFlag(checkin.local_date, tuple(RED_FLAGS.get(k, k) for k in keys), urgency, seen))
    return flags


def _acts(athlete_id: int, profile: AthleteProfile, start: date, end: date) -> list[tuple[date, str, str]]:
    rows = db.session.scalars(db.select(CoachAction).where(CoachAction.athlete_id == athlete_id)
                              .order_by(CoachAction.created_at, CoachAction.id))
    acts = []
    for action in rows:
        day = service.local_day(action.created_at, profile)
        if start <= day <= end:
            text = ACT_LABELS[action.kind].format(value=action.value, text=action.text or "")
            acts.append((day, action.coach_name, text))
    return acts
