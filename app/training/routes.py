"""Training: the stage and its program, logging a session, its verdict, and the timeline."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.clock import local_today
from app.htmx import is_htmx, wants_fragment
from app.domain import training
from app.domain.progression import STAGES
from app.profile.access import refuse_non_athletes
from app.progress import offer_for, progress_for
from app.idempotency import idempotent
from app.training import service
from app.training.forms import ButtonForm, ExerciseLogForm, RunLogForm, StartForm
from app.library import library

bp = Blueprint("training", __name__, url_prefix="/training")


bp.before_request(refuse_non_athletes)  # Training belongs to athletes who have set up their profile


@bp.get("")
def overview():
    return _overview(StartForm(formdata=None))


def _overview(form: StartForm, status: int = 200):
    """The Training page, with the start form (and its errors, if any)."""
    profile = current_user.profile
    day = service.training_day(profile)
    return render_template(
        "training/overview.html", day=day, form=form, stages=STAGES,
        recent=service.recent_sessions(profile.user_id), verdicts=day.state.verdicts,
        ladder=library().run_levels(), returning=profile.knee_status == "returning",
    ), status


@bp.post("/sessions")
def start():
    form = StartForm()
    profile = current_user.profile
    if not form.validate():
        return _overview(form, 422)
    open_session = service.open_session(profile.user_id)
    if open_session is not None:
        flash("You have a session in progress: finish or discard it first.", "info")
        return redirect(url_for("training.session", session_id=open_session.id), 303)
    day = service.training_day(profile)
    kind = form.kind.data or (day.offer.kinds or ("strength",))[0]
    problem = _start_problem(kind, form.day.data, day)
    if problem:
        field = form.kind if not day.offer.allows(kind) else form.day
        field.errors = [problem]
        return _overview(form, 422)
    plan = training.plan(library(), day.state, day.offer, profile.equipment, kind)
    session = service.start_session(profile.user_id, plan, form.day.data or day.today)
    return redirect(url_for("training.session", session_id=session.id), 303)


def _start_problem(kind: str, when, day: service.TrainingDay) -> str | None:
    """Why this session can't be started (the safety gate's reason), or None."""
    if not day.offer.allows(kind):
        return day.offer.why_not(kind) or {
            "entry_test": "The entry test opens once Stage 3's pain-free sessions are done.",
            "run": "The walk–run is the last stage (Stage 5): it opens after Stage 4.",
        }.get(kind, "That session isn't on offer today.")
    return training.check_day(when, day.today) if when else None


@bp.get("/sessions/<int:session_id>")
def session(session_id: int):
    finished = service.finished_session(current_user.id, session_id)
    if finished is not None:
        return _finished(finished)
    return _logging(service.own_session(current_user.id, session_id))


def _logging(record, errors: dict | None = None, run_form: RunLogForm | None = None,
             unrated: list[str] | None = None, status: int = 200):
    """The log page of an unfinished session; `errors` maps log ids to forms with errors."""
    forms = {log.id: ExerciseLogForm(formdata=None, obj=log, exercise=log.exercise) for log in record.logs}
    forms.update(errors or {})
    return render_template(
        "training/session.html", record=record, forms=forms, stages=STAGES, stopped=_stopped(record),
        run_form=run_form or RunLogForm(formdata=None, pain=record.run_pain),
        level=_level(record), unrated=unrated or [], kind_label=training.KIND_LABELS[record.kind],
    ), status


def _finished(record: service.FinishedSession):
    """A finished session: its verdict and what was logged."""
    view = service.verdict(current_user.profile, record)
    return render_template("training/finished.html", record=record, view=view, stages=STAGES,
                           level=_level(record), kind_label=training.KIND_LABELS[record.kind])


def _level(record):
    """The walk–run level of a run session, from the library."""
    if record.kind != "run" or not record.run_level:
        return None
    return library().run_levels()[record.run_level - 1]


def _stopped(record):
    """The safety gate's answer when it stops today's session going on (a red check-in was
    saved after it started), else None."""
    profile = current_user.profile
    today = local_today(profile)
    if record.local_date != today:
        return None
    offer = offer_for(profile, today)
    return None if offer.mode == "train" else offer


def _refuse_write(record):
    """Why this session can't be written to now, as a 409 (htmx reloads the page to show it);
    None when it can."""
    if record.finished_at is not None:
        title, message = ("This session is already finished",
                          "A finished session can't be changed. If it was logged wrongly, delete "
                          "it and log it again.")
    elif (stopped := _stopped(record)) is not None:
        title, message = "This session stops here", stopped.why_not("strength")
    else:
        return None
    headers = {"HX-Refresh": "true"} if is_htmx() else {}
    return render_template("errors/error.html", code=409, title=title, message=message), 409, headers


@bp.post("/sessions/<int:session_id>/exercises/<slug>")
@idempotent
def log_exercise(session_id: int, slug: str):
    record = service.own_session(current_user.id, session_id)
    refused = _refuse_write(record)
    if refused:
        return refused
    log = service.log_for(record, slug)
    if log is None:
        return render_template(
            "errors/error.html", code=422, title="Not part of this session",
            message="That exercise isn't in this session's program, so it can't be logged "
                    "here. Go back to your session and log the exercises it lists."), 422
    form = ExerciseLogForm(exercise=log.exercise)
    if not (form.validate() & form.check_dose()):
        return _exercise_response(record, log, form, 422)
    service.save_log(log, form.sets.data, form.data.get("reps"), form.data.get("seconds"),
                     form.pain.data, form.skip_reason_given())
    return _exercise_response(record, log, ExerciseLogForm(formdata=None, obj=log, exercise=log.exercise), 200)


def _exercise_response(record, log, form, status: int):
    """The exercise's fragment for htmx; otherwise the session page (or back to it)."""
    if wants_fragment():
        return render_template("training/_exercise.html", record=record, log=log, form=form), status
    if status != 200:
        return _logging(record, errors={log.id: form}, status=status)
    return redirect(url_for("training.session", session_id=record.id,
                            _anchor=f"log-{log.exercise.slug}"), 303)


