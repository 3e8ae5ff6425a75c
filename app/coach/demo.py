"""Demo coaching: a changed setting and a note from the coach, older red check-ins already
acknowledged, and one red check-in waiting at the top of the coach's dashboard.

Call it after the other areas' demo history (it reads their check-ins)."""
from __future__ import annotations

from datetime import timedelta

from app.clock import local_today
from app.extensions import db
from app.models import CheckIn, CoachAction, CoachLink, User, utcnow

NOTE = ("Nice consistency this week. Keep the step-downs shallow until the stairs stop bothering you, "
        "and tell me how the long run felt.")


def add_coaching_demo(coach: User) -> None:
    """Coach acts and red check-ins for the coach's demo athletes (keyed by email name)."""
    athletes = {user.email.split("@")[0]: user for user in db.session.scalars(
        db.select(User).join(CoachLink, CoachLink.athlete_id == User.id)
        .where(CoachLink.coach_id == coach.id, CoachLink.status == "active"))}
    now = utcnow()
    maya, leo = athletes.get("maya"), athletes.get("leo")
    if maya is not None and maya.profile is not None:
        _act(coach, maya, "set_threshold", now - timedelta(days=12), value=1)
        maya.profile.pain_threshold = 1
        _act(coach, maya, "note", now - timedelta(hours=20), text=NOTE)
    _acknowledge_old_reds(coach, [user.id for user in athletes.values()], now)
    if leo is not None and leo.profile is not None:
        _red_checkin_yesterday(leo)
    db.session.commit()


def _act(coach: User, athlete: User, kind: str, at, value=None, text=None) -> None:
    db.session.add(CoachAction(athlete_id=athlete.id, coach_id=coach.id, coach_name=coach.display_name,
                               kind=kind, value=value, text=text, created_at=at))


def _acknowledge_old_reds(coach: User, athlete_ids: list[int], now) -> None:
    """Red check-ins more than three days old were seen to long ago."""
    old = db.session.scalars(db.select(CheckIn).where(
        CheckIn.athlete_id.in_(athlete_ids), CheckIn.status == "red", CheckIn.acknowledged_at.is_(None),
        CheckIn.created_at < now - timedelta(days=3)))
    for checkin in old:
        checkin.acknowledged_at, checkin.acknowledged_by_id = checkin.created_at + timedelta(hours=3), coach.id


def _red_checkin_yesterday(athlete: User) -> None:
    """Leo's knee gave way on yesterday's downhill: the alert the coach should see first."""
    day = local_today(athlete.profile) - timedelta(days=1)
    checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.athlete_id == athlete.id, CheckIn.local_date == day))
    if checkin is None:
        checkin = CheckIn(athlete_id=athlete.id, local_date=day)
        db.session.add(checkin)
    for name, value in dict(
            pain_now=5, worst_pain=7, stiffness="under_30", swelling="mild", locations=["inner"],
            aggravators=["downhill"], red_flags=["locks_or_gives_way"], status="red", acknowledged_at=None,
            note="Knee gave way on the steep descent; walked home.", created_at=utcnow() - timedelta(days=1)).items():
        setattr(checkin, name, value)
