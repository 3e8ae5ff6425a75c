"""The run log: log a run by hand, import files from a watch, edit a run, see the 12 weeks."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.coach.access import athlete_for_coach
from app.domain import running
from app.errors import render_error
from app.htmx import redirect as htmx_redirect
from app.htmx import wants_fragment
from app.profile.access import athlete_required, athlete_today, current_profile
from app.idempotency import idempotent
from app.runs import imports, service
from app.runs.chart import build_chart
from app.runs.forms import ConfirmForm, RunForm, UploadForm

bp = Blueprint("runs", __name__, url_prefix="/runs")


@bp.route("", methods=["GET", "POST"])
@athlete_required
@idempotent
def page():
    today = athlete_today()
    form = RunForm(today=today)
    if request.method == "GET":
        form.local_date.data, form.terrain.data = today, "road"
    elif form.validate_on_submit():
        run = service.add(current_user.id, source="manual", **form.values())
        flash("Run saved.", "success")
        spike = service.spike_message(run)
        if spike:
            flash(spike, "warning")
        url = url_for("runs.page")
        return htmx_redirect(url) if wants_fragment() else redirect(url, 303)
    status = 422 if form.errors else 200
    if request.method == "POST" and wants_fragment():
        return render_template("runs/_form.html", form=form, today=today), status
    return _render_page(today, form=form, status=status)


def _render_page(today, form=None, problems=(), status=200):
    data = service.overview(current_user.id, today)
    return render_template(
        "runs/page.html", today=today, chart=build_chart(data["weeks"]), limit_mb=imports.FILE_LIMIT_MB,
        form=form or _fresh_form(today), upload=UploadForm(), problems=problems,
        **data), status


def _fresh_form(today) -> RunForm:
    form = RunForm(formdata=None, today=today)
    form.local_date.data, form.terrain.data = today, "road"
    return form


@bp.route("/<int:run_id>", methods=["GET", "POST"])
@athlete_required
@idempotent
def edit(run_id: int):
    """Change a run, or add the pain an hour after."""
    run = service.get_own(current_user.id, run_id) or abort(404)
    today = athlete_today()
    form = RunForm(obj=None if request.method == "POST" else _as_form_data(run), today=today)
    if form.validate_on_submit():
        service.update(run, form.values())
        flash("Run updated.", "success")
        return redirect(url_for("runs.page"), 303)
    return render_template("runs/edit.html", form=form, run=run, today=today), 422 if form.errors else 200


def _as_form_data(run) -> SimpleNamespace:
    """A stored run as the form's starting answers."""
    return SimpleNamespace(
        local_date=run.local_date, distance="" if run.distance_m is None else f"{run.distance_m / 1000:g}",
        duration=_duration_text(run.duration_s), terrain=run.terrain, downhill=run.downhill,
        pain_during=str(run.pain_during), pain_after="" if run.pain_after is None else str(run.pain_after))


def _duration_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@bp.url_value_preprocessor
def _upload_limit(endpoint, values):
    """Files get a larger body limit than forms (app/config.py), set before anything reads the
    body: URL preprocessors run ahead of every before_request, CSRF's included."""
    if endpoint == "runs.upload":
        request.max_content_length = imports.REQUEST_LIMIT_MB * 1024 * 1024


@bp.post("/import")
@athlete_required
def upload():
    """Read the uploaded files; show what was found for the runner to confirm with pain answers."""
    files = request.files.getlist("files")
    today = athlete_today()
    found, problems = imports.read_files(current_user.id, files, current_profile().timezone, today)
    if not found:
        if not problems:
            problems = [("", "Choose one or more GPX, TCX or FIT files first.")]
        return _render_page(today, problems=problems, status=422)
    form = ConfirmForm(formdata=None, data={"runs": [imports.form_data(item) for item in found]})
    return render_template("runs/confirm.html", form=form, found=found, problems=problems, today=today)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error=None):
    """Too many megabytes of run files says so; any other run form sent too large gets the app's
    usual answer (it has no files to make fewer of)."""
    if request.endpoint != "runs.upload":
        return render_error(413)
    message = (f"That upload is over {imports.REQUEST_LIMIT_MB} MB. Each file can be up to "
               f"{imports.FILE_LIMIT_MB} MB: send fewer files at a time.")
    return render_template("errors/error.html", code=413, title="Those files are too large",
                           message=message), 413


@bp.post("/import/confirm")
@athlete_required
@idempotent
def confirm():
    form = ConfirmForm()
    today = athlete_today()
    found = [imports.load_token(entry.form.token.data) for entry in form.runs.entries]
    if not found or None in found:
        abort(400, "That import could not be read back. Upload the files again.")
    if not form.validate_on_submit():
        return render_template("runs/confirm.html", form=form, found=found, problems=(), today=today), 422
    added, skipped = imports.store(current_user.id, form, today)
    if added:
        flash(f"{added} {'run' if added == 1 else 'runs'} added.", "success")
    if skipped:
        flash(f"Already in your log, not added again: {', '.join(skipped)}.", "info")
    return redirect(url_for("runs.page"), 303)


@bp.app_template_global("duration")
def duration_label(seconds: int) -> str:
    return running.format_duration(seconds)


@bp.app_template_global("pace")
def pace_label(distance_m: int | None, seconds: int) -> str | None:
    return running.format_pace(distance_m, seconds)


@bp.app_template_global("coach_runs")
def coach_runs(athlete, today) -> dict:
    """The athlete's 12 weeks for the coach's athlete page (`today` is the athlete's own), through
    the one fail-closed check."""
    athlete = athlete_for_coach(current_user, getattr(athlete, "id", None))
    data = service.overview(athlete.id, today)
    return {**data, "chart": build_chart(data["weeks"])}


@bp.app_template_global("terrain_label")
def terrain_label(terrain: str) -> str:
    return running.TERRAINS.get(terrain, terrain)


@bp.app_template_global("run_offer_today")
def offer_for_today():
    """Today's running offer for the signed-in athlete (the safety gate's answer)."""
    return service.offer_today(current_user.profile, athlete_today())