@bp.post("/sessions/<int:session_id>/run")
@idempotent
def log_run(session_id: int):
    record = service.own_session(current_user.id, session_id)
    refused = _refuse_write(record)
    if refused:
        return refused
    if record.kind != "run":
        abort(404)
    form = RunLogForm()
    if form.validate() and form.pain.data is None:
        form.pain.errors = ["Tap how much it hurt during the run (0 if not at all)."]
    status = 422 if form.pain.errors else 200
    if status == 200:
        service.save_run(record, form.pain.data)
    if wants_fragment():
        return render_template("training/_run.html", record=record, form=form,
                               level=_level(record)), status
    if status != 200:
        return _logging(record, run_form=form, status=status)
    return redirect(url_for("training.session", session_id=record.id), 303)


@bp.post("/sessions/<int:session_id>/finish")
@idempotent
def finish(session_id: int):
    record = service.own_session(current_user.id, session_id)
    if not ButtonForm().validate():
        abort(400)
    refused = _refuse_write(record)
    if refused:
        return refused
    missing = service.unrated(record)
    if missing:
        return _logging(record, unrated=missing, status=422)
    service.finish(record)
    return redirect(url_for("training.session", session_id=record.id), 303)


@bp.post("/sessions/<int:session_id>/delete")
def delete(session_id: int):
    record = service.own_session(current_user.id, session_id)
    if not ButtonForm().validate():
        abort(400)
    was_finished = record.finished_at is not None
    service.delete(record)
    flash("Session deleted: your progress is worked out again without it." if was_finished
          else "Session discarded.", "success")
    return redirect(url_for("training.overview"), 303)


@bp.get("/timeline")
def timeline():
    profile = current_user.profile
    state = progress_for(profile, local_today(profile))
    return render_template("training/timeline.html", state=state, stages=STAGES,
                           events=list(reversed(state.events)), today=local_today(profile))
