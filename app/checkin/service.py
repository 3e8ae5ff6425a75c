"""Check-ins in the database: today's row, the history triage needs, and saving once a day.

Every function takes the athlete's id from the caller's session, never from the client.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import Row, and_, bindparam, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app.domain.triage import AGGRAVATORS, LOCATIONS, RED_FLAGS, CheckinAnswers, Verdict, triage
from app.extensions import db
from app.models import CheckIn, Run, TrainingSession
from app.progress import checkin_rows, checkin_rows_if_read, remembered

TRIAGE_WINDOW = 7  # triage compares pain now with the previous 7 local days


def todays_checkin(athlete_id: int, day: date) -> CheckIn | None:
    """The athlete's check-in for one local day, if any."""
    return db.session.scalar(CHECKIN_OF_DAY, {"athlete_id": athlete_id, "day": day})


def checkin_of_day(athlete_id: int, day: date) -> Row | None:
    """The athlete's check-in for one local day, if any, as a row with CheckIn's columns: for the
    pages that show it (remembered between the athlete's pages); todays_checkin to change it."""
    rows = remembered(("checkin-of-day", day), athlete_id, lambda: tuple(
        db.session.execute(CHECKIN_ROW_OF_DAY, {"athlete_id": athlete_id, "day": day})))
    return rows[0] if rows else None


# Today, Check-in and the warm-up ask on every load: built once.
CHECKIN_OF_DAY = db.select(CheckIn).where(CheckIn.athlete_id == bindparam("athlete_id"),
                                          CheckIn.local_date == bindparam("day"))
CHECKIN_ROW_OF_DAY = db.select(*CheckIn.__table__.columns).where(CHECKIN_OF_DAY.whereclause)


def recent_pain(athlete_id: int, day: date) -> list[int]:
    """Pain-now scores from the 7 local days before `day` (the baseline for a rise)."""
    since = day - timedelta(days=TRIAGE_WINDOW)
    read = checkin_rows_if_read(athlete_id)
    if read is not None:  # this page already read every check-in (Today's streak): no second query
        return [row.pain_now for row in read if since <= row.local_date < day]
    return list(remembered(("recent-pain", day), athlete_id, lambda: tuple(
        db.session.scalars(RECENT_PAIN, {"athlete_id": athlete_id, "day": day, "since": since}))))


RECENT_PAIN = db.select(CheckIn.pain_now).where(  # every verdict shown or previewed asks: built once
    CheckIn.athlete_id == bindparam("athlete_id"), CheckIn.local_date >= bindparam("since"),
    CheckIn.local_date < bindparam("day"))


def asks_after_session(athlete_id: int, day: date) -> bool:
    """True the morning after a finished training session or a logged run: the next-morning
    question applies."""
    return remembered(("asks-after-session", day), athlete_id, lambda: bool(
        db.session.scalar(TRAINED_ON, _day_params(athlete_id, day))))


# A finished training session or a logged run on the day before: the check-in form asks on every
# load, and every check-in saved. Built once.
TRAINED_YESTERDAY = or_(
    db.select(TrainingSession.id).where(
        TrainingSession.athlete_id == bindparam("athlete_id"), TrainingSession.local_date == bindparam("yesterday"),
        TrainingSession.finished_at.is_not(None)).exists(),
    db.select(Run.id).where(Run.athlete_id == bindparam("athlete_id"), Run.local_date == bindparam("yesterday")).exists())
TRAINED_ON = db.select(TRAINED_YESTERDAY)


class DayToChange(NamedTuple):
    """What saving a day's check-in reads: the day's check-in to change (None: a first one), the
    pain of the 7 days before it (triage's baseline), and whether the after-session question applies."""

    checkin: CheckIn | None
    recent_pain: tuple[int, ...]
    asks_after_session: bool


def day_to_change(athlete_id: int, day: date) -> DayToChange:
    """What saving the athlete's check-in for `day` reads, read afresh in one statement: a save
    is one write, and on PostgreSQL every statement is a round trip."""
    rows = db.session.execute(DAY_TO_CHANGE, _day_params(athlete_id, day)).all()
    return DayToChange(
        checkin=next((row.CheckIn for row in rows if row.CheckIn is not None), None),
        recent_pain=tuple(row.pain_now for row in rows if row.local_date is not None and row.local_date < day),
        asks_after_session=bool(rows[0].trained),  # one row at least: the question's
    )


def _day_params(athlete_id: int, day: date) -> dict:
    return {"athlete_id": athlete_id, "day": day, "yesterday": day - timedelta(days=1),
            "since": day - timedelta(days=TRIAGE_WINDOW)}


