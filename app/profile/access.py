"""Who may open athlete-only pages: an athlete with a running profile. Coaches get 404,
athletes who haven't set up their profile go to onboarding. Single views use
@athlete_required; a blueprint that is athletes-only throughout (Training) runs
refuse_non_athletes before every request. (What a coach may see of an athlete is
app/coach/access.py; what may be offered to a runner today is the safety gate.)"""
from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort, redirect, url_for
from flask_login import current_user, login_required

from app.clock import local_today
from app.models import AthleteProfile


@login_required
def refuse_non_athletes():
    """None for a signed-in athlete with a profile; otherwise 404 for anyone else who is signed
    in, the onboarding page for an athlete without a profile, the sign-in page for a visitor."""
    if not getattr(current_user, "is_athlete", False):  # login_required lets OPTIONS through
        abort(404)
    if current_user.profile is None:
        return redirect(url_for("profile.edit", welcome=1))
    return None


def athlete_required(view):
    """The view runs only for a signed-in athlete with a profile (see refuse_non_athletes)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return refuse_non_athletes() or view(*args, **kwargs)

    return wrapped


def current_profile() -> AthleteProfile:
    """The signed-in athlete's profile (only inside an @athlete_required view)."""
    return current_user.profile


def athlete_today() -> date:
    """The signed-in athlete's own calendar day, in their time zone."""
    return local_today(current_user.profile)
