"""Account → Reminders, snooze, and one-click unsubscribe from any reminder email."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.extensions import csrf, db
from app.models import AthleteProfile, ReminderDue
from app.reminders import delivery, settings as reminder_settings
from app.reminders.forms import ReminderSettingsForm, SnoozeForm
from app.reminders.schedule import stored_or_defaults

bp = Blueprint("reminders", __name__)


def _athletes_only() -> None:
    if not current_user.is_athlete:
        abort(404)


def _page(form: ReminderSettingsForm | None = None, snooze_form: SnoozeForm | None = None, status: int = 200):
    settings = stored_or_defaults(current_user.id)
    form = form or ReminderSettingsForm(data=reminder_settings.form_data(settings))
    profile = db.session.get(AthleteProfile, current_user.id)
    due = db.session.scalars(db.select(ReminderDue).where(ReminderDue.user_id == current_user.id)).all()
    return render_template("reminders/settings.html", form=form, snooze_form=snooze_form or SnoozeForm(),
                           zone=profile.timezone if profile else "UTC",
                           snoozed=reminder_settings.is_snoozed(settings), settings=settings,
                           due={row.kind: row for row in due}), status


@bp.get("/account/reminders")
@login_required
def settings():
    _athletes_only()
    return _page()


@bp.post("/account/reminders")
@login_required
def save():
    _athletes_only()
    form = ReminderSettingsForm()
    if form.validate_on_submit():
        reminder_settings.save(current_user.id, form)
        flash("Reminder settings saved.", "success")
        return redirect(url_for("reminders.settings"), 303)
    return _page(form, status=422)


@bp.post("/account/reminders/snooze")
@login_required
def snooze():
    _athletes_only()
    form = SnoozeForm()
    if form.validate_on_submit():
        reminder_settings.snooze(current_user.id, form.snooze.data == "day")
        flash("Reminders snoozed until tomorrow." if form.snooze.data == "day" else "Reminders are back on.",
              "success")
        return redirect(url_for("reminders.settings"), 303)
    return _page(snooze_form=form, status=422)


@bp.get("/reminders/unsubscribe/<token>")
def unsubscribe(token: str):
    """The link in every reminder email: a page with one button (a GET never changes anything,
    so link scanners in mail systems can't unsubscribe anyone)."""
    if not _exists(token):
        return render_template("reminders/unsubscribe.html", problem=True), 400
    return render_template("reminders/unsubscribe.html", token=token, done=False)


@bp.post("/reminders/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: the mail provider posts "List-Unsubscribe=One-Click" with no cookies
def unsubscribe_now(token: str):
    if not _exists(token):
        return render_template("reminders/unsubscribe.html", problem=True), 400
    reminder_settings.stop_emails(delivery.user_for_unsubscribe(token))
    return render_template("reminders/unsubscribe.html", token=token, done=True)


def _exists(token: str) -> bool:
    user_id = delivery.user_for_unsubscribe(token)
    return user_id is not None and db.session.get(AthleteProfile, user_id) is not None
