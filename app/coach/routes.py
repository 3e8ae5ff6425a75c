"""The coach's side: the dashboard, invitations, one athlete's page and the coach's acts on it.

Every route about an athlete goes through app.coach.access.athlete_for_coach (404 otherwise).
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import wraps

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from app.coach import actions, dashboard, invites, kept_cards
from app.coach.invites import invite_limit
from app.coach.access import athlete_for_coach, own_invitation, red_checkin_of, require_coach
from app.coach.board import FILTERS, PAGE_SIZE
from app.coach.charts import sparkline_svg
from app.coach.detail import LABELS, WINDOWS, athlete_detail
from app.coach.forms import InviteEmailForm, NoteForm, SessionsForm, StageForm, ThresholdForm
from app.domain.coaching import (
    day_label, describe_pains, display_code, expires_label, pain_zone, since_label, target_label,
)
from app.domain.progression import STAGES
from app.htmx import is_htmx, wants_fragment
from app.htmx import redirect as htmx_redirect
from app.models import User, utcnow
from app.progress import progress_for

bp = Blueprint("coach", __name__, url_prefix="/coach")
bp.add_app_template_filter(day_label, "coach_day")
bp.add_app_template_filter(pain_zone, "pain_zone")
bp.add_app_template_filter(since_label, "since")
bp.add_app_template_global(dashboard.card_from_text, "board_card")
bp.add_app_template_global(display_code, "invite_code")
bp.add_app_template_global(expires_label, "expires_label")
bp.add_app_template_global(sparkline_svg, "sparkline_svg")


def _signed_in(view):
    """login_required; but a board poll whose session has ended sends the whole page to sign in,
    rather than the sign-in page being swapped into the board."""
    guarded = login_required(view)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if is_htmx() and not current_user.is_authenticated:
            return htmx_redirect(url_for("auth.signin", next=url_for("coach.dashboard")))
        return guarded(*args, **kwargs)
    return wrapper


@bp.get("")
@_signed_in
def dashboard():
    """The board, one page of it: `show` (all | attention), `q` (a name) and `upto` (cards shown,
    in steps of board.PAGE_SIZE) choose which."""
    require_coach(current_user)
    args = request.args
    page = kept_cards.board_page(current_user, args.get("show"), args.get("q"), args.get("upto", type=int))
    status = 422 if page.problem else 200
    context = {"page": page, "shown": page.shown, "show": page.show, "board_size": PAGE_SIZE}
    if wants_fragment():
        return _board_response(render_template("coach/_board.html", **context), status)
    return render_template("coach/dashboard.html", **context), status


def _board_response(board: str, status: int = 200):
    """The board for a poll, or 304 and no body when it is what the phone already shows.

    The ETag leaves out the CSRF token, whose signature changes every second: an unchanged
    board must read as unchanged, and the token the phone holds stays valid.
    """
    response = make_response(board, status)
    response.headers["Cache-Control"] = "no-store"
    if status != 200:
        return response
    response.set_etag(hashlib.sha256(board.replace(generate_csrf(), "").encode()).hexdigest()[:32])
    return response.make_conditional(request)


# ── invitations ─────────────────────────────────────────────────────────────────────────────

@bp.get("/invitations")
@login_required
def invitations():
    return _invitations_page(InviteEmailForm(formdata=None))


def _invitations_page(email_form: InviteEmailForm, status: int = 200):
    coach_id = require_coach(current_user)
    return render_template("coach/invitations.html", invitations=invites.coach_invitations(coach_id),
                           now=utcnow(), new_id=request.args.get("new", type=int), email_form=email_form), status


@bp.post("/invitations")
@login_required
@invite_limit
def create_invitation():
    link = invites.create_invitation(require_coach(current_user))
    flash("Invitation ready. Send the link or the code to one athlete: it works once, for 7 days.", "success")
    return redirect(url_for("coach.invitations", new=link.id, _anchor=f"invite-{link.id}"), 303)


@bp.post("/invitations/email")
@login_required
@invite_limit
def email_invitation():
    require_coach(current_user)
    form = InviteEmailForm(own_email=current_user.email)
    if not form.validate_on_submit():
        return _invitations_page(form, 422)
    link = invites.email_invitation(current_user, form.email.data)
    flash(f"Invitation emailed to {form.email.data}. The link and code below work too: once, for 7 days.",
          "success")
    return redirect(url_for("coach.invitations", new=link.id, _anchor=f"invite-{link.id}"), 303)


@bp.post("/invitations/<int:link_id>/revoke")
@login_required
def revoke_invitation(link_id: int):
    link = own_invitation(current_user, link_id)
    if invites.revoke(link):
        flash(f"Invitation {display_code(link.invite_code)} revoked: its link and code no longer work.", "success")
    else:
        flash("That invitation had already been answered, so there was nothing to revoke.", "info")
    return redirect(url_for("coach.invitations"), 303)


# ── one athlete ─────────────────────────────────────────────────────────────────────────────

@bp.get("/athletes/<int:athlete_id>")
@login_required
def athlete(athlete_id: int):
    return _athlete_page(athlete_for_coach(current_user, athlete_id))


def _athlete_page(athlete: User, status: int = 200, **forms):
    """The athlete's page; `forms` carries a submitted form back with its errors."""
    days = request.args.get("days", type=int)
    detail = athlete_detail(athlete, days if days in WINDOWS else WINDOWS[0])
    profile = detail.profile
    if profile is not None:
        returning = profile.knee_status == "returning"
        forms.setdefault("stage_form", StageForm(returning, formdata=None, data={"stage": detail.state.stage}))
        forms.setdefault("threshold_form", ThresholdForm(formdata=None, data={"threshold": profile.pain_threshold}))
        forms.setdefault("sessions_form", SessionsForm(
            formdata=None, data={"sessions_to_advance": profile.sessions_to_advance}))
    forms.setdefault("note_form", NoteForm(formdata=None))
    forms["note_form"].text.label.text = f"Note for {athlete.display_name}"
    return render_template("coach/athlete.html", detail=detail, windows=WINDOWS, labels=LABELS,
                           stage_names={stage: name for stage, (name, _) in STAGES.items()},
                           describe_pains=describe_pains, target_label=target_label, timedelta=timedelta,
                           **forms), status


