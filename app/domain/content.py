"""The exercise library: typed, validated content read from app/content/exercises.toml.

Pure module (stdlib only). The TOML file's header comment is the schema; this module enforces
it and raises ValueError naming the slug and the key on any slip, so bad content never
reaches a runner.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.domain.figure import Figure, parse_figure

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "content" / "exercises.toml"

KINDS = ("strength", "warmup", "recovery", "test")
STAGES = (1, 2, 3, 4)
CATEGORIES = (
    "quads", "hamstrings", "glutes", "calves", "balance", "bands", "mobility", "impact", "core",
)
EQUIPMENT = ("band", "foam_roller", "step")
TAGS = ("high-impact", "deep-flexion-under-load")
FOCUS = (
    "quads", "glutes", "hamstrings", "calves", "balance", "lateral", "coordination", "mobility",
)
LEVELS = ("simple", "standard")

SECONDS_PER_REP = 3
REST_BETWEEN_SETS = 20

_COMMON_KEYS = frozenset({
    "slug", "name", "kind", "category", "muscles", "equipment", "sets", "reps", "seconds",
    "per_side", "summary", "cues", "tags", "figure", "poses",
})
_KIND_KEYS = {
    "strength": frozenset({"stage"}),
    "warmup": frozenset({"focus", "level"}),
    "recovery": frozenset(),
    "test": frozenset(),
}
_DOSE_KEYS = frozenset({"reps", "seconds"})
_RUN_LEVEL_KEYS = frozenset({"level", "name", "description", "total_miles"})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """One reviewed exercise; exactly one of `reps` / `seconds` is set."""

    slug: str
    name: str
    kind: str
    category: str
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    sets: int
    reps: int | None = None
    seconds: int | None = None
    per_side: bool
    summary: str
    cues: tuple[str, ...]
    tags: tuple[str, ...]
    stage: int | None = None
    focus: tuple[str, ...] = ()
    level: str | None = None
    figure: Figure | None = field(default=None, compare=False, repr=False)

    @property
    def dose_label(self) -> str:
        """Dose as a runner reads it: "2 × 10 each side", "3 × 30 s", "10 reps"."""
        return dose_label(self.sets, self.reps, self.seconds, self.per_side)

    @property
    def est_seconds(self) -> int:
        """Rough time to do it: ~3 s a rep, 20 s rest between sets, both sides if per side."""
        work = self.reps * SECONDS_PER_REP if self.reps is not None else self.seconds or 0
        sides = 2 if self.per_side else 1
        return self.sets * work * sides + (self.sets - 1) * REST_BETWEEN_SETS

    def uses_only(self, equipment: frozenset[str] | set[str]) -> bool:
        """True when everything it needs is in `equipment`."""
        return set(self.equipment) <= set(equipment)


@dataclass(frozen=True, kw_only=True)
class RunLevel:
    """One rung of the Stage 5 walk–run ladder."""

    level: int
    name: str
    description: str
    total_miles: float


@dataclass(frozen=True)
class Library:
    """The whole library, in file order; construction checks the library-wide rules."""

    exercises: tuple[Exercise, ...]
    levels: tuple[RunLevel, ...]
    by_slug: Mapping[str, Exercise] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_library(self.exercises, self.levels)
        index = MappingProxyType({e.slug: e for e in self.exercises})
        object.__setattr__(self, "by_slug", index)

    def strength(self, stage: int) -> tuple[Exercise, ...]:
        """The strength exercises of one stage (1–4)."""
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, got {stage!r}")
        return tuple(e for e in self.exercises if e.kind == "strength" and e.stage == stage)

    def warmup_items(self) -> tuple[Exercise, ...]:
        """The pre-run warm-up pool."""
        return self._of_kind("warmup")

    def recovery_items(self) -> tuple[Exercise, ...]:
        """The gentle items offered instead of a warm-up on red days."""
        return self._of_kind("recovery")

    def entry_test(self) -> Exercise:
        """The Stage 4 entry test (10 pain-free single-leg squats per side)."""
        return self._of_kind("test")[0]

    def run_levels(self) -> tuple[RunLevel, ...]:
        """The walk–run ladder, level 1 first."""
        return self.levels

    def _of_kind(self, kind: str) -> tuple[Exercise, ...]:
        """Exercises of one kind, in file order."""
        return tuple(e for e in self.exercises if e.kind == kind)


def load_library(path: str | Path = DEFAULT_PATH) -> Library:
    """Read and validate the library file; ValueError on bad TOML or any schema slip."""
    with open(path, "rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path}: not valid TOML: {err}") from err
    return parse_library(data)


def parse_library(data: Mapping[str, Any]) -> Library:
    """Build a Library from already-parsed TOML data, validating everything."""
    unknown = sorted(set(data) - {"exercise", "run_level"})
    if unknown:
        raise ValueError(f"unknown top-level key {unknown[0]!r}")
    raw_exercises = _table_list(data, "exercise")
    raw_levels = _table_list(data, "run_level")
    exercises = tuple(_exercise(raw, i) for i, raw in enumerate(raw_exercises))
    levels = tuple(_run_level(raw, i) for i, raw in enumerate(raw_levels))
    return Library(exercises, levels)


# ── exercise parsing ────────────────────────────────────────────────────────────────────────


def _exercise(raw: Any, index: int) -> Exercise:
    """Validate one [[exercise]] table and turn it into an Exercise."""
    if not isinstance(raw, dict):
        raise ValueError(f"exercise #{index + 1}: must be a table")
    where = _exercise_where(raw, index)
    kind = _choice(raw, "kind", KINDS, where)
    _check_keys(raw, kind, where)
    reps, seconds = _dose(raw, where)
    muscles = _texts(raw, "muscles", where, at_least=1)
    per_side = _bool(raw, "per_side", where)
    figure = parse_figure(raw["figure"], raw["poses"], where=where, muscles=muscles,
                          per_side=per_side)
    return Exercise(
        slug=raw["slug"], name=_text(raw, "name", where), kind=kind,
        category=_choice(raw, "category", CATEGORIES, where),
        muscles=muscles,
        equipment=_subset(raw, "equipment", EQUIPMENT, where),
        sets=_int(raw, "sets", where), reps=reps, seconds=seconds,
        per_side=per_side, summary=_text(raw, "summary", where),
        cues=_texts(raw, "cues", where, at_least=2, at_most=3),
        tags=_subset(raw, "tags", TAGS, where),
        stage=_stage(raw, where) if kind == "strength" else None,
        focus=_warmup_focus(raw, where) if kind == "warmup" else (),
        level=_choice(raw, "level", LEVELS, where) if kind == "warmup" else None,
        figure=figure,
    )


def _exercise_where(raw: dict, index: int) -> str:
    """'exercise <slug>' for messages, after checking the slug itself."""
    slug = raw.get("slug")
    if slug is None:
        raise ValueError(f"exercise #{index + 1}: missing key 'slug'")
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        raise ValueError(f"exercise #{index + 1} {slug!r}: key 'slug' must be kebab-case")
    return f"exercise {slug!r}"


def _check_keys(raw: dict, kind: str, where: str) -> None:
    """No unknown keys, none missing (the dose pair is checked by _dose)."""
    allowed = _COMMON_KEYS | _KIND_KEYS[kind]
    for key in sorted(set(raw) - allowed):
        owner = next((k for k, keys in _KIND_KEYS.items() if key in keys), None)
        hint = f" (only for kind {owner!r})" if owner else ""
        raise ValueError(f"{where}: unknown key {key!r}{hint}")
    for key in sorted(allowed - _DOSE_KEYS - set(raw)):
        raise ValueError(f"{where}: missing key {key!r}")


def _dose(raw: dict, where: str) -> tuple[int | None, int | None]:
    """Exactly one of reps / seconds, a whole number ≥ 1."""
    present = sorted(_DOSE_KEYS & set(raw))
    if len(present) != 1:
        problem = "both" if present else "neither"
        raise ValueError(f"{where}: key 'reps'/'seconds' needs exactly one, got {problem}")
    key = present[0]
    value = _int(raw, key, where)
    return (value, None) if key == "reps" else (None, value)


def _stage(raw: dict, where: str) -> int:
    """A strength stage, 1–4."""
    stage = _int(raw, "stage", where)
    if stage not in STAGES:
        raise ValueError(f"{where}: key 'stage' must be 1–4, got {stage}")
    return stage


def _warmup_focus(raw: dict, where: str) -> tuple[str, ...]:
    """At least one focus; the first is the main one."""
    focus = _subset(raw, "focus", FOCUS, where)
    if not focus:
        raise ValueError(f"{where}: key 'focus' must name at least one focus")
    return focus


# ── run levels ──────────────────────────────────────────────────────────────────────────────


def _run_level(raw: Any, index: int) -> RunLevel:
    """Validate one [[run_level]] table."""
    where = f"run_level #{index + 1}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a table")
    for key in sorted(set(raw) ^ _RUN_LEVEL_KEYS):
        problem = "unknown" if key in raw else "missing"
        raise ValueError(f"{where}: {problem} key {key!r}")
    miles = raw["total_miles"]
    if isinstance(miles, bool) or not isinstance(miles, int | float) or miles <= 0:
        raise ValueError(f"{where}: key 'total_miles' must be a positive number")
    return RunLevel(
        level=_int(raw, "level", where), name=_text(raw, "name", where),
        description=_text(raw, "description", where), total_miles=float(miles),
    )


# ── library-wide rules ──────────────────────────────────────────────────────────────────────


def _check_library(exercises: tuple[Exercise, ...], levels: tuple[RunLevel, ...]) -> None:
    """Unique slugs, one entry test, every stage and pool filled, levels numbered 1..n."""
    seen: set[str] = set()
    for e in exercises:
        if e.slug in seen:
            raise ValueError(f"exercise {e.slug!r}: key 'slug' is a duplicate")
        seen.add(e.slug)
    tests = [e.slug for e in exercises if e.kind == "test"]
    if len(tests) != 1:
        raise ValueError(f"library needs exactly one kind 'test' exercise, found {tests}")
    for stage in STAGES:
        if not any(e.kind == "strength" and e.stage == stage for e in exercises):
            raise ValueError(f"library has no strength exercise for stage {stage}")
    for kind in ("warmup", "recovery"):
        if not any(e.kind == kind for e in exercises):
            raise ValueError(f"library has no kind {kind!r} exercises")
    numbers = [lv.level for lv in levels]
    if not numbers or numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"run_level levels must be 1, 2, 3… in order, got {numbers}")


# ── typed getters ───────────────────────────────────────────────────────────────────────────


def _table_list(data: Mapping[str, Any], key: str) -> list:
    """A [[key]] array of tables."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"top-level key {key!r} must be an array of tables ([[{key}]])")
    return value


