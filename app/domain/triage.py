"""Triage of the daily check-in into green, amber or red (shared/DOMAIN.md, "Triage of a check-in").

Pain zones follow the pain-monitoring model (Thomeé 1997; Silbernagel et al. 2007): 0–2/10 is
the safe zone, 3–5 is acceptable if it settles by the next morning, above 5 is high risk.
The article's own rule stands over every colour: sharp or worsening pain is never pushed through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Status = Literal["green", "amber", "red"]

# NHS referral red flags, worded for runners. Any one of them means: see a clinician.
RED_FLAGS: dict[str, str] = {
    "cannot_bear_weight": "Can't put weight on the leg",
    "locks_or_gives_way": "Knee locks or gives way",
    "cannot_move_or_deformed": "Can't bend or straighten the knee, or it looks misshapen",
    "large_or_rapid_swelling": "Large swelling, or swelling within 2 hours of an injury",
    "hot_red_fever": "Hot, red knee with a fever or feeling unwell",
    "constant_or_night_pain": "Constant pain, or pain at night while resting",
    "numbness_tingling_cold_foot": "Numbness, tingling or a cold foot",
    "bone_tenderness_or_hop_pain": (
        "One spot on the bone is tender, or hopping hurts (possible stress fracture)"
    ),
    "swollen_tender_calf": "Swollen, tender calf",
}

LOCATIONS: dict[str, str] = {
    "front_kneecap": "Front of the knee, around the kneecap",
    "below_kneecap": "Below the kneecap",
    "inner": "Inner side of the knee",
    "outer": "Outer side of the knee",
    "back": "Back of the knee",
}

AGGRAVATORS: dict[str, str] = {
    "stairs": "Stairs",
    "downhill": "Running or walking downhill",
    "sitting": "Sitting for a long time",
    "squatting": "Squatting",
    "running": "Running",
}

STIFFNESS: dict[str, str] = {
    "none": "No morning stiffness",
    "under_30": "Stiff for less than 30 minutes",
    "over_30": "Stiff for more than 30 minutes",
}

SWELLING: dict[str, str] = {
    "none": "No swelling",
    "mild": "Mild swelling (a little puffy)",
    "obvious": "Obvious swelling (clearly bigger than the other knee)",
}

# Asked the morning after a strength session or run (the next-morning rule).
AFTER_SESSION: dict[str, str] = {
    "better": "Better than before yesterday's session",
    "same": "About the same as before yesterday's session",
    "worse": "Worse than before yesterday's session",
}

SHARP_PAIN_RULE = "Sharp or worsening pain is never pushed through: stop and rest."

HEADLINES: dict[str, str] = {
    "green": "Good to go: warm up first.",
    "amber": "Run easy and short today.",
    "red": "Don't run today.",
}


@dataclass(frozen=True)
class TriageThresholds:
    """The DOMAIN.md defaults, kept in one place so a coach could adjust them later."""

    red_pain_now: int = 6  # pain now at or above this is red
    amber_pain_now: int = 3  # pain now at or above this is amber
    amber_worst_pain: int = 5  # worst pain in the last run or activity at or above this is amber
    amber_rise: int = 2  # pain now this far above the 7-day average is amber


DEFAULT_THRESHOLDS = TriageThresholds()


@dataclass(frozen=True)
class CheckinAnswers:
    """What the athlete answered this morning; check it with validate() before triage()."""

    pain_now: int
    worst_pain: int | None
    stiffness: str
    swelling: str
    red_flags: frozenset[str] = frozenset()
    locations: frozenset[str] = frozenset()
    aggravators: frozenset[str] = frozenset()
    after_session: str | None = None  # only asked the morning after a session


@dataclass(frozen=True)
class Verdict:
    """The colour of a check-in, what to do about it, and the plain reasons why."""

    status: Status
    headline: str
    guidance: tuple[str, ...]
    reasons: tuple[str, ...]
    see_clinician: bool
    alert_coach: bool


def is_pain_score(value: object) -> bool:
    """True for a whole number from 0 to 10 (an NPRS score)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10


def validate(answers: CheckinAnswers) -> dict[str, str]:
    """Per-field messages for answers that can't be triaged; empty when all is well."""
    errors: dict[str, str] = {}
    if not is_pain_score(answers.pain_now):
        errors["pain_now"] = "Choose your pain right now, from 0 (none) to 10 (worst imaginable)."
    if answers.worst_pain is not None and not is_pain_score(answers.worst_pain):
        errors["worst_pain"] = "Choose your worst pain in your last run or activity, from 0 to 10."
    if answers.stiffness not in STIFFNESS:
        errors["stiffness"] = "Choose how long your knee felt stiff this morning."
    if answers.swelling not in SWELLING:
        errors["swelling"] = "Choose how swollen your knee is."
    if answers.after_session is not None and answers.after_session not in AFTER_SESSION:
        errors["after_session"] = (
            "Choose how the knee feels compared with before yesterday's session."
        )
    for field, choices in (
        ("red_flags", RED_FLAGS),
        ("locations", LOCATIONS),
        ("aggravators", AGGRAVATORS),
    ):
        unknown = sorted(str(key) for key in getattr(answers, field) if key not in choices)
        if unknown:
            errors[field] = f"Unknown choice: {', '.join(unknown)}."
    return errors


