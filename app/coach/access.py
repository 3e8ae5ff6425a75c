"""Who may see whom: the ONE place that decides a coach's access to an athlete's data.

It fails closed. A coach sees an athlete only through an active link; anything else — no link,
an invited, declined, revoked or ended one, a missing or malformed id, a deleted account, a
signed-out or non-coach user — is a 404, never a 403, so nobody learns that an athlete exists.
(wger CVE-2026-43948: a manager reached any gymless user because `None != None` was False.
Here every id is checked to be a real integer before it goes anywhere near a comparison.)
"""
from __future__ import annotations

from flask import abort
from sqlalchemy import BindParameter, ColumnElement, Integer, Row, Select, and_, bindparam

from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachLink, User


MAX_ID = 2**31 - 1  # the id columns are 32-bit: a larger number in a URL names nothing


def _real_id(value) -> int | None:
    """A positive integer id that fits the id columns, or None for anything else (None, bool, str, 0, …)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        return None
    return value


def coach_id_of(user) -> int | None:
    """The id of a signed-in coach, None for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "is_coach", False) is not True:
        return None
    return _real_id(getattr(user, "id", None))


def require_coach(user) -> int:
    """The coach's id, or 404 for anyone who isn't a signed-in coach."""
    coach_id = coach_id_of(user)
    if coach_id is None:
        abort(404)
    return coach_id


# In a statement built once (the coach's board asks on every load and poll): the coach's id,
# given when the statement runs, from require_coach. Left out, the statement fails to run.
COACH_ID = bindparam("coach_id", type_=Integer)


def _active_link(coach_id: int | BindParameter) -> tuple[ColumnElement[bool], ...]:
    """The conditions on CoachLink of this coach's active link to an athlete."""
    if coach_id is not COACH_ID and _real_id(coach_id) is None:
        raise ValueError("a coach's links need a real coach id")
    return CoachLink.coach_id == coach_id, CoachLink.status == "active", CoachLink.athlete_id.is_not(None)


def active_athlete_ids(coach_id: int | BindParameter) -> Select:
    """A subquery of the ids of the athletes this coach may see: active links only."""
    return db.select(CoachLink.athlete_id).where(*_active_link(coach_id))


def seen_by(coach_id: int | BindParameter) -> ColumnElement[bool]:
    """The condition on User of being an athlete this coach may see: an athlete, actively linked."""
    return and_(User.is_athlete.is_(True), User.id.in_(active_athlete_ids(coach_id)))


def seen_by_at(coach_id: int | BindParameter, athlete_id: ColumnElement) -> ColumnElement[bool]:
    """seen_by for the athlete another table's row names (a board card's), asked row by row: for a
    statement that walks an index and stops after a page, where seen_by's list of every athlete
    of the coach would cost more than the page."""
    return and_(db.select(User.id).where(User.id == athlete_id, User.is_athlete.is_(True)).exists(),
                db.select(CoachLink.id).where(CoachLink.athlete_id == athlete_id, *_active_link(coach_id)).exists())


def athlete_for_coach(coach, athlete_id) -> User:
    """The athlete, if this coach has an active link to them; otherwise abort with 404."""
    coach_id, athlete_id = coach_id_of(coach), _real_id(athlete_id)
    if coach_id is None or athlete_id is None:
        abort(404)
    athlete = db.session.scalar(
        db.select(User).where(User.id == athlete_id, seen_by(coach_id))
    )
    if athlete is None:
        abort(404)
    return athlete


def linked_athletes(coach) -> list[Row]:
    """Every athlete this coach may see, by name, as rows of (id, display_name, and from the
    profile — None until onboarding — timezone and knee_status)."""
    coach_id = require_coach(coach)
    return db.session.execute(
        db.select(User.id, User.display_name, AthleteProfile.timezone, AthleteProfile.knee_status)
        .outerjoin(AthleteProfile, AthleteProfile.user_id == User.id)
        .where(seen_by(coach_id))
        .order_by(User.display_name, User.id)
    ).all()


def red_checkin_of(athlete: User, checkin_id) -> CheckIn:
    """A red check-in of an athlete the coach reached through athlete_for_coach, or 404."""
    checkin_id = _real_id(checkin_id)
    checkin = None if checkin_id is None else db.session.scalar(db.select(CheckIn).where(
        CheckIn.id == checkin_id, CheckIn.athlete_id == athlete.id, CheckIn.status == "red"))
    if checkin is None:
        abort(404)
    return checkin


def own_active_link(athlete, link_id) -> CoachLink:
    """An active link of this signed-in athlete (to leave it), or 404."""
    athlete_id, link_id = _athlete_id_of(athlete), _real_id(link_id)
    if athlete_id is None or link_id is None:
        abort(404)
    link = db.session.scalar(db.select(CoachLink).where(
        CoachLink.id == link_id, CoachLink.athlete_id == athlete_id, CoachLink.status == "active"))
    if link is None:
        abort(404)
    return link


def own_invitation(coach, link_id) -> CoachLink:
    """One of this coach's own invitations (any status), or 404."""
    coach_id, link_id = require_coach(coach), _real_id(link_id)
    link = None if link_id is None else db.session.scalar(
        db.select(CoachLink).where(CoachLink.id == link_id, CoachLink.coach_id == coach_id))
    if link is None:
        abort(404)
    return link


def require_athlete(user) -> int:
    """The id of a signed-in athlete, or 404."""
    athlete_id = _athlete_id_of(user)
    if athlete_id is None:
        abort(404)
    return athlete_id


def _athlete_id_of(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "is_athlete", False) is not True:
        return None
    return _real_id(getattr(user, "id", None))
