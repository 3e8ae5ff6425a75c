"""The landing page, Today, and the medical disclaimer."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.clock import local_today
from app.main.today import athlete_day
from app.profile.access import athlete_today

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.today"))
    return render_template("main/landing.html")


@bp.get("/today")
@login_required
def today():
    """Can I run today, and what should I do?"""
    if not current_user.is_athlete:
        return render_template("main/today.html", profile=None, today=local_today(None))
    if current_user.profile is None:
        return redirect(url_for("profile.edit", welcome=1))
    return render_template("main/today.html", **athlete_day(current_user, athlete_today()))


@bp.get("/healthz")
def healthz():
    """For load balancers and uptime checks: the app answers, touching nothing else."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/disclaimer")
def disclaimer():
    return render_template("main/disclaimer.html")