def triage(
    answers: CheckinAnswers,
    recent_pain_now: Sequence[int] = (),
    thresholds: TriageThresholds = DEFAULT_THRESHOLDS,
) -> Verdict:
    """Green, amber or red for a check-in, given pain-now scores from the previous 7 days."""
    errors = validate(answers)
    if errors:
        raise ValueError(f"Check-in answers need fixing first: {errors}")
    red = _red_reasons(answers, thresholds)
    amber = _amber_reasons(answers, recent_pain_now, thresholds)
    if red:
        return _red_verdict(red + amber, needs_clinician=_has_red_flag(answers))
    if amber:
        return _calm_verdict("amber", _AMBER_GUIDANCE, amber)
    reasons = (f"Pain now {answers.pain_now}/10 and no warning signs",)
    return _calm_verdict("green", _GREEN_GUIDANCE, reasons)


def _has_red_flag(answers: CheckinAnswers) -> bool:
    """A listed red flag, or obvious swelling (which is the NHS red flag "large swelling")."""
    return bool(answers.red_flags) or answers.swelling == "obvious"


def _red_reasons(answers: CheckinAnswers, limits: TriageThresholds) -> tuple[str, ...]:
    """Why this check-in is red: red flags in list order, then high pain."""
    reasons = [f"Red flag: {_lower_first(label)}" for key, label in RED_FLAGS.items()
               if key in answers.red_flags]
    # DOMAIN.md lists "large swelling" among the NHS red flags. "Obvious" is how a runner
    # describes a knee that is clearly swollen, so it is treated as that red flag: red, see a
    # clinician, coach alerted — never merely amber.
    if answers.swelling == "obvious":
        reasons.append('Obvious swelling (this is the red flag "large swelling")')
    if answers.pain_now >= limits.red_pain_now:
        reasons.append(
            f"Pain now {answers.pain_now}/10 ({limits.red_pain_now} or more is the high-risk zone)"
        )
    return tuple(reasons)


def _amber_reasons(
    answers: CheckinAnswers, recent: Sequence[int], limits: TriageThresholds
) -> tuple[str, ...]:
    """Why this check-in calls for caution, in the order DOMAIN.md lists the rules."""
    reasons = []
    if limits.amber_pain_now <= answers.pain_now < limits.red_pain_now:
        zone = f"{limits.amber_pain_now}–{limits.red_pain_now - 1}"
        reasons.append(f"Pain now {answers.pain_now}/10 ({zone} is the caution zone)")
    if answers.worst_pain is not None and answers.worst_pain >= limits.amber_worst_pain:
        reasons.append(
            f"Worst pain in your last run or activity {answers.worst_pain}/10 "
            f"({limits.amber_worst_pain} or more calls for caution)"
        )
    rise = _rise_over_average(answers.pain_now, recent)
    if rise is not None and rise >= limits.amber_rise:
        reasons.append(
            f"Pain now {answers.pain_now}/10 is up {_number(rise)} on your 7-day average "
            f"of {_number(answers.pain_now - rise)}/10"
        )
    if answers.swelling == "mild":
        reasons.append("Mild swelling")
    if answers.stiffness == "over_30":
        reasons.append("Morning stiffness for more than 30 minutes")
    return tuple(reasons)


def _rise_over_average(pain_now: int, recent: Sequence[int]) -> Fraction | None:
    """Pain now minus the average of recent check-ins, exactly; None with no history."""
    if not recent:
        return None
    return pain_now - Fraction(sum(recent), len(recent))


def _calm_verdict(status: Status, guidance: tuple[str, ...], reasons: tuple[str, ...]) -> Verdict:
    """A green or amber verdict: no clinician needed, no alert."""
    return Verdict(status, HEADLINES[status], guidance, reasons,
                   see_clinician=False, alert_coach=False)


def _red_verdict(reasons: tuple[str, ...], needs_clinician: bool) -> Verdict:
    """A red verdict; red flags add the instruction to stop self-managing."""
    guidance = _RED_GUIDANCE
    if needs_clinician:
        # Stopping self-management includes the recovery routine the plain red day offers.
        guidance = (_SEE_CLINICIAN, _REST_UNTIL_SEEN) + guidance[1:]
    # Any red alerts the coach (DOMAIN.md: "The coach is alerted"), not only red flags:
    # pain at 6/10 or more is also something a coach must not miss.
    return Verdict("red", HEADLINES["red"], guidance, reasons,
                   see_clinician=needs_clinician, alert_coach=True)


def _number(value: Fraction) -> str:
    """A whole number as is, anything else to one decimal place."""
    return str(int(value)) if value.denominator == 1 else f"{float(value):.1f}"


def _lower_first(text: str) -> str:
    """Label text made to read mid-sentence."""
    return text[:1].lower() + text[1:]


_GREEN_GUIDANCE = (
    "Do your full warm-up before you run.",
    SHARP_PAIN_RULE,
)
_AMBER_GUIDANCE = (
    "Run easy and short.",
    "Skip high-impact drills: no hops, bounds, skips or sprints.",
    "Do the low-impact warm-up and keep squats shallow.",
    SHARP_PAIN_RULE,
)
_RED_GUIDANCE = (
    "Don't run today: rest the knee or do the recovery routine instead.",
    "Avoid jumping, sprinting and deep knee bends under load.",
    SHARP_PAIN_RULE,
)
_REST_UNTIL_SEEN = "Don't run or exercise the knee today: rest it until a clinician has checked it."
_SEE_CLINICIAN = (
    "Stop self-managing this knee and see a clinician (GP or physio; urgent care if it is severe)."
)
