"""The exercise library file and its loader (app/content/exercises.toml, app/domain/content.py)."""

from __future__ import annotations

import functools
import re

import pytest

from app.domain.content import (
    CATEGORIES,
    DEFAULT_PATH,
    EQUIPMENT,
    Exercise,
    Library,
    load_library,
)


@functools.cache
def library() -> Library:
    return load_library()


# Every exercise DOMAIN.md names in "Progression rules", by stage.
STAGE_SLUGS = {
    1: {  # Calm & activate
        "quad-sets", "straight-leg-raise", "wall-sit", "glute-bridge", "clamshell-band",
        "side-lying-hip-abduction", "double-leg-calf-raise", "heel-slides",
    },
    2: {  # Build strength
        "sit-to-stand", "band-lateral-walk", "single-leg-bridge", "low-step-up",
        "band-terminal-knee-extension", "band-hamstring-curl", "short-range-reverse-lunge",
        "side-plank",
    },
    3: {  # Single-leg strength & balance
        "single-leg-balance", "forward-step-down", "lateral-step-down", "split-squat",
        "single-leg-romanian-deadlift", "single-leg-calf-raise", "short-lever-copenhagen-plank",
    },
    4: {  # Return to impact
        "pogo-hops", "a-skips", "lateral-hops", "split-squat-jumps", "single-leg-hops",
        "short-bounds",
    },
}

HIGH_IMPACT = [
    "pogo-hops", "a-skips", "lateral-hops", "split-squat-jumps", "single-leg-hops",
    "short-bounds", "pogo-hops-warmup", "a-skips-warmup", "high-knees", "butt-kicks",
    "lateral-shuffle",
]
DEEP_FLEXION = [
    "short-range-reverse-lunge", "reverse-lunge-warmup", "split-squat", "split-squat-jumps",
    "forward-step-down", "lateral-step-down", "single-leg-squat-test",
]
UNTAGGED = [
    "quad-sets", "wall-sit", "glute-bridge", "sit-to-stand", "low-step-up", "shallow-squat",
    "lateral-walk", "single-leg-balance-warmup", "a-march", "straight-leg-march",
    "single-leg-romanian-deadlift", "heel-slides-recovery",
]


# ── the real file ───────────────────────────────────────────────────────────────────────────


def test_real_file_loads():
    lib = library()
    assert len(lib.exercises) == len(lib.by_slug)
    assert lib.by_slug["glute-bridge"].name == "Glute bridge"


@pytest.mark.parametrize("stage", sorted(STAGE_SLUGS))
def test_every_exercise_domain_names_is_in_its_stage(stage):
    assert {e.slug for e in library().strength(stage)} == STAGE_SLUGS[stage]


def test_strength_rejects_a_stage_outside_1_to_4():
    with pytest.raises(ValueError, match="stage"):
        library().strength(5)


@pytest.mark.parametrize("exercise", library().exercises, ids=lambda e: e.slug)
def test_every_exercise_has_2_or_3_cues_and_a_known_category(exercise):
    assert 2 <= len(exercise.cues) <= 3
    assert exercise.category in CATEGORIES
    assert set(exercise.equipment) <= set(EQUIPMENT)
    assert (exercise.reps is None) != (exercise.seconds is None)


@pytest.mark.parametrize("slug", HIGH_IMPACT)
def test_jumps_hops_bounds_skips_and_run_drills_are_high_impact(slug):
    assert "high-impact" in library().by_slug[slug].tags


@pytest.mark.parametrize("slug", DEEP_FLEXION)
def test_lunges_split_squats_and_step_downs_are_deep_flexion(slug):
    assert "deep-flexion-under-load" in library().by_slug[slug].tags


@pytest.mark.parametrize("slug", UNTAGGED)
def test_shallow_and_isometric_work_is_not_tagged(slug):
    assert library().by_slug[slug].tags == ()


@pytest.mark.parametrize("exercise", library().exercises, ids=lambda e: e.slug)
def test_names_that_sound_impactful_carry_the_tag(exercise):
    """Guards new content: a hop/jump/bound/skip/high-knee name must be tagged high-impact."""
    if re.search(r"hop|jump|bound|skip|high knee", exercise.name, re.IGNORECASE):
        assert "high-impact" in exercise.tags
    if re.search(r"lunge|split squat|step-down|single-leg squat", exercise.name, re.IGNORECASE):
        assert "deep-flexion-under-load" in exercise.tags


