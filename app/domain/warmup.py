"""Pre-run warm-up tailoring (shared/DOMAIN.md "Warm-up tailoring").

Pure module: takes a runner profile, today's check-in status and the exercise library, and
returns a 5–8 minute routine, or the recovery alternative on a red day.

How a routine is built:
1. Pool: warm-up items the runner has the equipment for; beginners get only "simple" items;
   unless today is green, nothing tagged high-impact or deep-flexion-under-load.
2. Slots: one item each for mobility, glutes, quads, hamstrings, calves and coordination,
   then the runner type's emphasis (long-distance: glutes and hamstrings; trail: balance and
   lateral control; general: a balanced mix; new: balance).
3. Time: drop emphasis items from the end while over 8 minutes, then top up while under 5.
4. Order: general mobility → activation → coordination/dynamic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.content import EQUIPMENT, TAGS, Exercise, Library

RUNNER_TYPES = ("new", "long_distance", "trail", "general")
STATUSES = ("green", "amber", "red", None)

MIN_SECONDS = 5 * 60
MAX_SECONDS = 8 * 60

# Every run warm-up wakes up these (DOMAIN.md "Pre-run warm-up checklist").
REQUIRED_FOCUS = ("quads", "glutes", "hamstrings", "calves", "coordination")
BASE_SLOTS = ("mobility", "glutes", "quads", "hamstrings", "calves", "coordination")
EMPHASIS = {
    "new": ("balance",),
    "general": ("balance", "lateral", "glutes"),
    "long_distance": ("glutes", "hamstrings", "glutes", "hamstrings"),
    "trail": ("balance", "lateral", "balance", "lateral"),
}
PHASES = ("mobility", "activation", "dynamic")

START_NOTE = {
    "green": "Good to go: warm up first.",
    "amber": "Run easy and short today, and skip high-impact drills.",
    # No check-in yet: we cannot rule pain out, so the routine is built as for amber.
    None: "No check-in yet today, so this is the low-impact warm-up. "
    "Do the 20-second check-in to tailor it.",
}
ACTIVATION_NOTE = "Activation, not fatigue: easy effort, stop well short of tired."
SHALLOW_NOTE = "Keep knee bends shallow — no deeper than a quarter squat."
SHARP_PAIN_NOTE = "Stop any move that causes sharp or worsening pain."
RED_NOTES = (
    "Don't run today — your knee needs a calmer day.",
    "If you want to move, try these gentle exercises, only the ones that feel comfortable.",
    "If you reported a red flag, skip these too and see a clinician.",
)


@dataclass(frozen=True)
class RunnerProfile:
    """What tailoring needs to know about the runner."""

    runner_type: str
    equipment: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.runner_type not in RUNNER_TYPES:
            raise ValueError(f"runner_type must be one of {RUNNER_TYPES}, got {self.runner_type!r}")
        equipment = frozenset(self.equipment)
        unknown = sorted(equipment - set(EQUIPMENT))
        if unknown:
            raise ValueError(f"unknown equipment {unknown}, allowed: {EQUIPMENT}")
        object.__setattr__(self, "equipment", equipment)


@dataclass(frozen=True)
class RoutineItem:
    """One checklist line: the exercise, its dose, one cue, and its phase."""

    exercise: Exercise
    dose_label: str
    cue: str
    phase: str  # "mobility" | "activation" | "dynamic" | "recovery"

    @property
    def est_seconds(self) -> int:
        """Estimated time for this item."""
        return self.exercise.est_seconds


@dataclass(frozen=True)
class Routine:
    """Today's routine: a run warm-up, or a recovery alternative on a red day."""

    kind: str  # "run" | "recovery"
    status: str | None
    items: tuple[RoutineItem, ...]
    total_seconds: int
    notes: tuple[str, ...]