def _text(raw: dict, key: str, where: str) -> str:
    """Non-empty text."""
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: key {key!r} must be non-empty text")
    return value


def _int(raw: dict, key: str, where: str) -> int:
    """A whole number ≥ 1 (TOML booleans are not numbers here)."""
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where}: key {key!r} must be a whole number ≥ 1, got {value!r}")
    return value


def _bool(raw: dict, key: str, where: str) -> bool:
    """true or false."""
    value = raw[key]
    if not isinstance(value, bool):
        raise ValueError(f"{where}: key {key!r} must be true or false, got {value!r}")
    return value


def _choice(raw: dict, key: str, options: tuple[str, ...], where: str) -> str:
    """One of a fixed set of values."""
    if key not in raw:
        raise ValueError(f"{where}: missing key {key!r}")
    value = raw[key]
    if value not in options:
        raise ValueError(f"{where}: key {key!r} must be one of {options}, got {value!r}")
    return value


def _texts(
    raw: dict, key: str, where: str, at_least: int = 0, at_most: int | None = None
) -> tuple[str, ...]:
    """A list of non-empty text, optionally with a size range."""
    value = raw[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: key {key!r} must be a list of non-empty text")
    if len(value) < at_least or (at_most is not None and len(value) > at_most):
        span = f"{at_least}–{at_most}" if at_most is not None else f"at least {at_least}"
        raise ValueError(f"{where}: key {key!r} needs {span} entries, got {len(value)}")
    return tuple(value)


def _subset(raw: dict, key: str, options: tuple[str, ...], where: str) -> tuple[str, ...]:
    """A list drawn from a fixed set, no repeats."""
    values = _texts(raw, key, where)
    for value in values:
        if value not in options:
            raise ValueError(f"{where}: key {key!r} has {value!r}, allowed: {options}")
    if len(set(values)) != len(values):
        raise ValueError(f"{where}: key {key!r} repeats an entry")
    return values


def dose_label(sets: int, reps: int | None, seconds: int | None, per_side: bool) -> str:
    """Dose as a runner reads it: "2 × 10 each side", "3 × 30 s", "10 reps"."""
    if reps is not None:
        amount = f"{reps}" if sets > 1 or per_side else f"{reps} reps"
    else:
        amount = _duration_label(seconds or 0)
    label = f"{sets} × {amount}" if sets > 1 else amount
    return f"{label} each side" if per_side else label


def _duration_label(seconds: int) -> str:
    """Seconds as a runner reads them: 45 s, 2 min, 90 s."""
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"
