"""Triage of the daily check-in into green, amber or red (shared/DOMAIN.md, "Triage of a check-in").

Pain zones follow the pain-monitoring model (Thomeé 1997; Silbernagel et al. 2007): 0–2/10 is
the safe zone, 3–5 is acceptable if it settles by the next morning, above 5 is high risk.
The article's own rule stands over every colour: sharp or worsening pain is never pushed through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Status = Literal["green", "amber", "red"]
Urgency = Literal["emergency", "urgent", "soon"]

# NHS referral red flags, worded for runners, most urgent first so the form reads from the
# worst sign down. Any one of them means: stop self-managing and see a clinician — how soon and
# where is URGENCY below. `cannot_move_or_deformed` keeps its key for stored check-ins but now
# means only "can't move the knee" (urgent); a changed shape is `injury_pop_or_deformed`.
RED_FLAGS: dict[str, str] = {
    "injury_pop_or_deformed": (
        "A serious injury with a crack or pop at the time, or the knee or leg has changed shape"
    ),
    "swollen_tender_calf": "Swollen, tender calf",
    "cannot_bear_weight": "Can't put weight on the leg",
    "cannot_move_or_deformed": "Can't bend or straighten the knee",
    "locks_or_gives_way": "Knee locks or gives way",
    "large_or_rapid_swelling": "Large swelling, or swelling within 2 hours of an injury",
    "hot_red_fever": "Hot, red knee with a fever or feeling hot and shivery",
    "numbness_tingling_cold_foot": "Numbness, tingling or a cold foot",
    "constant_or_night_pain": "Constant pain, or pain at night while resting",
    "bone_tenderness_or_hop_pain": (
        "One spot on the bone is tender, or hopping hurts (possible stress fracture)"
    ),
}

# How soon, per red flag (DOMAIN.md, "How urgent a red flag is"). A swollen, tender calf is
# urgent alone and an emergency with breathlessness or chest pain (CALF_BREATHLESS).
URGENCY: dict[str, Urgency] = {
    "injury_pop_or_deformed": "emergency",
    "swollen_tender_calf": "urgent",
    "cannot_bear_weight": "urgent",
    "cannot_move_or_deformed": "urgent",
    "locks_or_gives_way": "urgent",
    "large_or_rapid_swelling": "urgent",
    "hot_red_fever": "urgent",
    "numbness_tingling_cold_foot": "urgent",
    "constant_or_night_pain": "soon",
    "bone_tenderness_or_hop_pain": "soon",
}
URGENCY_ORDER: tuple[Urgency, ...] = ("emergency", "urgent", "soon")  # most urgent first

URGENCY_TITLES: dict[str, str] = {
    "emergency": "Emergency — now",
    "urgent": "Urgent — today",
    "soon": "Soon — within a few days",
}

# Where to go and how soon, in the runner's words.
URGENCY_ADVICE: dict[str, str] = {
    "emergency": (
        "Call your local emergency number now (999 in the UK, 112 in the EU, 911 in the US) "
        "or go to the emergency department."
    ),
    "urgent": (
        "Get an urgent appointment today: your GP, an urgent care centre, or NHS 111 in the UK. "
        "Don't exercise until you've been seen."
    ),
    "soon": (
        "See a GP or physio within the next few days. "
        "No running or impact until you've been seen."
    ),
}

# The same in a few words, for the live verdict under the form (the full advice follows on saving).
URGENCY_SHORT: dict[str, str] = {
    "emergency": "Call 999 (UK), 112 (EU) or 911 (US) now, or go to the emergency department.",
    "urgent": "Get an urgent appointment today.",
    "soon": "See a GP or physio within a few days.",
}

# The possible cause DOMAIN.md names, said beside the advice.
POSSIBLE_CAUSES: dict[str, str] = {
    "swollen_tender_calf": "possible blood clot",
    "hot_red_fever": "possible infection",
    "bone_tenderness_or_hop_pain": "possible stress fracture",
}

CALF_FLAG = "swollen_tender_calf"
CALF_QUESTION = "With the swollen calf: are you short of breath, or do you have chest pain?"
CALF_BREATHLESS: dict[str, str] = {"yes": "Yes", "no": "No"}
CALF_BREATHLESS_MESSAGE = (
    "Answer yes or no: are you short of breath or do you have chest pain? "
    "It decides how soon you need help."
)

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
    calf_breathless: bool | None = None  # only asked with the swollen-calf flag


@dataclass(frozen=True)
class Verdict:
    """The colour of a check-in, what to do about it, and the plain reasons why."""

    status: Status
    headline: str
    guidance: tuple[str, ...]
    reasons: tuple[str, ...]
    see_clinician: bool
    alert_coach: bool
    urgency: Urgency | None = None  # how soon a clinician must see the knee; None without flags

    @property
    def urgency_title(self) -> str | None:
        """"Urgent — today" and the like; None without red flags."""
        return URGENCY_TITLES[self.urgency] if self.urgency else None

    @property
    def urgency_short(self) -> str | None:
        """The advice in a few words; None without red flags."""
        return URGENCY_SHORT[self.urgency] if self.urgency else None

    @property
    def urgency_advice(self) -> str | None:
        """Where to go and how soon; None without red flags."""
        return URGENCY_ADVICE[self.urgency] if self.urgency else None


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
    if CALF_FLAG in answers.red_flags and not isinstance(answers.calf_breathless, bool):
        errors["calf_breathless"] = CALF_BREATHLESS_MESSAGE
    return errors


def _cannot_triage(answers: CheckinAnswers) -> dict[str, str]:
    """validate()'s errors less an unanswered calf follow-up, which triage() can still judge.

    Unanswered, the calf flag keeps its own tier (urgent): that happens in a live preview before
    the runner answers, and for check-ins saved before the question was asked. The forms never
    save a new check-in with it unanswered.
    """
    errors = validate(answers)
    if answers.calf_breathless is None:
        errors.pop("calf_breathless", None)
    return errors


def flag_urgency(flag: str, calf_breathless: bool | None = None) -> Urgency | None:
    """How soon one red flag needs a clinician; None for a key that is not a red flag.

    A swollen calf whose follow-up is unanswered stays "urgent": the question is asked, never
    guessed, and the unanswered case only arises in a live preview.
    """
    if flag == CALF_FLAG and calf_breathless is True:
        return "emergency"
    return URGENCY.get(flag)


def urgency_of(
    red_flags: Iterable[str], calf_breathless: bool | None = None, swelling: str = "none"
) -> Urgency | None:
    """The most urgent tier among a check-in's red flags; None without any.

    Obvious swelling counts as the red flag "large swelling" (urgent), as in triage().
    """
    tiers = {flag_urgency(flag, calf_breathless) for flag in red_flags}
    if swelling == "obvious":
        tiers.add(URGENCY["large_or_rapid_swelling"])
    return next((tier for tier in URGENCY_ORDER if tier in tiers), None)


def urgency_rank(urgency: str | None) -> int:
    """0 for an emergency, 1 urgent, 2 soon, 3 no red flag: for sorting, most urgent first."""
    return URGENCY_ORDER.index(urgency) if urgency in URGENCY_ORDER else len(URGENCY_ORDER)


def triage(
    answers: CheckinAnswers,
    recent_pain_now: Sequence[int] = (),
    thresholds: TriageThresholds = DEFAULT_THRESHOLDS,
) -> Verdict:
    """Green, amber or red for a check-in, given pain-now scores from the previous 7 days."""
    errors = _cannot_triage(answers)
    if errors:
        raise ValueError(f"Check-in answers need fixing first: {errors}")
    red = _red_reasons(answers, thresholds)
    amber = _amber_reasons(answers, recent_pain_now, thresholds)
    if red:
        return _red_verdict(red + amber, answers)
    if amber:
        return _calm_verdict("amber", _AMBER_GUIDANCE, amber)
    reasons = (f"Pain now {answers.pain_now}/10 and no warning signs",)
    return _calm_verdict("green", _GREEN_GUIDANCE, reasons)


def _red_reasons(answers: CheckinAnswers, limits: TriageThresholds) -> tuple[str, ...]:
    """Why this check-in is red: red flags in list order, then high pain."""
    reasons = [_flag_reason(key, answers.calf_breathless) for key in RED_FLAGS
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


def _flag_reason(key: str, calf_breathless: bool | None) -> str:
    """"Red flag: swollen, tender calf (possible blood clot)" and the like."""
    label = _lower_first(RED_FLAGS[key])
    cause = POSSIBLE_CAUSES.get(key)
    if cause and cause not in label:
        label = f"{label} ({cause})"
    if key == CALF_FLAG and calf_breathless:
        label += ", with breathlessness or chest pain"
    return f"Red flag: {label}"


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


def _red_verdict(reasons: tuple[str, ...], answers: CheckinAnswers) -> Verdict:
    """A red verdict; red flags add where to go and how soon, and stop self-management."""
    urgency = urgency_of(answers.red_flags, answers.calf_breathless, answers.swelling)
    guidance = _RED_GUIDANCE
    if urgency:
        # Stopping self-management includes the recovery routine the plain red day offers.
        guidance = (urgency_guidance(urgency, answers.red_flags, answers.calf_breathless),
                    _REST_UNTIL_SEEN[urgency]) + guidance[1:]
    # Any red alerts the coach (DOMAIN.md: "The coach is alerted"), not only red flags:
    # pain at 6/10 or more is also something a coach must not miss.
    return Verdict("red", HEADLINES["red"], guidance, reasons,
                   see_clinician=urgency is not None, alert_coach=True, urgency=urgency)


def urgency_guidance(
    urgency: Urgency, red_flags: Iterable[str], calf_breathless: bool | None = None
) -> str:
    """The advice for a tier, led by the possible causes of the flags in that tier.

    E.g. "Possible blood clot. Get an urgent appointment today: …".
    """
    causes = [cause for key, cause in POSSIBLE_CAUSES.items()
              if key in set(red_flags) and flag_urgency(key, calf_breathless) == urgency]
    if not causes:
        return URGENCY_ADVICE[urgency]
    named = " or ".join(causes)
    return f"{named[:1].upper()}{named[1:]}. {URGENCY_ADVICE[urgency]}"


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
_REST_UNTIL_SEEN: dict[str, str] = {
    "emergency": "Don't run or exercise: stop self-managing this knee and get help now.",
    "urgent": "Don't run or exercise the knee today: rest it until a clinician has checked it.",
    "soon": "Don't run or exercise the knee today: rest it until a clinician has checked it.",
}