def test_every_stage_4_exercise_is_high_impact():
    assert all("high-impact" in e.tags for e in library().strength(4))


def test_recovery_items_are_gentle():
    items = library().recovery_items()
    assert 4 <= len(items) <= 6
    assert all(e.tags == () for e in items)


def test_the_entry_test_is_10_single_leg_squats_per_side():
    test = library().entry_test()
    assert (test.slug, test.kind, test.sets, test.reps, test.per_side) == (
        "single-leg-squat-test", "test", 1, 10, True,
    )


def test_warmup_pool_is_big_enough_and_fully_described():
    pool = library().warmup_items()
    assert 16 <= len(pool) <= 24
    assert all(e.focus and e.level in ("simple", "standard") for e in pool)
    assert all(e.stage is None for e in pool)


def test_a_bodyweight_beginner_in_pain_still_has_every_focus_covered():
    pool = [
        e for e in library().warmup_items()
        if not e.equipment and e.level == "simple" and not e.tags
    ]
    covered = {f for e in pool for f in e.focus}
    assert {"quads", "glutes", "hamstrings", "calves", "coordination"} <= covered
    assert sum(e.est_seconds for e in pool) >= 5 * 60


def test_run_ladder_is_the_8_level_delaware_progression():
    levels = library().run_levels()
    assert [lv.level for lv in levels] == list(range(1, 9))
    miles = [lv.total_miles for lv in levels]
    assert miles == sorted(miles) and miles[0] == 2.0 and miles[-1] == 3.0
    assert "0.1 mi" in levels[0].description


# ── dose label and time estimate ────────────────────────────────────────────────────────────


def _exercise(**dose) -> Exercise:
    return Exercise(
        slug="x", name="X", kind="strength", category="quads", muscles=("quadriceps",),
        equipment=(), summary="X.", cues=("a", "b"), tags=(), stage=1, **dose,
    )


@pytest.mark.parametrize(
    ("dose", "label", "seconds"),
    [
        ({"sets": 2, "reps": 10, "per_side": True}, "2 × 10 each side", 2 * 10 * 3 * 2 + 20),
        ({"sets": 3, "seconds": 30, "per_side": False}, "3 × 30 s", 3 * 30 + 2 * 20),
        ({"sets": 1, "reps": 12, "per_side": False}, "12 reps", 36),
        ({"sets": 1, "reps": 10, "per_side": True}, "10 each side", 60),
        ({"sets": 1, "seconds": 600, "per_side": False}, "10 min", 600),
        ({"sets": 1, "seconds": 20, "per_side": True}, "20 s each side", 40),
    ],
)
def test_dose_label_and_time_estimate(dose, label, seconds):
    exercise = _exercise(**dose)
    assert exercise.dose_label == label
    assert exercise.est_seconds == seconds


# ── the loader rejects broken content ───────────────────────────────────────────────────────

GOOD = {
    "name": '"Broken thing"',
    "kind": '"strength"',
    "stage": "2",
    "category": '"quads"',
    "muscles": '["quadriceps"]',
    "equipment": "[]",
    "sets": "3",
    "reps": "10",
    "per_side": "true",
    "summary": '"A thing."',
    "cues": '["One cue", "Two cues"]',
    "tags": "[]",
    "figure": '{ view = "side", anchor = "near_heel" }',
    "poses": '[{ shows = "standing" }, { shows = "squatting", hip = 60, knee = 60, ankle = "flat" }]',
}
WARMUP = {"kind": '"warmup"', "stage": None, "focus": '["quads"]', "level": '"simple"'}


def _snippet(slug: str, changes: dict[str, str | None]) -> str:
    """One [[exercise]] table: GOOD with `changes` applied (None deletes a key)."""
    fields = {"slug": f'"{slug}"', **GOOD, **changes}
    lines = [f"{key} = {value}" for key, value in fields.items() if value is not None]
    return "\n[[exercise]]\n" + "\n".join(lines) + "\n"


