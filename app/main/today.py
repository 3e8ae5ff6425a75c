"""What the Today page needs for one athlete: today's verdict, habits, progress, the coach's note."""
from __future__ import annotations

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row, bindparam

from app.checkin import service as checkins
from app.domain.adherence import checkin_streak, week_start
from app.extensions import db
from app.models import CoachAction, CoachLink, User
from app.progress import remembered
from app.training.service import today_card
from app.warmup import service as warmups

STREAK_LOOKBACK = timedelta(days=400)


def athlete_day(user: User, today: date) -> dict:
    """Everything Today shows an athlete on their local `today`."""
    profile = user.profile
    checkin = checkins.checkin_of_day(user.id, today)
    week_logs = warmups.logs_between(user.id, week_start(today), today)
    note = latest_coach_note(user.id)
    # The streak reads every check-in first; the verdict's 7-day baseline comes from the same read.
    streak = checkin_streak(checkins.checkin_days(user.id, today - STREAK_LOOKBACK), today)
    return {
        "profile": profile, "today": today, "checkin": checkin,
        "verdict": checkins.verdict_of(checkin) if checkin else None,
        "streak": streak,
        "warmups_this_week": len(week_logs),
        "warmed_up_today": any(log.local_date == today for log in week_logs),
        "coach_note": note,
        "coach_note_day": _local_day(note.created_at, profile.timezone) if note else None,
        **today_card(profile, today),
    }


def latest_coach_note(athlete_id: int) -> Row | None:
    """The newest note left by a coach the athlete is actively linked with, as a row with
    CoachAction's columns; fails closed. Remembered between the athlete's pages: a note, and a
    link made or ended, are writes that make the pages forget."""
    return remembered("coach-note", athlete_id,
                      lambda: db.session.execute(LATEST_COACH_NOTE, {"athlete_id": athlete_id}).first())


_ACTIVE_COACHES = db.select(CoachLink.coach_id).where(
    CoachLink.athlete_id == bindparam("athlete_id"), CoachLink.status == "active")
LATEST_COACH_NOTE = (  # built once
    db.select(*CoachAction.__table__.columns)
    .where(CoachAction.athlete_id == bindparam("athlete_id"), CoachAction.kind == "note",
           CoachAction.text.is_not(None), CoachAction.coach_id.in_(_ACTIVE_COACHES))
    .order_by(CoachAction.created_at.desc(), CoachAction.id.desc())
    .limit(1))


def _local_day(moment, zone: str):
    """A naive UTC timestamp's calendar day in the athlete's time zone."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date()
