"""The pre-run warm-up: a quick check if needed, then today's checklist, ticked and finished."""
from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from app.checkin import service as checkins
from app.checkin.forms import QuickCheckForm
from app.htmx import wants_fragment
from app.profile.access import athlete_required, athlete_today, current_profile
from app.warmup import service, state
from app.warmup.forms import SKIP_PREFIX, SKIP_REASONS, MAX_SECONDS, checklist_form

bp = Blueprint("warmup", __name__, url_prefix="/warmup")


@bp.app_template_filter("clock")
def clock(seconds: int) -> str:
    """Seconds as a stopwatch reads: 6:05."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def _now() -> int:
    """Seconds since the epoch (one place, so tests can stop the clock)."""
    return int(time.time())


def _today():
    """The athlete's profile, local today, and today's check-in (or None)."""
    profile = current_profile()
    today = athlete_today()
    return profile, today, checkins.todays_checkin(current_user.id, today)


@bp.get("")
@athlete_required
def checklist():
    profile, today, checkin = _today()
    if checkin is None:
        form = QuickCheckForm(today=today, athlete_id=current_user.id)
        return render_template("warmup/quick_check.html", form=form, today=today)
    routine = service.routine_for(profile, checkin.status)
    saved = state.load(today, checkin.status)
    data = {"built_for": checkin.status, "opened_at": _now(), "done": saved["done"],
            **{SKIP_PREFIX + slug: reason for slug, reason in saved["skipped"].items()}}
    form = checklist_form(routine, data=data)
    return _render(form, routine, checkin, today)


def _render(form, routine, checkin, today, status: int = 200):
    logs = service.logs_between(current_user.id, today, today)
    verdict = checkins.verdict_of(checkin) if routine.kind == "recovery" else None
    return render_template("warmup/checklist.html", form=form, routine=routine, checkin=checkin,
                           today=today, done_today=logs[0] if logs else None, verdict=verdict,
                           reasons=SKIP_REASONS), status


@bp.post("/check")
@athlete_required
def quick_check():
    """The three-question check: it saves today's check-in, then the warm-up is built on it."""
    profile, today, checkin = _today()
    if checkin is not None:
        return redirect(url_for("warmup.checklist"), 303)
    form = QuickCheckForm(today=today, athlete_id=current_user.id)
    if form.validate_on_submit():
        checkins.save_quick(current_user.id, today, form.answers())
        return redirect(url_for("warmup.checklist"), 303)
    return render_template("warmup/quick_check.html", form=form, today=today), 422


def _posted_checklist():
    """Today's routine and the posted checklist, validated against it; None with no check-in."""
    profile, today, checkin = _today()
    if checkin is None:
        return None
    routine = service.routine_for(profile, checkin.status)
    form = checklist_form(routine)
    form.validate()
    return form, routine, checkin, today


@bp.post("/progress")
@athlete_required
def progress():
    """Remember ticks and skips as they happen (htmx); a plain post returns to the list."""
    posted = _posted_checklist()
    if posted is None:
        return redirect(url_for("warmup.checklist"), 303)
    form, routine, checkin, today = posted
    if not form.errors:
        state.store(today, checkin.status, form.outcome())
    if wants_fragment():
        return render_template("warmup/_progress.html", form=form, routine=routine), 422 if form.errors else 200
    if form.errors:
        return _render(form, routine, checkin, today, 422)
    return redirect(url_for("warmup.checklist"), 303)


@bp.post("/finish")
@athlete_required
def finish():
    """Save the warm-up log: what was done and skipped, how long it took, what it was built for."""
    posted = _posted_checklist()
    if posted is None:
        return redirect(url_for("warmup.checklist"), 303)
    form, routine, checkin, today = posted
    if not form.errors and not form.anything_logged():
        form.form_errors.append("Tick at least one exercise, or skip the ones you can't do, then finish.")
    if form.errors:
        return _render(form, routine, checkin, today, 422)
    items = form.outcome()
    service.save_log(current_user.id, today, routine, items, _duration(form))
    state.clear()
    done = sum(item["done"] for item in items)
    flash(f"Warm-up done: {done} of {len(items)} exercises. "
          + ("Rest well." if routine.kind == "recovery" else "Enjoy your run!"), "success")
    return redirect(url_for("main.today"), 303)


def _duration(form) -> int:
    """The timer's count when the page had JavaScript, else time since the page was opened."""
    if form.duration_seconds.data is not None:
        return form.duration_seconds.data
    if form.opened_at.data is None:
        return 0
    return max(0, min(MAX_SECONDS, _now() - form.opened_at.data))
