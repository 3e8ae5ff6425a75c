"""Invitations and links between coaches and athletes, on the database.

A code is used once: accepting or declining is a conditional UPDATE of a row still "invited"
and unexpired, so two tabs (or two people) racing on one code can't both win.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from app.domain.coaching import INVITE_DAYS, display_code, invite_expiry, invite_state, new_code, normalise_code
from app.extensions import db, limiter
from app.models import CoachLink, User, utcnow

# One limit per client address shared by every invitation endpoint, coach and athlete side
# (create, email, open, accept, decline, enter a code): RATELIMIT_INVITE.
invite_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_INVITE"], scope="invitations")

Problem = Literal["malformed", "unknown", "expired", "revoked", "used"]
AcceptProblem = Literal["not_athlete", "own", "already"]
CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class Lookup:
    """An invitation found by its code, or why none can be answered."""

    link: CoachLink | None
    problem: Problem | None


def create_invitation(coach_id: int) -> CoachLink:
    """A new open invitation with a fresh code; a code clash (vanishingly rare) draws again."""
    for _ in range(CODE_ATTEMPTS):
        now = utcnow()
        link = CoachLink(coach_id=coach_id, status="invited", invite_code=new_code(),
                         created_at=now, expires_at=invite_expiry(now))
        db.session.add(link)
        try:
            db.session.commit()
            return link
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("Could not draw an unused invitation code.")


def email_invitation(coach: User, address: str) -> CoachLink:
    """A new invitation whose link and code go to `address` by email (the worker sends it; the
    address is not stored). Only the coach's name, the link and the code: nothing about health."""
    from app.links import absolute_url
    from app.worker import send_email

    link = create_invitation(coach.id)
    code = display_code(link.invite_code)
    send_email(address, f"{coach.display_name} invites you to KneeReady", "invitation",
               {"coach_name": coach.display_name, "code": code, "days": INVITE_DAYS,
                "link": absolute_url("coaches.invitation", code=code),
                "enter_code": absolute_url("coaches.enter_code")})
    return link


def coach_invitations(coach_id: int) -> list[CoachLink]:
    """The coach's invitations nobody has answered yet (open or expired), newest first."""
    return list(db.session.scalars(
        db.select(CoachLink).where(CoachLink.coach_id == coach_id, CoachLink.status == "invited")
        .order_by(CoachLink.created_at.desc(), CoachLink.id.desc())
    ))


def find_invitation(text: str | None) -> Lookup:
    """The invitation a typed or linked code names, if it can still be answered."""
    code = normalise_code(text)
    if code is None:
        return Lookup(None, "malformed")
    link = db.session.scalar(db.select(CoachLink).where(CoachLink.invite_code == code))
    if link is None:
        return Lookup(None, "unknown")
    state = invite_state(link.status, link.expires_at, utcnow())
    return Lookup(link, None if state == "open" else state)


def accept_problem(link: CoachLink, user: User) -> AcceptProblem | None:
    """Why this signed-in user can't accept this invitation, if they can't."""
    if not user.is_athlete:
        return "not_athlete"
    if link.coach_id == user.id:
        return "own"
    already = db.session.scalar(db.select(CoachLink.id).where(
        CoachLink.coach_id == link.coach_id, CoachLink.athlete_id == user.id, CoachLink.status == "active"))
    return "already" if already is not None else None


def answer(link: CoachLink, athlete_id: int, accept: bool) -> bool:
    """Accept or decline an open invitation; False if it was answered, revoked or expired meanwhile."""
    now = utcnow()
    result = db.session.execute(
        db.update(CoachLink)
        .where(CoachLink.id == link.id, CoachLink.status == "invited", CoachLink.expires_at > now)
        .values(status="active" if accept else "declined", athlete_id=athlete_id, responded_at=now)
        .execution_options(synchronize_session=False, board_athletes=[athlete_id])
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def revoke(link: CoachLink) -> bool:
    """Withdraw an invitation nobody has answered; False if it was answered already."""
    result = db.session.execute(
        db.update(CoachLink).where(CoachLink.id == link.id, CoachLink.status == "invited")
        .values(status="revoked", ended_at=utcnow())
        .execution_options(synchronize_session=False, board_athletes=[])  # an invitation: no athlete yet
    )
    db.session.commit()
    return result.rowcount == 1


def end_links(coach_id: int, athlete_id: int) -> int:
    """End every active link between a coach and an athlete: access stops at once."""
    result = db.session.execute(
        db.update(CoachLink)
        .where(CoachLink.coach_id == coach_id, CoachLink.athlete_id == athlete_id, CoachLink.status == "active")
        .values(status="ended", ended_at=utcnow())
        .execution_options(synchronize_session=False, board_athletes=[athlete_id])
    )
    db.session.commit()
    return result.rowcount


def athlete_coaches(athlete_id: int) -> list[CoachLink]:
    """The athlete's active links with their coaches, longest-standing first."""
    return list(db.session.scalars(
        db.select(CoachLink).join(User, User.id == CoachLink.coach_id)
        .where(CoachLink.athlete_id == athlete_id, CoachLink.status == "active")
        .order_by(CoachLink.responded_at, CoachLink.id)
        .options(contains_eager(CoachLink.coach))
    ))
