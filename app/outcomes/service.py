"""Outcome questionnaires in the database: what is due, saving a round, and each measure's series.

The interval and "ask for one now" are coach acts (CoachAction rows): the latest one counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam

from app.domain import outcomes
from app.extensions import db
from app.models import AthleteProfile, CheckIn, OutcomeResponse
from app.progress import latest_action, remembered


def local_day(moment: datetime, profile: AthleteProfile) -> date:
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(profile.timezone)).date()


def program_start(profile: AthleteProfile) -> date:
    """The athlete's first day: the local day their profile was made."""
    return local_day(profile.created_at, profile)


def interval_weeks(athlete_id: int) -> int:
    """The coach's interval between rounds, or the default 4 weeks."""
    action = latest_action(athlete_id, "set_outcome_interval")
    if action is None or action.value not in outcomes.INTERVAL_WEEKS:
        return outcomes.DEFAULT_INTERVAL_WEEKS
    return action.value


def requested_on(profile: AthleteProfile) -> date | None:
    action = latest_action(profile.user_id, "request_outcomes")
    return None if action is None else local_day(action.created_at, profile)


def round_days(athlete_id: int) -> tuple[date, ...]:
    """The days a round (an AKPS) was answered, oldest first (Today's card: remembered)."""
    return remembered("round-days", athlete_id,
                      lambda: tuple(db.session.scalars(ROUND_DAYS, {"athlete_id": athlete_id})))


ROUND_DAYS = (  # Today's questionnaire card asks on every load: built once
    db.select(OutcomeResponse.local_date)
    .where(OutcomeResponse.athlete_id == bindparam("athlete_id"), OutcomeResponse.kind == "akps")
    .order_by(OutcomeResponse.local_date))


def due_for(profile: AthleteProfile, today: date) -> outcomes.Due | None:
    return outcomes.due(program_start(profile), round_days(profile.user_id), today,
                        interval_weeks(profile.user_id), requested_on(profile))


def baseline_activities(athlete_id: int) -> list[str]:
    """The PSFS activities named at baseline ([] before it)."""
    first = db.session.scalar(
        db.select(OutcomeResponse).where(OutcomeResponse.athlete_id == athlete_id, OutcomeResponse.kind == "psfs")
        .order_by(OutcomeResponse.local_date).limit(1))
    return list(first.answers.get("activities", [])) if first else []


@dataclass(frozen=True)
class Round:
    """A validated, scored round, ready to store."""

    akps: dict[str, int]
    akps_score: int
    activities: list[str]
    ratings: list[int]
    psfs_score: Fraction
    groc: int | None


def score_round(akps_answers: dict, activities: list[str], ratings: list, groc, baseline: bool) -> Round:
    """Score a round through the pure module; raises outcomes.AnswerError on any bad answer."""
    points = outcomes.akps_item_points(akps_answers)
    psfs = outcomes.score_psfs(ratings, len(activities))
    groc_value = None if baseline else outcomes.score_groc(groc)
    return Round({key: int(akps_answers[key]) for key in outcomes.AKPS_KEYS}, sum(points.values()),
                 activities, [int(r) for r in ratings], psfs, groc_value)


def save_round(athlete_id: int, today: date, scored: Round) -> None:
    """Store a round under today; answering twice in one day replaces that day's answers."""
    db.session.execute(db.delete(OutcomeResponse).where(
        OutcomeResponse.athlete_id == athlete_id, OutcomeResponse.local_date == today)
        .execution_options(board_athletes=[athlete_id]))
    rows = [OutcomeResponse(athlete_id=athlete_id, kind="akps", local_date=today, answers=scored.akps,
                            score=scored.akps_score),
            OutcomeResponse(athlete_id=athlete_id, kind="psfs", local_date=today,
                            answers={"activities": scored.activities, "ratings": scored.ratings},
                            score=float(scored.psfs_score))]
    if scored.groc is not None:
        rows.append(OutcomeResponse(athlete_id=athlete_id, kind="groc", local_date=today,
                                    answers={"rating": scored.groc}, score=scored.groc))
    db.session.add_all(rows)
    db.session.commit()


def responses(athlete_id: int, start: date | None = None, end: date | None = None) -> list[OutcomeResponse]:
    query = db.select(OutcomeResponse).where(OutcomeResponse.athlete_id == athlete_id)
    if start is not None:
        query = query.where(OutcomeResponse.local_date >= start)
    if end is not None:
        query = query.where(OutcomeResponse.local_date <= end)
    return list(db.session.scalars(query.order_by(OutcomeResponse.local_date, OutcomeResponse.kind)))


def exact_score(response: OutcomeResponse) -> Fraction:
    """The score recomputed exactly from the stored answers (PSFS means are thirds)."""
    if response.kind == "psfs":
        ratings = response.answers.get("ratings", [])
        return Fraction(sum(ratings), len(ratings)) if ratings else Fraction(response.score)
    return Fraction(int(response.score))


def series(rows: list[OutcomeResponse]) -> dict[str, list[tuple[date, Fraction]]]:
    by_kind: dict[str, list[tuple[date, Fraction]]] = {kind: [] for kind in ("akps", "psfs", "groc")}
    for row in rows:
        by_kind[row.kind].append((row.local_date, exact_score(row)))
    return by_kind


def daily_pain(athlete_id: int, start: date, end: date) -> dict[date, int]:
    return dict(db.session.execute(
        db.select(CheckIn.local_date, CheckIn.pain_now)
        .where(CheckIn.athlete_id == athlete_id, CheckIn.local_date >= start, CheckIn.local_date <= end)).all())


def first_checkin_day(athlete_id: int) -> date | None:
    return db.session.scalar(db.select(db.func.min(CheckIn.local_date)).where(CheckIn.athlete_id == athlete_id))
