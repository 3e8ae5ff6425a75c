"""Athlete onboarding, right after sign-up and editable later."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.auth import signed_in
from app.extensions import db
from app.models import AthleteProfile
from app.profile.forms import ProfileForm
from app.reminders import settings as reminder_settings
from app.idempotency import idempotent

bp = Blueprint("profile", __name__)
FIELDS = ("runner_type", "knee_status", "has_band", "has_foam_roller", "has_step", "timezone")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@idempotent
def edit():
    if not current_user.is_athlete:
        abort(404)
    profile = signed_in.stored_profile()  # to change
    form = ProfileForm(obj=profile)
    welcome = profile is None
    if form.validate_on_submit():
        if profile is None:
            profile = AthleteProfile(user_id=current_user.id)
            db.session.add(profile)
        for field in FIELDS:
            setattr(profile, field, getattr(form, field).data)
        db.session.commit()
        reminder_settings.profile_changed(current_user.id)  # a new time zone moves the reminders
        flash("You're all set." if welcome else "Profile saved.", "success")
        return redirect(url_for("main.today"), 303)
    status = 422 if form.errors else 200
    return render_template("profile/edit.html", form=form, welcome=welcome or request.args.get("welcome")), status
