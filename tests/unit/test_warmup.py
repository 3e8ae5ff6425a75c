"""Warm-up tailoring (shared/DOMAIN.md "Warm-up tailoring"), app/domain/warmup.py."""

from __future__ import annotations

import dataclasses
import functools
from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.content import EQUIPMENT, Library, load_library
from app.domain.warmup import (
    MAX_SECONDS,
    MIN_SECONDS,
    PHASES,
    REQUIRED_FOCUS,
    RUNNER_TYPES,
    STATUSES,
    Routine,
    RunnerProfile,
    build_warmup,
)

IN_PAIN_TAGS = {"high-impact", "deep-flexion-under-load"}
EQUIPMENT_SETS = [
    frozenset(c) for n in range(len(EQUIPMENT) + 1) for c in combinations(EQUIPMENT, n)
]
RUN_STATUSES = [s for s in STATUSES if s != "red"]
RUN_DAYS = list(product(EQUIPMENT_SETS, RUN_STATUSES))


@functools.cache
def library() -> Library:
    return load_library()


def _id(value) -> str:
    if isinstance(value, frozenset):
        return "+".join(sorted(value)) or "bodyweight"
    return str(value)


def _by_runner_type(equipment: frozenset[str], status: str | None) -> dict[str, Routine]:
    """The same day's routine for every runner type."""
    return {t: build_warmup(RunnerProfile(t, equipment), status, library()) for t in RUNNER_TYPES}


def _count(routine: Routine, focuses: set[str]) -> int:
    """Items in the routine that work any of `focuses`."""
    return sum(1 for item in routine.items if focuses & set(item.exercise.focus))


# ── the rules, checked on any routine ───────────────────────────────────────────────────────


def check_rules(profile: RunnerProfile, status: str | None, routine: Routine) -> None:
    """Every rule DOMAIN.md sets for a warm-up, asserted on one built routine."""
    assert routine.status == status
    assert routine.total_seconds == sum(i.exercise.est_seconds for i in routine.items)
    for item in routine.items:
        assert set(item.exercise.equipment) <= profile.equipment
        assert item.dose_label == item.exercise.dose_label
        assert item.cue in item.exercise.cues
    if status == "red":
        check_recovery(routine)
    else:
        check_run(profile, status, routine)


def check_recovery(routine: Routine) -> None:
    assert routine.kind == "recovery"
    assert routine.items, "a red day still offers something gentle"
    assert all(i.exercise.kind == "recovery" and i.phase == "recovery" for i in routine.items)
    assert routine.notes[0].startswith("Don't run today")


def check_run(profile: RunnerProfile, status: str | None, routine: Routine) -> None:
    assert routine.kind == "run"
    assert MIN_SECONDS <= routine.total_seconds <= MAX_SECONDS
    exercises = [i.exercise for i in routine.items]
    assert all(e.kind == "warmup" for e in exercises)
    assert len(set(exercises)) == len(exercises), "no item twice"
    assert set(REQUIRED_FOCUS) <= {f for e in exercises for f in e.focus}
    phases = [PHASES.index(i.phase) for i in routine.items]
    assert phases == sorted(phases), "mobility → activation → dynamic"
    if profile.runner_type == "new":
        assert all(e.level == "simple" for e in exercises)
    if status != "green":
        assert not any(IN_PAIN_TAGS & set(e.tags) for e in exercises)
        assert any("keep knee bends shallow" in note.lower() for note in routine.notes)


# ── table: every runner type × equipment set × status ──────────────────────────────────────


@pytest.mark.parametrize(
    ("runner_type", "equipment", "status"),
    list(product(RUNNER_TYPES, EQUIPMENT_SETS, STATUSES)),
    ids=_id,
)
def test_every_profile_and_status_follows_the_rules(runner_type, equipment, status):
    profile = RunnerProfile(runner_type, equipment)
    check_rules(profile, status, build_warmup(profile, status, library()))


@pytest.mark.parametrize(("equipment", "status"), RUN_DAYS, ids=_id)
def test_long_distance_gets_more_glute_and_hamstring_work(equipment, status):
    routines = _by_runner_type(equipment, status)
    glute_ham = {t: _count(r, {"glutes", "hamstrings"}) for t, r in routines.items()}
    assert glute_ham["long_distance"] > glute_ham["general"]
    assert glute_ham["long_distance"] > glute_ham["trail"]


@pytest.mark.parametrize(("equipment", "status"), RUN_DAYS, ids=_id)
def test_trail_gets_more_balance_and_lateral_work(equipment, status):
    routines = _by_runner_type(equipment, status)
    balance = {t: _count(r, {"balance", "lateral"}) for t, r in routines.items()}
    assert balance["trail"] > balance["general"]
    assert balance["trail"] > balance["long_distance"]


@pytest.mark.parametrize(("equipment", "status"), RUN_DAYS, ids=_id)
def test_general_is_a_balanced_mix(equipment, status):
    routine = build_warmup(RunnerProfile("general", equipment), status, library())
    covered = {f for i in routine.items for f in i.exercise.focus}
    assert set(REQUIRED_FOCUS) | {"mobility", "balance", "lateral"} <= covered


# ── specific behaviour ──────────────────────────────────────────────────────────────────────


