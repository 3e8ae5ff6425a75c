"""The coach's side of outcome measures: the athlete's charts, the interval, "ask for one now",
and the physio report. Every route reaches the athlete only through app.coach.access."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.clock import local_today
from app.coach import actions
from app.coach.access import athlete_for_coach
from app.coach.forms import ButtonForm
from app.domain import outcomes
from app.forms import ChoiceRadio, Form
from app.outcomes import routes, service

bp = Blueprint("coach_outcomes", __name__, url_prefix="/coach/athletes/<int:athlete_id>/outcomes")


class IntervalForm(Form):
    weeks = ChoiceRadio("Weeks between questionnaires",
                        [(str(w), f"{w} weeks" + (" (default)" if w == outcomes.DEFAULT_INTERVAL_WEEKS else ""))
                         for w in outcomes.INTERVAL_WEEKS], "Choose between 2 and 6 weeks.")


def _linked_runner(view):
    """Login required; the view gets the athlete (reached through app.coach.access only) and their
    profile. One without a profile yet has no measures: back to their page, saying so."""

    @wraps(view)
    @login_required
    def wrapped(athlete_id: int):
        athlete = athlete_for_coach(current_user, athlete_id)
        if athlete.profile is None:
            flash(f"{athlete.display_name} hasn't set up their profile yet.", "info")
            return redirect(url_for("coach.athlete", athlete_id=athlete.id), 303)
        return view(athlete, athlete.profile)

    return wrapped


def coach_context(athlete, profile, interval_form=None) -> dict:
    """What the coach's outcomes card shows (also included on the athlete page)."""
    today = local_today(profile)
    form = interval_form or IntervalForm(data={"weeks": str(service.interval_weeks(athlete.id))})
    return {**routes.progress_context(athlete, profile, today, for_runner=False), "athlete": athlete,
            "interval_form": form, "request_form": ButtonForm(), "due": service.due_for(profile, today)}


@bp.get("")
@_linked_runner
def page(athlete, profile):
    return render_template("outcomes/coach.html", **coach_context(athlete, profile))


@bp.post("/interval")
@_linked_runner
def interval(athlete, profile):
    form = IntervalForm()
    if not form.validate_on_submit():
        return render_template("outcomes/coach.html", **coach_context(athlete, profile, form)), 422
    actions.set_outcome_interval(current_user, athlete, int(form.weeks.data))
    flash(f"Questionnaires for {athlete.display_name} now come every {form.weeks.data} weeks.", "success")
    return redirect(url_for("coach_outcomes.page", athlete_id=athlete.id), 303)


@bp.post("/request")
@_linked_runner
def request_now(athlete, profile):
    form = ButtonForm()
    if not form.validate_on_submit():
        return render_template("outcomes/coach.html", **coach_context(athlete, profile)), 400
    actions.request_outcomes(current_user, athlete)
    flash(f"Asked {athlete.display_name} for a questionnaire: it shows on their Today page.", "success")
    return redirect(url_for("coach_outcomes.page", athlete_id=athlete.id), 303)


@bp.get("/report")
@_linked_runner
def report_page(athlete, profile):
    """The athlete's physio report: a page, or ?format=pdf / ?format=fhir."""
    return routes.report_response(athlete, profile, local_today(profile), coach_view=True)


@bp.app_template_global()
def coach_outcomes(athlete) -> dict:
    """The outcomes card's context for the athlete page; the athlete was reached through
    athlete_for_coach, and is checked again here so the card can never show anyone else."""
    athlete = athlete_for_coach(current_user, athlete.id)
    return coach_context(athlete, athlete.profile)