BROKEN = [
    # (slug, changes, key the message must name)
    ("bad-unknown-key", {"colour": '"red"'}, "colour"),
    ("bad-kind", {"kind": '"cardio"'}, "kind"),
    ("bad-missing-kind", {"kind": None}, "kind"),
    ("bad-category", {"category": '"arms"'}, "category"),
    ("bad-tag", {"tags": '["painful"]'}, "tags"),
    ("bad-repeated-tag", {"tags": '["high-impact", "high-impact"]'}, "tags"),
    ("bad-equipment", {"equipment": '["dumbbell"]'}, "equipment"),
    ("bad-no-dose", {"reps": None}, "reps"),
    ("bad-two-doses", {"seconds": "30"}, "seconds"),
    ("bad-zero-reps", {"reps": "0"}, "reps"),
    ("bad-text-reps", {"reps": '"ten"'}, "reps"),
    ("bad-bool-reps", {"reps": "true"}, "reps"),
    ("bad-zero-sets", {"sets": "0"}, "sets"),
    ("bad-stage-high", {"stage": "5"}, "stage"),
    ("bad-stage-low", {"stage": "0"}, "stage"),
    ("bad-no-stage", {"stage": None}, "stage"),
    ("bad-stage-on-recovery", {"kind": '"recovery"'}, "stage"),
    ("bad-focus-on-strength", {"focus": '["quads"]'}, "focus"),
    ("bad-one-cue", {"cues": '["Only one"]'}, "cues"),
    ("bad-four-cues", {"cues": '["a", "b", "c", "d"]'}, "cues"),
    ("bad-empty-cue", {"cues": '["a", ""]'}, "cues"),
    ("bad-per-side", {"per_side": '"yes"'}, "per_side"),
    ("bad-no-summary", {"summary": None}, "summary"),
    ("bad-empty-name", {"name": '""'}, "name"),
    ("bad-no-muscles", {"muscles": "[]"}, "muscles"),
    ("bad-warmup-no-level", {**WARMUP, "level": None}, "level"),
    ("bad-warmup-level", {**WARMUP, "level": '"easy"'}, "level"),
    ("bad-warmup-focus", {**WARMUP, "focus": '["speed"]'}, "focus"),
    ("bad-warmup-no-focus", {**WARMUP, "focus": "[]"}, "focus"),
    ("bad-warmup-stage", {**WARMUP, "stage": "1"}, "stage"),
    ("glute-bridge", {}, "slug"),  # duplicates a real slug
    ("Bad Slug", {}, "slug"),
    ("bad-second-test", {"kind": '"test"', "stage": None}, "test"),
]


def _load_with(tmp_path, extra: str) -> Library:
    path = tmp_path / "exercises.toml"
    path.write_text(DEFAULT_PATH.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return load_library(path)


def test_the_good_snippet_loads(tmp_path):
    """So each broken case below fails because of its one change."""
    lib = _load_with(tmp_path, _snippet("good-thing", {}))
    assert lib.by_slug["good-thing"].dose_label == "3 × 10 each side"
    lib = _load_with(tmp_path, _snippet("good-warmup", WARMUP))
    assert lib.by_slug["good-warmup"].focus == ("quads",)


@pytest.mark.parametrize(("slug", "changes", "key"), BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_exercise_raises_naming_slug_and_key(tmp_path, slug, changes, key):
    with pytest.raises(ValueError) as excinfo:
        _load_with(tmp_path, _snippet(slug, changes))
    message = str(excinfo.value)
    assert slug in message
    assert key in message


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ("\n[[exercise]]\nname = \"No slug\"\n", "slug"),
        ("\n[[run_level]]\nlevel = 9\nname = \"x\"\ndescription = \"x\"\ntotal_miles = 3.0\n"
         "pace = \"fast\"\n", "pace"),
        ("\n[[run_level]]\nlevel = 10\nname = \"x\"\ndescription = \"x\"\ntotal_miles = 3.0\n",
         "run_level"),
        ("\n[[run_level]]\nlevel = 9\nname = \"x\"\ndescription = \"x\"\ntotal_miles = 0\n",
         "total_miles"),
        ("\n[[drill]]\nname = \"x\"\n", "drill"),
        ("\n[[exercise]\n", "not valid TOML"),
    ],
    ids=["no-slug", "run-level-unknown-key", "run-level-gap", "run-level-zero-miles",
         "unknown-top-level", "bad-toml"],
)
def test_other_broken_content_raises(tmp_path, extra, needle):
    with pytest.raises(ValueError, match=re.escape(needle)):
        _load_with(tmp_path, extra)
