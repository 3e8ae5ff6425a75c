"""Check-ins in the database: today's row, the history triage needs, and saving once a day.

Every function takes the athlete's id from the caller's session, never from the client.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Row, bindparam, or_
from sqlalchemy.exc import IntegrityError

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
    yesterday = day - timedelta(days=1)
    return remembered(("asks-after-session", day), athlete_id, lambda: bool(
        db.session.scalar(TRAINED_ON, {"athlete_id": athlete_id, "day": yesterday})))


# A finished training session or a logged run on a day, in one query: the check-in form asks on
# every load, and every check-in saved. Built once.
TRAINED_ON = db.select(or_(
    db.select(TrainingSession.id).where(
        TrainingSession.athlete_id == bindparam("athlete_id"), TrainingSession.local_date == bindparam("day"),
        TrainingSession.finished_at.is_not(None)).exists(),
    db.select(Run.id).where(Run.athlete_id == bindparam("athlete_id"), Run.local_date == bindparam("day")).exists()))


def answers_of(checkin: CheckIn | Row) -> CheckinAnswers:
    """A stored check-in as triage answers."""
    return CheckinAnswers(
        pain_now=checkin.pain_now, worst_pain=checkin.worst_pain, stiffness=checkin.stiffness,
        swelling=checkin.swelling, red_flags=frozenset(checkin.red_flags),
        locations=frozenset(checkin.locations), aggravators=frozenset(checkin.aggravators),
        after_session=checkin.after_session, calf_breathless=checkin.calf_breathless,
    )


def preview(athlete_id: int, day: date, answers: CheckinAnswers) -> Verdict:
    """The verdict these answers would get today."""
    return triage(answers, recent_pain(athlete_id, day))


def verdict_of(checkin: CheckIn | Row) -> Verdict:
    """The verdict of a stored check-in, with its reasons and guidance."""
    return preview(checkin.athlete_id, checkin.local_date, answers_of(checkin))


def save(athlete_id: int, day: date, answers: CheckinAnswers, note: str = "",
         checkin: CheckIn | None = None) -> tuple[CheckIn, Verdict]:
    """Create or update the athlete's one check-in of the day, with its triage status (`checkin`:
    the day's check-in, when the caller has just read it with todays_checkin)."""
    verdict = preview(athlete_id, day, answers)
    checkin = checkin or todays_checkin(athlete_id, day) or CheckIn(athlete_id=athlete_id, local_date=day)
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
    existing = todays_checkin(athlete_id, day)
    if existing is not None:
        return existing
    return save(athlete_id, day, answers)[0]


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
