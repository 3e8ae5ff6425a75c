"""Who is signed in, as a request reads them: one row of plain values, not ORM objects.

Every request reads the signed-in user (Flask-Login's user loader), and nearly every page their
athlete profile. Loaded as ORM objects (joined eager loading, the identity map, change tracking)
they cost a check-in save about 9% of its CPU under gunicorn, and every page about 6% of its
instructions (bench/pages.py --server-cpu and --instructions). Pages read these frozen values.
A view that changes the user or the profile loads the ORM object to change (`account()`,
`stored_profile()`): setting an attribute here raises, so no change can go to a copy that is
never saved. The password hash is not read at all: no page shows it.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from flask_login import UserMixin, current_user
from sqlalchemy import bindparam

from app.extensions import db
from app.models import AthleteProfile, BoardCard, OwnsEquipment, User
from app.progress import memory


@dataclass(frozen=True)
class SignedInProfile(OwnsEquipment):
    """The signed-in athlete's profile, as AthleteProfile's columns hold it."""

    user_id: int
    runner_type: str
    knee_status: str
    has_band: bool
    has_foam_roller: bool
    has_step: bool
    timezone: str
    pain_threshold: int
    sessions_to_advance: int
    created_at: datetime  # the programme's first day (app/outcomes/service.py)


@dataclass(frozen=True)
class SignedIn(UserMixin):
    """The signed-in user, as User's columns hold them, with their profile (None: not set up)."""

    id: int
    email: str
    display_name: str
    session_token: str
    is_athlete: bool
    is_coach: bool
    created_at: datetime
    profile: SignedInProfile | None

    def get_id(self) -> str:
        return self.session_token


_USER = tuple(field.name for field in fields(SignedIn) if field.name != "profile")
_GENERATION = len(_USER)  # where the row's user columns end: the generation, then the profile's
_PROFILE = tuple(field.name for field in fields(SignedInProfile))
_users, _profiles, _cards = User.__table__, AthleteProfile.__table__, BoardCard.__table__
# Every request asks: built once. With the generation under which the user's pages may recall
# their history (app/progress/memory.py).
SIGNED_IN = (
    db.select(*(_users.c[name] for name in _USER), _cards.c.generation, *(_profiles.c[name] for name in _PROFILE))
    .select_from(_users.outerjoin(_cards, _cards.c.athlete_id == _users.c.id)
                 .outerjoin(_profiles, _profiles.c.user_id == _users.c.id))
    .where(_users.c.session_token == bindparam("token"))
)


def load(session_token: str) -> SignedIn | None:
    """The user whose session token this is (one query), or None: signed out elsewhere."""
    row = db.session.connection().execute(SIGNED_IN, {"token": session_token}).first()
    if row is None:
        return None
    user, generation, profile = row[:_GENERATION], row[_GENERATION], row[_GENERATION + 1:]
    memory.signed_in(user[0], generation)
    return SignedIn(*user, profile=SignedInProfile(*profile) if profile[0] is not None else None)


def account() -> User:
    """The signed-in user as an ORM object, for a view that changes the account."""
    return db.session.get(User, current_user.id)


def stored_profile() -> AthleteProfile | None:
    """The signed-in athlete's profile as an ORM object, for a view that changes it."""
    return db.session.get(AthleteProfile, current_user.id)
