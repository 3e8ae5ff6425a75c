"""The athlete's side of coaching: open an invitation, accept or decline it, see and leave coaches."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.coach import invites
from app.coach.access import own_active_link, require_athlete
from app.coach.forms import CodeForm
from app.coach.invites import invite_limit
from app.domain.coaching import display_code, normalise_code

bp = Blueprint("coaches", __name__)
# Status of the "can't be answered" page: unknown codes are absent, spent ones are gone.
PROBLEM_STATUS = {"malformed": 404, "unknown": 404, "expired": 410, "revoked": 410, "used": 410}


@bp.get("/coaches")
@login_required
def index():
    athlete_id = require_athlete(current_user)
    return render_template("coach/coaches.html", links=invites.athlete_coaches(athlete_id), form=CodeForm())


@bp.post("/coaches/<int:link_id>/leave")
@login_required
def leave(link_id: int):
    link = own_active_link(current_user, link_id)
    name = link.coach.display_name
    invites.end_links(link.coach_id, link.athlete_id)
    flash(f"You've left {name}. They can no longer see anything of yours.", "success")
    return redirect(url_for("coaches.index"), 303)


@bp.route("/invite", methods=["GET", "POST"])
@invite_limit
def enter_code():
    form = CodeForm()
    if form.validate_on_submit():
        return redirect(url_for("coaches.invitation", code=display_code(normalise_code(form.code.data))), 303)
    return render_template("coach/invite_code.html", form=form), 422 if form.errors else 200


@bp.get("/invite/<code>")
@invite_limit
def invitation(code: str):
    lookup = invites.find_invitation(code)
    if lookup.problem:
        return _cannot_answer(lookup.problem)
    link = lookup.link
    problem = invites.accept_problem(link, current_user) if current_user.is_authenticated else None
    return render_template("coach/invite.html", link=link, code=display_code(link.invite_code), problem=problem)


@bp.get("/invite/<code>/accept")
@bp.get("/invite/<code>/decline")
def answer_page(code: str):
    """Where sign-in sends someone back to after an answer was interrupted: the invitation."""
    return redirect(url_for("coaches.invitation", code=code))


@bp.post("/invite/<code>/accept")
@login_required
@invite_limit
def accept(code: str):
    return _answer(code, accept=True)


@bp.post("/invite/<code>/decline")
@login_required
@invite_limit
def decline(code: str):
    return _answer(code, accept=False)


def _answer(code: str, accept: bool):
    lookup = invites.find_invitation(code)
    if lookup.problem:
        return _cannot_answer(lookup.problem)
    link = lookup.link
    problem = invites.accept_problem(link, current_user)
    if problem:
        return render_template("coach/invite.html", link=link, code=display_code(link.invite_code),
                               problem=problem), 409
    coach_name = link.coach.display_name
    if not invites.answer(link, current_user.id, accept):
        return _cannot_answer(invites.find_invitation(code).problem or "used")
    if not accept:
        flash(f"You declined {coach_name}'s invitation. They can't see anything of yours.", "info")
        return redirect(url_for("main.today"), 303)
    flash(f"You're now linked with {coach_name}. You can leave a coach at any time from Account → Your coaches.",
          "success")
    if current_user.profile is None:
        return redirect(url_for("profile.edit", welcome=1), 303)
    return redirect(url_for("coaches.index"), 303)


def _cannot_answer(problem: str):
    return render_template("coach/invite_problem.html", problem=problem), PROBLEM_STATUS[problem]
