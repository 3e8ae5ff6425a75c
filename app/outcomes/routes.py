"""Outcome questionnaires for the runner: the round, "Your progress", and the physio report
(page, PDF, FHIR). The coach's copies go through app.coach.access (app/outcomes/coach_routes.py)."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.domain import outcomes
from app.models import AthleteProfile, User
from app.outcomes import chart, fhir, pdf, report, service
from app.outcomes.forms import make_round_form
from app.profile.access import athlete_required, athlete_today, current_profile
from app.idempotency import idempotent

bp = Blueprint("outcomes", __name__, url_prefix="/progress")
MIN_CHART_WEEKS = 8


@bp.app_template_global()
def outcomes_due(user) -> outcomes.Due | None:
    """For Today's card: the round due for a signed-in athlete, if any."""
    profile = getattr(user, "profile", None) if getattr(user, "is_athlete", False) else None
    return None if profile is None else service.due_for(profile, athlete_today())


@bp.route("/questionnaire", methods=["GET", "POST"])
@athlete_required
@idempotent
def questionnaire():
    today = athlete_today()
    due = service.due_for(current_profile(), today)
    if due is None:
        flash("No questionnaire is due today.", "info")
        return redirect(url_for("outcomes.progress"), 303)
    activities = [] if due.baseline else service.baseline_activities(current_user.id)
    form = make_round_form(due.baseline, activities)
    if form.validate_on_submit():
        scored = _score(form, due.baseline, activities)
        if scored is not None:
            service.save_round(current_user.id, today, scored)
            flash(f"Saved. Kujala score: {scored.akps_score} of 100.", "success")
            return redirect(url_for("outcomes.progress"), 303)
    status = 422 if form.errors or request.method == "POST" else 200
    return render_template("outcomes/questionnaire.html", form=form, due=due, activities=activities), status


def _score(form, baseline: bool, activities: list[str]) -> service.Round | None:
    """Score the form through the pure module; an answer it refuses becomes that field's error."""
    ratings = [f.data for f in form.rating_fields()]
    try:
        if baseline:
            pairs = [(a.data, r.data) for a, r in zip(form.activity_fields(), form.rating_fields())]
            for n, (name, rating) in enumerate(pairs, 1):
                if name and rating in (None, ""):
                    raise outcomes.AnswerError(f"rating_{n}", "Rate this activity from 0 (unable) to 10 (as before).")
                if rating not in (None, "") and not name:
                    raise outcomes.AnswerError(f"activity_{n}", "Name the activity you rated.")
            activities = outcomes.clean_activities([name for name, _ in pairs])
            ratings = [rating for name, rating in pairs if name]
        answers = {key: form[key].data for key in outcomes.AKPS_KEYS}
        return service.score_round(answers, activities, ratings, form.groc.data if "groc" in form else None, baseline)
    except outcomes.AnswerError as error:
        field = form[error.field] if error.field in form else form.akps_fields()[0]
        field.errors = [*field.errors, error.message]
        return None


@bp.get("")
@athlete_required
def progress():
    today = athlete_today()
    profile = current_profile()
    return render_template("outcomes/progress.html", **progress_context(current_user, profile, today),
                           due=service.due_for(profile, today))


def progress_context(athlete: User, profile: AthleteProfile, today, for_runner: bool = True) -> dict:
    """The charts, readings and table of "Your progress" (shared with the coach's athlete page)."""
    rows = service.responses(athlete.id, end=today)
    by_kind = service.series(rows)
    first_checkin = service.first_checkin_day(athlete.id)
    first = min([service.program_start(profile), today, *(d for d, _ in by_kind["akps"]),
                 *([first_checkin] if first_checkin else [])])
    weeks = outcomes.pain_weeks(service.daily_pain(athlete.id, first, today), first, today)
    pain_series = [(w.end, w.average) for w in weeks if w.average is not None]
    readings = [outcomes.reading(m, by_kind[m], for_runner) for m in ("akps", "psfs") if by_kind[m]]
    if pain_series:
        readings.append(outcomes.reading("nprs", pain_series, for_runner))
    end = max(today, first + timedelta(weeks=MIN_CHART_WEEKS))  # room to the right for what comes next
    return {"charts": chart.measure_charts(by_kind, weeks, first, end), "readings": readings,
            "scores": report.scores_of(by_kind), "today": today,
            "pain_weeks": [w for w in weeks if w.average is not None], "rounds": service.round_days(athlete.id),
            "interval": service.interval_weeks(athlete.id)}


# ── the physio report ───────────────────────────────────────────────────────────────────────

@bp.get("/report")
@athlete_required
def report_page():
    return report_response(current_user, current_profile(), athlete_today())


def report_response(athlete: User, profile: AthleteProfile, today, coach_view: bool = False):
    """The report for ?start=&end= as a page, or with ?format=pdf (and ?paper=a4|letter) or
    ?format=fhir as a download. One route for all three, so a bad period is refused alike."""
    what = request.args.get("format", "page")
    try:
        start, end = report.parse_period(request.args.get("start"), request.args.get("end"), today,
                                         min(service.program_start(profile), today))
    except report.PeriodError as error:
        return render_template("outcomes/report.html", report=None, error=error, args=request.args,
                               athlete=athlete, coach_view=coach_view), 422
    name = f"kneeready-{athlete.id}-{start.isoformat()}-{end.isoformat()}"
    if what == "fhir":
        made_at = datetime.now(UTC).replace(microsecond=0).isoformat()
        body = json.dumps(fhir.period_bundle(athlete, start, end, made_at), indent=1)
        return Response(body, mimetype="application/fhir+json", headers={
            "Content-Disposition": f'attachment; filename="{name}.fhir.json"', "Cache-Control": "no-store"})
    data = report.build(athlete, profile, start, end, today)
    if what == "pdf":
        paper = request.args.get("paper", "a4")
        body = pdf.render(data, paper if paper in pdf.PAPER else "a4")
        return Response(body, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{name}.pdf"', "Cache-Control": "no-store"})
    return render_template("outcomes/report.html", report=data, error=None, args=request.args,
                           athlete=athlete, coach_view=coach_view)