# Yesterday's training, then the week's check-ins up to the day (none: one row of NULLs), each
# with its pain; the day's own check-in comes whole, to be changed, and only the day's.
_TRAINED = db.select(TRAINED_YESTERDAY.label("trained")).subquery("trained")
_WEEK = aliased(CheckIn, name="week")
DAY_TO_CHANGE = (
    db.select(_TRAINED.c.trained, _WEEK.local_date, _WEEK.pain_now, CheckIn)
    .select_from(_TRAINED)
    .outerjoin(_WEEK, and_(_WEEK.athlete_id == bindparam("athlete_id"), _WEEK.local_date >= bindparam("since"),
                           _WEEK.local_date <= bindparam("day")))
    .outerjoin(CheckIn, and_(CheckIn.id == _WEEK.id, _WEEK.local_date == bindparam("day")))
)


def answers_of(checkin: CheckIn | Row) -> CheckinAnswers:
    """A stored check-in as triage answers."""
    return CheckinAnswers(
        pain_now=checkin.pain_now, worst_pain=checkin.worst_pain, stiffness=checkin.stiffness,
        swelling=checkin.swelling, red_flags=frozenset(checkin.red_flags),
        locations=frozenset(checkin.locations), aggravators=frozenset(checkin.aggravators),
        after_session=checkin.after_session, calf_breathless=checkin.calf_breathless,
    )


def preview(athlete_id: int, day: date, answers: CheckinAnswers,
            baseline: tuple[int, ...] | None = None) -> Verdict:
    """The verdict these answers would get today (`baseline`: the week's pain, when the caller
    has just read it with day_to_change)."""
    return triage(answers, recent_pain(athlete_id, day) if baseline is None else baseline)


def verdict_of(checkin: CheckIn | Row) -> Verdict:
    """The verdict of a stored check-in, with its reasons and guidance."""
    return preview(checkin.athlete_id, checkin.local_date, answers_of(checkin))


def save(athlete_id: int, day: date, answers: CheckinAnswers, note: str = "",
         read: DayToChange | None = None) -> tuple[CheckIn, Verdict]:
    """Create or update the athlete's one check-in of the day, with its triage status (`read`:
    what day_to_change read, when the caller has just read it)."""
    read = read or day_to_change(athlete_id, day)
    verdict = preview(athlete_id, day, answers, read.recent_pain)
    checkin = read.checkin or CheckIn(athlete_id=athlete_id, local_date=day)
    _fill(checkin, answers, note, verdict)
    db.session.add(checkin)
    try:
        db.session.commit()
    except IntegrityError:
        # A second tap raced this one and inserted first: update that row instead.
        db.session.rollback()
        checkin = todays_checkin(athlete_id, day)
        _fill(checkin, answers, note, verdict)
        db.session.commit()
    return checkin, verdict


def save_quick(athlete_id: int, day: date, answers: CheckinAnswers) -> CheckIn:
    """The warm-up's quick check: today's check-in unless one exists (which it never overwrites)."""
    read = day_to_change(athlete_id, day)
    if read.checkin is not None:
        return read.checkin
    return save(athlete_id, day, answers, read=read)[0]


def _fill(checkin: CheckIn, answers: CheckinAnswers, note: str, verdict: Verdict) -> None:
    """Copy answers onto the row, in the choice lists' order."""
    checkin.pain_now = answers.pain_now
    checkin.worst_pain = answers.worst_pain
    checkin.stiffness = answers.stiffness
    checkin.swelling = answers.swelling
    checkin.red_flags = [key for key in RED_FLAGS if key in answers.red_flags]
    checkin.locations = [key for key in LOCATIONS if key in answers.locations]
    checkin.aggravators = [key for key in AGGRAVATORS if key in answers.aggravators]
    checkin.after_session = answers.after_session
    checkin.calf_breathless = answers.calf_breathless
    checkin.note = note or ""
    checkin.status = verdict.status


def history(athlete_id: int, since: date, until: date) -> dict[date, Row]:
    """The athlete's check-ins from `since` to `until` inclusive, keyed by local day, as rows
    with CheckIn's columns (remembered between the athlete's pages)."""
    rows = remembered(("checkins-between", since, until), athlete_id, lambda: tuple(
        db.session.execute(CHECKINS_BETWEEN, {"athlete_id": athlete_id, "since": since, "until": until})))
    return {row.local_date: row for row in rows}


CHECKINS_BETWEEN = db.select(*CheckIn.__table__.columns).where(  # built once
    CheckIn.athlete_id == bindparam("athlete_id"), CheckIn.local_date >= bindparam("since"),
    CheckIn.local_date <= bindparam("until"))


def checkin_days(athlete_id: int, since: date) -> list[date]:
    """The local days since `since` on which the athlete checked in."""
    return [row.local_date for row in checkin_rows(athlete_id) if row.local_date >= since]