def _back(athlete: User, anchor: str = "coach-actions"):
    return redirect(url_for("coach.athlete", athlete_id=athlete.id, _anchor=anchor), 303)


def _no_profile(athlete: User):
    flash(f"{athlete.display_name} hasn't set up a running profile yet, so there is no progression to change.",
          "warning")
    return _athlete_page(athlete, 409)


@bp.post("/athletes/<int:athlete_id>/pause")
@login_required
def pause(athlete_id: int):
    return _pause_or_resume(athlete_for_coach(current_user, athlete_id), paused=True)


@bp.post("/athletes/<int:athlete_id>/resume")
@login_required
def resume(athlete_id: int):
    return _pause_or_resume(athlete_for_coach(current_user, athlete_id), paused=False)


def _pause_or_resume(athlete: User, paused: bool):
    profile = athlete.profile
    if profile is None:
        return _no_profile(athlete)
    if progress_for(profile).paused == paused:
        flash(f"Progression was already {'paused' if paused else 'running'}: nothing changed.", "info")
    else:
        actions.set_paused(current_user, athlete, paused)
        flash("Progression paused: the stage stays where it is until you resume." if paused else
              "Progression resumed: pain-free sessions count toward the next stage again.", "success")
    return _back(athlete)


# The progression settings a coach may change: the page's form, its field, the act, the message.
SETTINGS = {
    "stage": ("stage_form", lambda profile: StageForm(profile.knee_status == "returning"), "stage",
              actions.set_stage, "{name} is now at Stage {value}; the streak starts again."),
    "threshold": ("threshold_form", lambda profile: ThresholdForm(), "threshold",
                  actions.set_threshold, "Sessions now count with pain up to {value}/10."),
    "sessions": ("sessions_form", lambda profile: SessionsForm(), "sessions_to_advance",
                 actions.set_sessions_to_advance, "{value} pain-free days now unlock the next stage."),
}


@bp.post("/athletes/<int:athlete_id>/stage")
@login_required
def set_stage(athlete_id: int):
    return _change_setting(athlete_id, "stage")


@bp.post("/athletes/<int:athlete_id>/threshold")
@login_required
def set_threshold(athlete_id: int):
    return _change_setting(athlete_id, "threshold")


@bp.post("/athletes/<int:athlete_id>/sessions-to-advance")
@login_required
def set_sessions_to_advance(athlete_id: int):
    return _change_setting(athlete_id, "sessions")


def _change_setting(athlete_id: int, setting: str):
    """Validate one progression setting and record it, or show the form again with its error."""
    athlete = athlete_for_coach(current_user, athlete_id)
    profile = athlete.profile
    if profile is None:
        return _no_profile(athlete)
    form_key, make_form, field, act, message = SETTINGS[setting]
    form = make_form(profile)
    if not form.validate_on_submit():
        return _athlete_page(athlete, 422, **{form_key: form})
    value = form[field].data
    act(current_user, athlete, profile, value)
    flash(message.format(name=athlete.display_name, value=value), "success")
    return _back(athlete)


@bp.post("/athletes/<int:athlete_id>/note")
@login_required
def note(athlete_id: int):
    athlete = athlete_for_coach(current_user, athlete_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _athlete_page(athlete, 422, note_form=form)
    actions.leave_note(current_user, athlete, form.text.data)
    flash(f"Note saved: {athlete.display_name} sees it on their Today page.", "success")
    return _back(athlete, "timeline")


@bp.post("/athletes/<int:athlete_id>/checkins/<int:checkin_id>/acknowledge")
@login_required
def acknowledge(athlete_id: int, checkin_id: int):
    athlete = athlete_for_coach(current_user, athlete_id)
    checkin = red_checkin_of(athlete, checkin_id)
    if actions.acknowledge(current_user, athlete, checkin):
        flash(f"Acknowledged {athlete.display_name}'s red check-in.", "success")
    else:
        flash("Someone had already acknowledged that check-in.", "info")
    if request.form.get("back") == "dashboard":
        show = request.form.get("show")
        return redirect(url_for("coach.dashboard", show=show if show in FILTERS else None), 303)
    return _back(athlete, "alerts")


@bp.post("/athletes/<int:athlete_id>/remove")
@login_required
def remove(athlete_id: int):
    athlete = athlete_for_coach(current_user, athlete_id)
    invites.end_links(current_user.id, athlete.id)
    flash(f"{athlete.display_name} is no longer your athlete. You can't see their data any more.", "success")
    return redirect(url_for("coach.dashboard"), 303)
