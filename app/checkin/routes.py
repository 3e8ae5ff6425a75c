"""The daily symptom check-in: the form, its live verdict, the result, and 30 days of history."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from app.checkin import service
from app.checkin.chart import Day, build_chart
from app.checkin.forms import CheckinForm
from app.domain import triage
from app.fragments import render
from app.htmx import wants_fragment
from app.profile.access import athlete_required, athlete_today
from app.progress import remembered
from app.idempotency import idempotent
from app.per_page import only_reads

bp = Blueprint("checkin", __name__, url_prefix="/checkin")
HISTORY_DAYS = 30
LABELS = {"stiffness": triage.STIFFNESS, "swelling": triage.SWELLING, "after_session": triage.AFTER_SESSION,
          "red_flags": triage.RED_FLAGS, "locations": triage.LOCATIONS, "aggravators": triage.AGGRAVATORS}


def _form(today, existing=None, ask: bool | None = None) -> CheckinForm:
    """Today's check-in form, filled from the saved check-in on a GET (`ask`: whether the
    after-session question applies, when the caller has read it)."""
    ask = service.asks_after_session(current_user.id, today) if ask is None else ask
    obj = existing if request.method == "GET" else None
    return CheckinForm(obj=obj, today=today, athlete_id=current_user.id, ask_after_session=ask)


@bp.route("", methods=["GET", "POST"])
@athlete_required
@idempotent
def form():
    today = athlete_today()
    if request.method == "GET":
        existing = service.checkin_of_day(current_user.id, today)  # the day's check-in as remembered
        # The form as the saved check-in fills it, with its verdict: a function of the athlete's
        # history and the day alone, drawn once, then remembered until anything of theirs is written.
        content = remembered(("checkin-form", request.script_root, today), current_user.id,
                             lambda: _form_content(_form(today, existing), existing, today))
        return render_template("checkin/form.html", existing=existing, today=today, content=content)
    # A POST changes the check-in itself: what saving needs, read afresh in one statement.
    read = service.day_to_change(current_user.id, today)
    existing = read.checkin
    form = _form(today, existing, read.asks_after_session)
    if "all_good" in request.form:
        form.fill_all_good()
        return _render_form(form, read, today, all_good=True)
    if form.validate_on_submit():
        service.save(current_user.id, today, form.answers(), form.note.data, read)
        flash("Check-in saved." if existing is None else "Check-in updated.", "success")
        return redirect(url_for("checkin.result"), 303)
    return _render_form(form, read, today, status=422 if form.errors else 200)


def _render_form(form: CheckinForm, read: service.DayToChange, today, status: int = 200, all_good: bool = False):
    """The form page again after a post: its answers, their errors, and the verdict they get."""
    content = _form_content(form, read.checkin, today, read.recent_pain, all_good)
    return render_template("checkin/form.html", existing=read.checkin, today=today, content=content), status


def _form_content(form: CheckinForm, existing, today, baseline: tuple[int, ...] | None = None,
                  all_good: bool = False) -> Markup:
    """The form with the verdict its current answers get (templates/checkin/_form.html), errors
    cleared while it is being filled in; its CSRF token a hole for the page to fill."""
    answers, complete = form.answers_so_far()
    if all_good or request.method == "GET":
        form.clear_errors()
    verdict = service.preview(current_user.id, today, answers, baseline) if answers else None
    return render("checkin/_form.html", form=form, existing=existing, today=today, verdict=verdict,
                  complete=complete, all_good=all_good)


@bp.post("/verdict")
@only_reads
@athlete_required
def verdict():
    """The live verdict for the answers so far (htmx); a plain post goes back to the form."""
    if not wants_fragment():
        return redirect(url_for("checkin.form"), 303)
    today = athlete_today()
    answers, complete = _form(today).answers_so_far()
    verdict = service.preview(current_user.id, today, answers) if answers else None
    return render_template("checkin/_verdict.html", verdict=verdict, complete=complete, compact=True)


@bp.get("/result")
@athlete_required
def result():
    today = athlete_today()
    checkin = service.checkin_of_day(current_user.id, today)
    if checkin is None:
        return redirect(url_for("checkin.form"))
    return render_template("checkin/result.html", checkin=checkin, verdict=service.verdict_of(checkin),
                           today=today, labels=LABELS, complete=True, compact=False)


@bp.get("/history")
@athlete_required
def history():
    today = athlete_today()
    # A function of the check-ins alone: drawn once, then remembered until one is written.
    content = remembered(("history-page", request.script_root, today), current_user.id, lambda: _history(today))
    return render_template("checkin/history.html", content=content)


def _history(today) -> Markup:
    """The last 30 days' chart and list (templates/checkin/_history.html)."""
    since = today - timedelta(days=HISTORY_DAYS - 1)
    rows = service.history(current_user.id, since, today)
    dates = [since + timedelta(days=n) for n in range(HISTORY_DAYS)]
    days = [Day(d, rows[d].pain_now if d in rows else None, rows[d].worst_pain if d in rows else None)
            for d in dates]
    week = [rows[d].pain_now for d in dates[-7:] if d in rows]
    return render(
        "checkin/_history.html", chart=build_chart(days), today=today, labels=LABELS,
        entries=[(d, rows.get(d)) for d in reversed(dates)], checked_in=len(rows),
        week_average=sum(week) / len(week) if week else None,
    )