def test_no_check_in_yet_is_built_like_amber():
    """Unknown pain is treated as possible pain: same low-impact items as amber."""
    for runner_type, equipment in product(RUNNER_TYPES, EQUIPMENT_SETS):
        profile = RunnerProfile(runner_type, equipment)
        unknown = build_warmup(profile, None, library())
        amber = build_warmup(profile, "amber", library())
        assert unknown.items == amber.items
        assert "check-in" in unknown.notes[0]


def test_green_days_do_include_impact_drills():
    """Otherwise the amber filter would be tested against nothing."""
    routine = build_warmup(RunnerProfile("general"), "green", library())
    assert any("high-impact" in i.exercise.tags for i in routine.items)


def test_a_runner_with_a_band_gets_band_work():
    """Otherwise the equipment filter would be tested against nothing."""
    routine = build_warmup(RunnerProfile("long_distance", {"band"}), "green", library())
    assert any("band" in i.exercise.equipment for i in routine.items)


def test_beginners_get_a_different_simpler_routine():
    beginner = build_warmup(RunnerProfile("new"), "green", library())
    general = build_warmup(RunnerProfile("general"), "green", library())
    assert any(i.exercise.level == "standard" for i in general.items)
    assert beginner.items != general.items


def test_red_day_foam_roller_items_only_with_a_foam_roller():
    without = build_warmup(RunnerProfile("general"), "red", library())
    with_roller = build_warmup(RunnerProfile("general", {"foam_roller"}), "red", library())
    assert len(with_roller.items) > len(without.items)
    assert {i.exercise.slug for i in without.items} <= {i.exercise.slug for i in with_roller.items}


def test_profile_takes_any_iterable_of_equipment():
    assert RunnerProfile("trail", ["band", "step"]).equipment == frozenset({"band", "step"})


@pytest.mark.parametrize(
    ("runner_type", "equipment"),
    [("sprinter", ()), ("trail", ("dumbbell",))],
)
def test_profile_rejects_unknown_values(runner_type, equipment):
    with pytest.raises(ValueError):
        RunnerProfile(runner_type, frozenset(equipment))


def test_unknown_status_is_rejected():
    with pytest.raises(ValueError, match="status"):
        build_warmup(RunnerProfile("general"), "purple", library())


# ── properties ──────────────────────────────────────────────────────────────────────────────

profiles = st.builds(
    RunnerProfile,
    runner_type=st.sampled_from(RUNNER_TYPES),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)),
)
statuses = st.sampled_from(STATUSES)


@settings(max_examples=150, database=None, deadline=None)
@given(profile=profiles, status=statuses)
def test_property_any_profile_and_status_follows_the_rules(profile, status):
    check_rules(profile, status, build_warmup(profile, status, library()))


@settings(max_examples=150, database=None, deadline=None)
@given(profile=profiles, status=statuses, data=st.data())
def test_property_rules_hold_whatever_the_library_order(profile, status, data):
    """The rules come from the builder, not from a lucky file order."""
    shuffled = data.draw(st.permutations(library().exercises))
    reordered = Library(tuple(shuffled), library().levels)
    check_rules(profile, status, build_warmup(profile, status, reordered))


def _heavier(lib: Library, factor: float) -> Library:
    """The same library with every warm-up dose scaled up."""
    def scale(e):
        if e.kind != "warmup":
            return e
        if e.reps is not None:
            return dataclasses.replace(e, reps=round(e.reps * factor))
        return dataclasses.replace(e, seconds=round(e.seconds * factor))
    return Library(tuple(scale(e) for e in lib.exercises), lib.levels)


@settings(max_examples=150, database=None, deadline=None)
@given(profile=profiles, status=statuses, factor=st.floats(1.0, 1.3))
def test_property_heavier_doses_are_trimmed_back_to_8_minutes(profile, status, factor):
    """Emphasis items are dropped, never the coverage, when doses grow."""
    check_rules(profile, status, build_warmup(profile, status, _heavier(library(), factor)))


def test_heavier_doses_do_need_trimming():
    """Otherwise the trim would be tested against nothing."""
    profile = RunnerProfile("long_distance")
    usual = build_warmup(profile, "green", library())
    heavier = build_warmup(profile, "green", _heavier(library(), 1.3))
    assert len(heavier.items) < len(usual.items)


@settings(max_examples=100, database=None, deadline=None)
@given(profile=profiles, status=st.sampled_from(["amber", None]))
def test_property_amber_or_unknown_never_has_tagged_items(profile, status):
    routine = build_warmup(profile, status, library())
    assert all(not IN_PAIN_TAGS & set(i.exercise.tags) for i in routine.items)


@settings(max_examples=100, database=None, deadline=None)
@given(profile=profiles)
def test_property_red_is_always_recovery(profile):
    routine = build_warmup(profile, "red", library())
    assert routine.kind == "recovery"
    assert all(i.exercise.kind == "recovery" for i in routine.items)


@settings(max_examples=100, database=None, deadline=None)
@given(profile=profiles, status=statuses)
def test_property_deterministic(profile, status):
    first = build_warmup(profile, status, library())
    same_profile = RunnerProfile(profile.runner_type, set(profile.equipment))
    again = build_warmup(same_profile, status, load_library())
    assert first == again
