"""The pre-run warm-up: a quick check if needed, then today's checklist, ticked and finished."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from app.checkin import service as checkins
from app.checkin.forms import QuickCheckForm
from app.domain.content import dose_label
from app.domain.gate import Offer
from app.domain.triage import Verdict
from app.domain.warmup import Routine
from app.htmx import redirect as htmx_redirect
from app.htmx import wants_fragment
from app.models import CheckIn
from app.profile.access import athlete_required, athlete_today, current_profile
from app.progress import offer_for
from app.idempotency import idempotent
from app.warmup import service, state
from app.warmup.forms import MAX_SECONDS, SKIP_PREFIX, SKIP_REASONS, checklist_form

bp = Blueprint("warmup", __name__, url_prefix="/warmup")


@bp.app_template_filter("clock")
def clock(seconds: int) -> str:
    """Seconds as a stopwatch reads: 6:05."""
    return f"{seconds // 60}:{seconds % 60:02d}"


@bp.app_template_filter("duration")
def duration(seconds: int) -> str:
    """Seconds as a dose reads: 30 s, 10 min."""
    return dose_label(1, None, seconds, False)


def _now() -> int:
    """Seconds since the epoch (one place, so tests can stop the clock)."""
    return int(time.time())


@dataclass(frozen=True)
class Day:
    """Today for the signed-in athlete: the check-in, its verdict on a red day, the routine."""

    today: date
    checkin: CheckIn | None
    verdict: Verdict | None  # only on red days, for the guidance shown instead of a run
    routine: Routine | None  # None without a check-in, or when the safety gate offers no warm-up
    offer: Offer | None = None  # the safety gate's answer, once there is a check-in today

    @property
    def self_care(self) -> bool:
        return self.routine is not None


def _day() -> Day:
    profile, today = current_profile(), athlete_today()
    checkin = checkins.checkin_of_day(current_user.id, today)
    if checkin is None:
        return Day(today, None, None, None)
    verdict = checkins.verdict_of(checkin) if checkin.status == "red" else None
    offer = offer_for(profile, today)
    # The gate: a red flag offers nothing, a red day the recovery routine, and hops only when
    # impact work may be offered (else the low-impact warm-up).
    routine = service.routine_for(profile, offer.warmup_status) if offer.warmup else None
    return Day(today, checkin, verdict, routine, offer)


@bp.get("")
@athlete_required
def checklist():
    day = _day()
    if day.checkin is None:
        form = QuickCheckForm(today=day.today, athlete_id=current_user.id)
        return render_template("warmup/quick_check.html", form=form, today=day.today)
    if not day.self_care:
        return _render(None, day)
    saved = state.load(day.today, day.checkin.status)
    data = {"built_for": day.checkin.status, "opened_at": _now(), "done": saved["done"],
            **{SKIP_PREFIX + slug: reason for slug, reason in saved["skipped"].items()}}
    return _render(checklist_form(day.routine, today=day.today, data=data), day)


def _render(form, day: Day, status: int = 200):
    logs = service.logs_between(current_user.id, day.today, day.today)
    return render_template("warmup/checklist.html", form=form, day=day, routine=day.routine,
                           checkin=day.checkin, today=day.today, verdict=day.verdict,
                           done_today=logs[0] if logs else None, reasons=SKIP_REASONS), status


@bp.post("/check")
@athlete_required
@idempotent
def quick_check():
    """The three-question check: it saves today's check-in, then the warm-up is built on it."""
    today = athlete_today()
    if checkins.checkin_of_day(current_user.id, today) is not None:
        return redirect(url_for("warmup.checklist"), 303)
    form = QuickCheckForm(today=today, athlete_id=current_user.id)
    if form.validate_on_submit():
        checkins.save_quick(current_user.id, today, form.answers())
        return redirect(url_for("warmup.checklist"), 303)
    return render_template("warmup/quick_check.html", form=form, today=today), 422


def _posted_checklist():
    """Today and the posted checklist validated against its routine; None with nothing to log."""
    day = _day()
    if not day.self_care:
        return None
    form = checklist_form(day.routine, today=day.today)
    form.validate()
    return form, day


@bp.post("/progress")
@athlete_required
def progress():
    """Remember ticks and skips as they happen (htmx); a plain post returns to the list."""
    posted = _posted_checklist()
    if posted is None:
        return _back_to_checklist()
    form, day = posted
    if not form.errors:
        state.store(day.today, day.checkin.status, form.outcome())
    if wants_fragment():
        return render_template("warmup/_progress.html", form=form, routine=day.routine,
                               alone=True), 422 if form.errors else 200
    if form.errors:
        return _render(form, day, 422)
    return redirect(url_for("warmup.checklist"), 303)


@bp.post("/finish")
@athlete_required
@idempotent
def finish():
    """Save the warm-up log: what was done and skipped, how long it took, what it was built for."""
    posted = _posted_checklist()
    if posted is None:
        return _nothing_to_log()
    form, day = posted
    if not form.errors and not form.anything_logged():
        form.form_errors.append("Tick at least one exercise, or skip the ones you can't do, then finish.")
    if form.errors:
        return _render(form, day, 422)
    items = form.outcome()
    service.save_log(current_user.id, day.today, day.routine, items, _duration(form))
    state.clear()
    done = sum(item["done"] for item in items)
    recovery = day.routine.kind == "recovery"
    flash(f"{'Recovery' if recovery else 'Warm-up'} done: {done} of {len(items)} exercises. "
          + ("Rest well." if recovery else "Enjoy your run!"), "success")
    return redirect(url_for("main.today"), 303)


def _nothing_to_log():
    """A finished checklist with no routine to log it against today: nothing is saved, and the
    answer says so (422), so a phone sending it later shows why instead of counting it synced."""
    day = _day()
    if day.checkin is None:
        message = ("Today's check-in isn't saved yet, so there's no routine to log this against. "
                   "Check in, then do today's warm-up.")
    else:
        message = day.offer.why_not("warmup") or "Today's safety check offers no warm-up."
    return render_template("errors/error.html", code=422, title="Warm-up not saved", message=message), 422


def _back_to_checklist():
    """Nothing to log today (no check-in, or a clinician first): show the warm-up page."""
    if wants_fragment():
        return htmx_redirect(url_for("warmup.checklist"))
    return redirect(url_for("warmup.checklist"), 303)


def _duration(form) -> int:
    """The timer's count when the page had JavaScript, else time since the page was opened."""
    if form.duration_seconds.data is not None:
        return form.duration_seconds.data
    if form.opened_at.data is None:
        return 0
    return max(0, min(MAX_SECONDS, _now() - form.opened_at.data))
