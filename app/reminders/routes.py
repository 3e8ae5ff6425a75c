"""Account → Reminders, snooze, and one-click unsubscribe from any reminder email."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import csrf, db
from app.models import AthleteProfile, ReminderDue
from werkzeug.exceptions import RequestEntityTooLarge

from app.reminders import delivery, push, push_devices, settings as reminder_settings
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
                           due={row.kind: row for row in due}, push_key=push.application_server_key()
                           if push.enabled() else None, devices=push_devices.count(current_user.id)), status


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


# ── Web Push: the page sends the browser's subscription after a tap ──────────────────────────

MAX_SUBSCRIPTION_BYTES = 4096
MAX_DEVICES = 10


def _json_body():
    """The request's JSON (small), or a 400 response saying what is wrong with it."""
    if (request.content_length or 0) > MAX_SUBSCRIPTION_BYTES:
        return None, _refuse("The subscription is too large.")
    try:
        raw = request.stream.read(MAX_SUBSCRIPTION_BYTES + 1)  # a body with no length is cut off here
    except RequestEntityTooLarge:
        return None, _refuse("The subscription is too large.")
    if len(raw) > MAX_SUBSCRIPTION_BYTES:
        return None, _refuse("The subscription is too large.")
    try:
        return json.loads(raw), None
    except (ValueError, UnicodeDecodeError):
        return None, _refuse("Send the subscription as JSON.")


def _refuse(message: str) -> Response:
    return Response(message, 400, mimetype="text/plain")


@bp.post("/reminders/push/subscriptions")
@login_required
def subscribe_device():
    _athletes_only()
    body, refusal = _json_body()
    if refusal:
        return refusal
    subscription = push.parse_subscription(body)
    if isinstance(subscription, str):
        return _refuse(subscription)
    if not push_devices.save(current_user.id, subscription, MAX_DEVICES):
        return _refuse(f"At most {MAX_DEVICES} phones or browsers can get reminders. Remove one first.")
    return Response("Reminders will come to this device.", 201, mimetype="text/plain")


@bp.post("/reminders/push/unsubscribe")
@login_required
def unsubscribe_device():
    _athletes_only()
    body, refusal = _json_body()
    if refusal:
        return refusal
    endpoint = body.get("endpoint") if isinstance(body, dict) else None
    if not isinstance(endpoint, str) or not endpoint:
        return _refuse("Say which subscription to remove (its endpoint).")
    push_devices.remove(current_user.id, endpoint)
    return Response("This device won't get reminders.", 200, mimetype="text/plain")
