"""The landing page, Today, and the medical disclaimer."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.progress import local_today

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.today"))
    return render_template("main/landing.html")


@bp.get("/today")
@login_required
def today():
    if current_user.is_athlete and current_user.profile is None:
        return redirect(url_for("profile.edit", welcome=1))
    return render_template("main/today.html", profile=current_user.profile,
                           today=local_today(current_user.profile))


@bp.get("/healthz")
def healthz():
    """For load balancers and uptime checks: the app answers, touching nothing else."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/disclaimer")
def disclaimer():
    return render_template("main/disclaimer.html")
