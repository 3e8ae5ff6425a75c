"""The coach's weekly digest: the setting on the account page, and one-click unsubscribe."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.coach import digest
from app.coach.forms import DigestForm
from app.extensions import csrf

bp = Blueprint("digest", __name__)


def digest_form(formdata=None) -> DigestForm:
    setting = digest.stored_or_default(current_user.id)
    return DigestForm(formdata=formdata, data={"weekly_on": setting.weekly_on, "timezone": setting.timezone})


@bp.post("/account/digest")
@login_required
def save():
    if not current_user.is_coach:
        abort(404)
    form = DigestForm()
    if not form.validate_on_submit():
        from app.auth.routes import account_page

        return account_page(422, digest_form=form)
    digest.save(current_user.id, form.weekly_on.data, form.timezone.data)
    flash("Weekly summary on: it comes on Mondays at 08:00." if form.weekly_on.data
          else "Weekly summary off.", "success")
    return redirect(url_for("auth.account", _anchor="digest"), 303)


@bp.get("/coach/digest/unsubscribe/<token>")
def unsubscribe(token: str):
    """The link in every digest: a page with one button (a GET changes nothing, so a mail
    system's link scanner can't unsubscribe anyone)."""
    if digest.coach_for_unsubscribe(token) is None:
        return render_template("coach/digest_unsubscribe.html", problem=True), 400
    return render_template("coach/digest_unsubscribe.html", token=token, done=False)


@bp.post("/coach/digest/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: the mail provider posts "List-Unsubscribe=One-Click" with no cookies
def unsubscribe_now(token: str):
    coach_id = digest.coach_for_unsubscribe(token)
    if coach_id is None:
        return render_template("coach/digest_unsubscribe.html", problem=True), 400
    digest.stop(coach_id)
    return render_template("coach/digest_unsubscribe.html", token=token, done=True)
