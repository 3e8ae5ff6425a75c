"""Check-ins in the database: today's row, the history triage needs, and saving once a day.

Every function takes the athlete's id from the caller's session, never from the client.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import Row, and_, bindparam, or_
from sqlalchemy.dialects import postgresql, sqlite

from app import kept
from app.domain.triage import AGGRAVATORS, LOCATIONS, RED_FLAGS, CheckinAnswers, Verdict, triage
from app.extensions import db
from app.models import CheckIn, Run, TrainingSession, utcnow
from app.progress import checkin_rows, checkin_rows_if_read, remembered

TRIAGE_WINDOW = 7  # triage compares pain now with the previous 7 local days


def checkin_of_day(athlete_id: int, day: date) -> Row | None:
    """The athlete's check-in for one local day, if any, as a row with CheckIn's columns: for the
    pages that show it (remembered between the athlete's pages); day_to_change to change it."""
    rows = remembered(("checkin-of-day", day), athlete_id, lambda: tuple(
        db.session.execute(CHECKIN_ROW_OF_DAY, {"athlete_id": athlete_id, "day": day})))
    return rows[0] if rows else None


# Today, Check-in and the warm-up ask on every load: built once.
CHECKIN_ROW_OF_DAY = db.select(*CheckIn.__table__.columns).where(
    CheckIn.athlete_id == bindparam("athlete_id"), CheckIn.local_date == bindparam("day"))


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
# load, and every check-in saved. Built once, of the tables' columns, not the models': a statement
# of plain columns skips the ORM's compile and loading steps.
_SESSIONS, _RUNS = TrainingSession.__table__.c, Run.__table__.c
TRAINED_YESTERDAY = or_(
    db.select(_SESSIONS.id).where(
        _SESSIONS.athlete_id == bindparam("athlete_id"), _SESSIONS.local_date == bindparam("yesterday"),
        _SESSIONS.finished_at.is_not(None)).exists(),
    db.select(_RUNS.id).where(_RUNS.athlete_id == bindparam("athlete_id"), _RUNS.local_date == bindparam("yesterday")).exists())
TRAINED_ON = db.select(TRAINED_YESTERDAY)


class DayToChange(NamedTuple):
    """What saving a day's check-in reads: the day's check-in (None: a first one), as a row with
    CheckIn's columns, the pain of the 7 days before it (triage's baseline), and whether the
    after-session question applies."""

    checkin: Row | None
    recent_pain: tuple[int, ...]
    asks_after_session: bool


def day_to_change(athlete_id: int, day: date) -> DayToChange:
    """What saving the athlete's check-in for `day` reads, read afresh in one statement: a save
    is one write, and on PostgreSQL every statement is a round trip."""
    rows = db.session.execute(DAY_TO_CHANGE, _day_params(athlete_id, day)).all()
    return DayToChange(
        checkin=next((row for row in rows if row.id is not None), None),
        recent_pain=tuple(row.week_pain for row in rows if row.week_day is not None and row.week_day < day),
        asks_after_session=bool(rows[0].trained),  # one row at least: the question's
    )


def _day_params(athlete_id: int, day: date) -> dict:
    return {"athlete_id": athlete_id, "day": day, "yesterday": day - timedelta(days=1),
            "since": day - timedelta(days=TRIAGE_WINDOW)}


# Yesterday's training, then the week's check-ins up to the day (none: one row of NULLs), each
# with its pain; the day's own check-in comes with all its columns, and only the day's.
_TRAINED = db.select(TRAINED_YESTERDAY.label("trained")).subquery("trained")
_DAY, _WEEK = CheckIn.__table__, CheckIn.__table__.alias("week")
DAY_TO_CHANGE = (
    db.select(_TRAINED.c.trained, _WEEK.c.local_date.label("week_day"), _WEEK.c.pain_now.label("week_pain"),
              *_DAY.columns)
    .select_from(_TRAINED)
    .outerjoin(_WEEK, and_(_WEEK.c.athlete_id == bindparam("athlete_id"), _WEEK.c.local_date >= bindparam("since"),
                           _WEEK.c.local_date <= bindparam("day")))
    .outerjoin(_DAY, and_(_DAY.c.id == _WEEK.c.id, _WEEK.c.local_date == bindparam("day")))
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
         read: DayToChange | None = None) -> Verdict:
    """Create or update the athlete's one check-in of the day, with its triage status (`read`:
    what day_to_change read, when the caller has just read it), and commit. One statement: an
    INSERT … ON CONFLICT, so a second tap racing the first updates the row the first inserted.
    It clears what is kept for the athlete from the columns it changes (app/kept.py); a save
    that changes nothing writes nothing."""
    read = read or day_to_change(athlete_id, day)
    verdict = preview(athlete_id, day, answers, read.recent_pain)
    values = _values(answers, note, verdict)
    before = read.checkin._mapping if read.checkin is not None else {}
    changed = [column for column, value in values.items() if column not in before or before[column] != value]
    if changed:
        now = utcnow()
        kept.execute_write(db.session, _saving, {**values, "athlete_id": athlete_id, "local_date": day,
                                                  "created_at": now, "updated_at": now},
                           athlete_id, CheckIn.__tablename__, changed if before else ALL_COLUMNS, own_transaction=True)
    db.session.commit()
    return verdict


def save_quick(athlete_id: int, day: date, answers: CheckinAnswers) -> None:
    """The warm-up's quick check: today's check-in unless one exists (which it never overwrites)."""
    read = day_to_change(athlete_id, day)
    if read.checkin is None:
        save(athlete_id, day, answers, read=read)


def _values(answers: CheckinAnswers, note: str, verdict: Verdict) -> dict:
    """The columns a check-in's answers fill, its lists in the choice lists' order."""
    return {
        "pain_now": answers.pain_now, "worst_pain": answers.worst_pain, "stiffness": answers.stiffness,
        "swelling": answers.swelling, "red_flags": [key for key in RED_FLAGS if key in answers.red_flags],
        "locations": [key for key in LOCATIONS if key in answers.locations],
        "aggravators": [key for key in AGGRAVATORS if key in answers.aggravators],
        "after_session": answers.after_session, "calf_breathless": answers.calf_breathless,
        "note": note or "", "status": verdict.status,
    }


SAVED = ("pain_now", "worst_pain", "stiffness", "swelling", "red_flags", "locations", "aggravators",
         "after_session", "calf_breathless", "note", "status")
ALL_COLUMNS = tuple(CheckIn.__table__.columns.keys())


@cache
def _saving(dialect: str):
    """INSERT … ON CONFLICT of the day's check-in in the dialect (built once): a first save
    inserts it, a later one updates its answers, status and updated_at, never who acknowledged it."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CheckIn.__table__)
    names = ("athlete_id", "local_date", *SAVED, "created_at", "updated_at")
    insert = insert.values({name: bindparam(name, type_=CheckIn.__table__.c[name].type) for name in names})
    return insert.on_conflict_do_update(index_elements=[CheckIn.athlete_id, CheckIn.local_date],
                                        set_={name: insert.excluded[name] for name in (*SAVED, "updated_at")})


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
