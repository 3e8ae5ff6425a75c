"""Forgotten password: ask for a link by email, then choose a new password from the link."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth import reset
from app.auth.forms import ForgotPasswordForm, ResetPasswordForm
from app.auth.sessions import start_session
from app.extensions import limiter

bp = Blueprint("password", __name__, url_prefix="/password")
reset_limit = limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"])
auth_limit = limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"], methods=["POST"])


@bp.route("/forgot", methods=["GET", "POST"])
@reset_limit
def forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.send_link(form.email.data)
        return redirect(url_for("password.sent"), 303)
    status = 422 if form.errors else 200
    return render_template("auth/forgot.html", form=form), status


@bp.get("/forgot/sent")
def sent():
    return render_template("auth/forgot_sent.html", minutes=reset.MAX_AGE_SECONDS // 60)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@auth_limit
def reset_form(token: str):
    user, problem = reset.user_for(token)
    if user is None:
        return render_template("auth/reset_problem.html", problem=problem), 400
    form = ResetPasswordForm()
    form.email = _Named(user.email)  # the strong-password rule refuses the person's own address
    if form.validate_on_submit():
        reset.reset_password(user, form.new_password.data)
        start_session(user)
        flash("Password changed. Every other device has been signed out.", "success")
        return redirect(url_for("main.today"), 303)
    status = 422 if form.errors else 200
    return render_template("auth/reset.html", form=form, token=token,
                           signed_in_as_other=current_user.is_authenticated and current_user.id != user.id), status


class _Named:
    """Stands in for an email field, so the password rules can see the address."""

    def __init__(self, data: str):
        self.data = data
