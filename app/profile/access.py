"""The one gate for athlete-only pages: an athlete with a running profile, or nothing."""
from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort, redirect, url_for
from flask_login import current_user, login_required

from app.models import AthleteProfile
from app.progress import local_today


def athlete_required(view):
    """Signed in as an athlete with a profile: coaches get 404, newcomers go to onboarding."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_athlete:
            abort(404)
        if current_user.profile is None:
            return redirect(url_for("profile.edit", welcome=1))
        return view(*args, **kwargs)

    return wrapped


def current_profile() -> AthleteProfile:
    """The signed-in athlete's profile (only inside an @athlete_required view)."""
    return current_user.profile


def athlete_today() -> date:
    """The signed-in athlete's own calendar day, in their time zone."""
    return local_today(current_user.profile)
