"""What a session offers (kit, sore days, Stage 4 and 5, the entry test) and how verdicts read."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain import training
from app.domain.content import load_library
from app.domain.gate import CheckinFacts, decide
from app.domain.progression import Event, SessionVerdict, Settings, compute

LIBRARY = load_library()
TODAY = date(2026, 3, 12)
ALL_KIT = frozenset({"band", "step", "foam_roller"})


def state_at(stage: int, **changes):
    """The engine's state for an athlete set at `stage` with no history."""
    state = compute([], [], [], Settings(start_stage=stage, return_to_run=stage == 5), TODAY)
    return replace(state, **changes)


def offer(state, status="green", pain=0, ran_recently=False):
    """The gate's offer for that state with a check-in of `status` today."""
    return decide(state, TODAY, CheckinFacts(TODAY, status, pain, False), ran_recently)


AMBER_WHY = "Hops and impact work come back once today's check-in is green (it is amber)."


def slugs(plan) -> list[str]:
    return [e.slug for e in plan.exercises]


@pytest.mark.parametrize("stage", [1, 2, 3, 4])
def test_with_all_the_kit_and_a_calm_knee_the_whole_stage_is_offered(stage):
    state = state_at(stage)
    plan = training.plan(LIBRARY, state, offer(state), ALL_KIT)
    assert slugs(plan) == [e.slug for e in LIBRARY.strength(stage)]
    assert (plan.kind, plan.stage, plan.left_out, plan.note) == ("strength", stage, (), None)


def test_exercises_needing_missing_kit_are_left_out_with_the_reason():
    plan = training.plan(LIBRARY, state_at(2), offer(state_at(2)), frozenset())
    assert slugs(plan) == ["sit-to-stand", "single-leg-bridge", "short-range-reverse-lunge", "side-plank"]
    reasons = {item.exercise.slug: item.reason for item in plan.left_out}
    assert reasons["low-step-up"].startswith("Needs a step or box")
    assert reasons["band-lateral-walk"].startswith("Needs a resistance band")


@pytest.mark.parametrize("stage", [1, 2, 3, 4])
def test_nothing_high_load_is_offered_while_the_gate_withholds_impact(stage):
    plan = training.plan(LIBRARY, state_at(stage), offer(state_at(stage), "amber", 3), ALL_KIT)
    assert plan.exercises
    assert not any(set(e.tags) & training.HIGH_LOAD_TAGS for e in plan.exercises)
    for item in plan.left_out:
        assert item.reason.endswith(f"left out today. {AMBER_WHY}")


def test_stage_4_on_a_sore_day_falls_back_to_calm_stage_3_work_logged_at_stage_3():
    sore = state_at(4, last_done_pain_free=False)
    plan = training.plan(LIBRARY, sore, offer(sore), frozenset())
    assert plan.stage == 3
    assert slugs(plan) == ["single-leg-balance", "single-leg-romanian-deadlift",
                           "single-leg-calf-raise", "short-lever-copenhagen-plank"]
    assert "doesn't count toward Stage 4" in plan.note
    assert "a session with every exercise pain-free" in plan.note


def test_on_the_ladder_strength_sessions_are_stage_3_work_logged_at_stage_5():
    plan = training.plan(LIBRARY, state_at(5), offer(state_at(5)), ALL_KIT)
    assert plan.stage == 5 and slugs(plan) == [e.slug for e in LIBRARY.strength(3)]
    assert "only runs move you up" in plan.note


def test_a_run_plan_is_the_current_walk_run_level():
    state = state_at(5, run_level=4)
    plan = training.plan(LIBRARY, state, offer(state), ALL_KIT, "run")
    assert (plan.kind, plan.stage, plan.run_level, plan.exercises) == ("run", 5, 4, ())


def test_the_entry_test_plan_is_the_library_test_at_stage_3():
    state = state_at(3, streak=3)
    plan = training.plan(LIBRARY, state, offer(state), ALL_KIT, "entry_test")
    assert (plan.kind, plan.stage, slugs(plan)) == ("entry_test", 3, ["single-leg-squat-test"])


def test_a_plan_the_gate_does_not_offer_is_refused():
    with pytest.raises(ValueError):
        training.plan(LIBRARY, state_at(3), offer(state_at(3)), ALL_KIT, "entry_test")


@pytest.mark.parametrize("changes, status, offered", [
    ({}, "green", ("strength",)),
    ({"streak": 3}, "green", ("entry_test", "strength")),
    ({"streak": 3}, "amber", ("strength",)),
    ({"streak": 3, "entry_test_passed": True}, "green", ("strength",)),
    ({"streak": 2}, "green", ("strength",)),
], ids=["streak open", "streak done", "sore", "test passed", "one to go"])
def test_the_entry_test_is_offered_when_stage_3_is_done(changes, status, offered):
    assert offer(state_at(3, **changes), status).kinds == offered


@pytest.mark.parametrize("changes, ran_recently, offered", [
    ({}, False, ("run", "strength")),
    ({}, True, ("strength",)),
    ({"last_done_pain_free": False}, False, ("strength",)),
], ids=["calm", "ran today or yesterday", "sore"])
def test_runs_are_offered_on_calm_days_after_a_rest_day(changes, ran_recently, offered):
    assert offer(state_at(5, **changes), ran_recently=ran_recently).kinds == offered


@pytest.mark.parametrize("offset, problem", [
    (0, None), (-7, None), (1, "A session can't be dated in the future."),
    (-8, "You can log sessions from the last 7 days."),
])
def test_a_session_can_be_dated_today_or_in_the_last_week(offset, problem):
    assert training.check_day(TODAY + timedelta(days=offset), TODAY) == problem


@pytest.mark.parametrize("days_ago, note", [
    ((), "No knee work in the last 7 days — aim for 2–3 short sessions a week."),
    ((1,), "1 day of knee work in the last 7 — aim for 2–3 a week."),
    ((1, 1, 3), "2 days of knee work in the last 7 — right on the 2–3 a week that works best."),
    ((0, 2, 4, 6), "4 days of knee work in the last 7 — more than the 2–3 a week you need: rest days help too."),
    ((7, 9), "No knee work in the last 7 days — aim for 2–3 short sessions a week."),
])
def test_the_week_note_follows_the_article(days_ago, note):
    assert training.week_note([TODAY - timedelta(days=n) for n in days_ago], TODAY) == note


@pytest.mark.parametrize("outcome, tone, title", [
    ("counts", "success", "Counts toward your progress"),
    ("held", "warning", "Held — this one doesn't count"),
    ("stepped_back", "error", "Stepped back"),
    ("paused", "info", "Logged — progression is paused"),
    ("not_counted", "info", "Logged — it doesn't count toward progress"),
    ("awaiting", "success", "Pain-free — one more step"),
])
def test_verdicts_read_in_plain_words(outcome, tone, title):
    view = training.explain(SessionVerdict(1, outcome, "Why it happened", 0), state_at(2), None)
    assert (view.tone, view.title, view.reason) == (tone, title, "Why it happened")
    assert view.next_step


def test_an_advancing_session_names_what_it_unlocked():
    advance = Event(None, TODAY, "advance", 1, 2, "Moved up to Stage 2", 1)
    view = training.explain(SessionVerdict(1, "counts", "Pain-free", 0), state_at(2), advance)
    assert view.title == "Stage 2 unlocked"
    assert "Tomorrow's check-in" in view.next_step
    ladder = Event(None, TODAY, "advance", 5, 5, "", 1, 1, 2)
    assert training.explain(SessionVerdict(1, "counts", "", 0), state_at(5), ladder).title == \
        "Walk–run level 2 unlocked"