def build_warmup(profile: RunnerProfile, status: str | None, library: Library) -> Routine:
    """Today's routine for this runner: the tailored warm-up, or recovery on a red day."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
    if status == "red":
        return _recovery_routine(profile, library)
    pool = eligible_items(library.warmup_items(), profile, status)
    base = _fill_slots(pool, BASE_SLOTS, chosen=())
    extras = _fill_slots(pool, EMPHASIS[profile.runner_type], chosen=base)
    chosen = _fit_to_time(base, extras, _top_up_order(pool, profile.runner_type))
    items = tuple(_item(e, _phase(e)) for e in _in_routine_order(chosen, pool))
    return Routine("run", status, items, _total(items), _run_notes(status))


def eligible_items(
    items: Iterable[Exercise], profile: RunnerProfile, status: str | None
) -> tuple[Exercise, ...]:
    """The warm-up pool this runner may use today, in library order."""
    return tuple(
        e for e in items
        if e.uses_only(profile.equipment)
        and (profile.runner_type != "new" or e.level == "simple")
        and (status == "green" or not set(e.tags) & set(TAGS))
    )


def _fill_slots(
    pool: Sequence[Exercise], slots: Iterable[str], chosen: Sequence[Exercise]
) -> tuple[Exercise, ...]:
    """One new item per slot: its main focus first, else any item with that focus."""
    picked: list[Exercise] = []
    taken = {e.slug for e in chosen}  # by slug: comparing whole exercises field by field is slow
    for slot in slots:
        free = [e for e in pool if e.slug not in taken]
        match = next((e for e in free if e.focus[0] == slot), None)
        match = match or next((e for e in free if slot in e.focus), None)
        if match:
            picked.append(match)
            taken.add(match.slug)
    return tuple(picked)


def _fit_to_time(
    base: tuple[Exercise, ...], extras: tuple[Exercise, ...], top_up: Sequence[Exercise]
) -> tuple[Exercise, ...]:
    """Keep the routine within 5–8 minutes: trim emphasis from the end, then top up."""
    _require_coverage(base)
    chosen = list(base + extras)
    while _seconds(chosen) > MAX_SECONDS and len(chosen) > len(base):
        chosen.pop()
    for e in top_up:
        if _seconds(chosen) >= MIN_SECONDS:
            break
        if e not in chosen and _seconds(chosen) + e.est_seconds <= MAX_SECONDS:
            chosen.append(e)
    if not MIN_SECONDS <= _seconds(chosen) <= MAX_SECONDS:
        raise ValueError(f"warm-up library cannot fill 5–8 minutes ({_seconds(chosen)} s)")
    return tuple(chosen)


def _require_coverage(chosen: Sequence[Exercise]) -> None:
    """A library gap (nothing for calves, say) is a content bug, never a thin routine."""
    covered = {f for e in chosen for f in e.focus}
    missing = [f for f in REQUIRED_FOCUS if f not in covered]
    if missing:
        raise ValueError(f"warm-up library has no eligible item for {missing}")


def _top_up_order(pool: Sequence[Exercise], runner_type: str) -> tuple[Exercise, ...]:
    """Items to add when short of time: the runner type's emphasis first, then the rest."""
    emphasis = set(EMPHASIS[runner_type])
    return tuple(sorted(pool, key=lambda e: not emphasis & set(e.focus)))


def _phase(exercise: Exercise) -> str:
    """Where an item sits: mobility first, then activation, then dynamic drills."""
    if exercise.focus[0] == "mobility":
        return "mobility"
    if exercise.focus[0] == "coordination" or exercise.category == "impact":
        return "dynamic"
    return "activation"


def _in_routine_order(
    chosen: Iterable[Exercise], pool: Sequence[Exercise]
) -> tuple[Exercise, ...]:
    """Mobility → activation → dynamic; library order within a phase."""
    place = {e.slug: position for position, e in enumerate(pool)}
    return tuple(sorted(chosen, key=lambda e: (PHASES.index(_phase(e)), place[e.slug])))


def _run_notes(status: str | None) -> tuple[str, ...]:
    """Guidance shown above a run warm-up."""
    if status == "green":
        return (START_NOTE["green"], ACTIVATION_NOTE, SHARP_PAIN_NOTE)
    return (START_NOTE[status], SHALLOW_NOTE, ACTIVATION_NOTE, SHARP_PAIN_NOTE)


def _recovery_routine(profile: RunnerProfile, library: Library) -> Routine:
    """Red day: no run warm-up, only the gentle recovery items the runner can do."""
    usable = (e for e in library.recovery_items() if e.uses_only(profile.equipment))
    items = tuple(_item(e, "recovery") for e in usable)
    return Routine("recovery", "red", items, _total(items), RED_NOTES)


def _item(exercise: Exercise, phase: str) -> RoutineItem:
    """A checklist line with the exercise's headline (first) cue."""
    return RoutineItem(exercise, exercise.dose_label, exercise.cues[0], phase)


def _seconds(exercises: Iterable[Exercise]) -> int:
    """Estimated time of a list of exercises."""
    return sum(e.est_seconds for e in exercises)


def _total(items: Iterable[RoutineItem]) -> int:
    """Estimated time of a routine's items."""
    return sum(i.est_seconds for i in items)
