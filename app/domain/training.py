"""What a training session offers today, and how its verdict reads (shared/DOMAIN.md).

Pure: takes the exercise library, the progression engine's state and the safety gate's offer
(app/domain/gate.py, which alone decides what may be offered today), returns plain data.
Rules encoded here:
- A strength session is the current stage's exercises, less those needing kit the athlete
  lacks, less `high-impact` / `deep-flexion-under-load` ones while the gate withholds impact
  work (its reason is shown beside each one left out).
- Stage 4 is all impact work: while it is left out, the session is the calm part of Stage 3.
  It is logged at Stage 3, so it never counts toward Stage 4 — but a pain-free one lets the
  impact work back.
- On the walk–run ladder (Stage 5) only runs move the athlete up; strength sessions keep the
  legs strong with Stage 3's work.
- Knee work 2–3 times a week, short and consistent (the article): guidance, never a block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.adherence import SESSION_TARGET
from app.domain.content import Exercise, Library
from app.domain.gate import Offer
from app.domain.progression import (
    ENTRY_TEST,
    ENTRY_TEST_STAGE,
    IMPACT_STAGE,
    RUN_STAGE,
    Event,
    ProgressState,
    SessionVerdict,
    capital,
    place,
)

HIGH_LOAD_TAGS = frozenset({"high-impact", "deep-flexion-under-load"})
KIT = {"band": "a resistance band", "step": "a step or box", "foam_roller": "a foam roller"}
TAG_WORDS = {"high-impact": "high impact", "deep-flexion-under-load": "deep knee bend under load"}
BACKDATE_DAYS = 7  # a session done earlier can be logged up to a week later
KIND_LABELS = {"strength": "Strength session", "entry_test": "Stage 4 entry test", "run": "Walk–run"}


@dataclass(frozen=True)
class LeftOut:
    """An exercise of the stage that today's session leaves out, and why."""

    exercise: Exercise
    reason: str


@dataclass(frozen=True)
class Plan:
    """One session's content: what is logged, at which stage, and any note on why."""

    kind: str  # "strength" | "entry_test" | "run"
    stage: int  # stored on the session: the stage whose work this is
    exercises: tuple[Exercise, ...]
    left_out: tuple[LeftOut, ...] = ()
    run_level: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class VerdictView:
    """A finished session's verdict in plain words."""

    tone: str  # alert style: success | warning | error | info
    title: str
    reason: str
    next_step: str


def plan(library: Library, state: ProgressState, offer: Offer, equipment: Iterable[str],
         kind: str = "strength") -> Plan:
    """The session of a kind for this athlete today (kind must be one the gate offers)."""
    if not offer.allows(kind):
        raise ValueError(f"The safety gate doesn't offer {kind!r} today.")
    if kind == "run":
        return Plan("run", RUN_STAGE, (), run_level=state.run_level or 1)
    if kind == "entry_test":
        return Plan("entry_test", ENTRY_TEST_STAGE, (library.entry_test(),),
                    note=f"The entry test for Stage 4: {ENTRY_TEST}.")
    return strength_plan(library, state, frozenset(equipment), offer.why_not("impact"))


def strength_plan(library: Library, state: ProgressState, equipment: frozenset[str],
                  impact_withheld: str | None = None) -> Plan:
    """The stage's exercises that fit the athlete's kit and today's knee (`impact_withheld`:
    the gate's reason for leaving impact work out today, None when it may be offered)."""
    source = ENTRY_TEST_STAGE if state.stage == RUN_STAGE else state.stage
    kept, left = _fit(library.strength(source), equipment, impact_withheld)
    stage, note = state.stage, None
    if state.stage == RUN_STAGE:
        note = ("On the walk–run ladder only runs move you up: strength sessions keep your legs "
                f"strong with Stage {ENTRY_TEST_STAGE}'s work.")
    if not kept and source == IMPACT_STAGE:
        stage = IMPACT_STAGE - 1
        kept, calm_left = _fit(library.strength(stage), equipment, impact_withheld or "")
        left += calm_left
        note = (f"Stage 4 is all impact work, left out today. {impact_withheld} Today is Stage "
                "3's calm work: it doesn't count toward Stage 4.")
    return Plan("strength", stage, kept, left, note=note)


def _fit(exercises: Iterable[Exercise], equipment: frozenset[str], impact_withheld: str | None,
         ) -> tuple[tuple[Exercise, ...], tuple[LeftOut, ...]]:
    """Split exercises into those offered and those left out (with the reason)."""
    kept, left = [], []
    for exercise in exercises:
        missing = [KIT[item] for item in exercise.equipment if item not in equipment]
        tags = [TAG_WORDS[tag] for tag in exercise.tags if tag in HIGH_LOAD_TAGS]
        if missing:
            left.append(LeftOut(exercise, f"Needs {' and '.join(missing)} — tick it in your "
                                          "profile if you have one"))
        elif tags and impact_withheld is not None:
            left.append(LeftOut(exercise, f"{tags[0].capitalize()}: left out today. "
                                          f"{impact_withheld}".strip()))
        else:
            kept.append(exercise)
    return tuple(kept), tuple(left)


def check_day(day: date, today: date) -> str | None:
    """Why a session can't be dated `day`, or None when it can."""
    if day > today:
        return "A session can't be dated in the future."
    if (today - day).days > BACKDATE_DAYS:
        return f"You can log sessions from the last {BACKDATE_DAYS} days."
    return None


def week_note(session_days: Iterable[date], today: date) -> str:
    """The article's 2–3 sessions a week, as guidance on the last 7 days."""
    days = {day for day in session_days if 0 <= (today - day).days < 7}
    low, high = SESSION_TARGET
    count = len(days)
    done = f"{count} {'day' if count == 1 else 'days'} of knee work in the last 7"
    if count == 0:
        return f"No knee work in the last 7 days — aim for {low}–{high} short sessions a week."
    if count < low:
        return f"{done} — aim for {low}–{high} a week."
    if count <= high:
        return f"{done} — right on the {low}–{high} a week that works best."
    return f"{done} — more than the {low}–{high} a week you need: rest days help too."


def explain(verdict: SessionVerdict, state: ProgressState, advance: Event | None) -> VerdictView:
    """What a session did, why, and what happens next (`advance`: the move it unlocked)."""
    here = place(state.stage, state.run_level)
    if verdict.outcome == "counts":
        title = "Counts toward your progress"
        if advance is not None:
            title = f"{capital(place(advance.to_stage, advance.to_level))} unlocked"
        after = ("Tomorrow's check-in asks how your knee feels: if it's worse, this session "
                 "stops counting.")
        return VerdictView("success", title, verdict.reason, f"{state.summary}. {after}")
    if verdict.outcome == "held":
        return VerdictView(
            "warning", "Held — this one doesn't count", verdict.reason,
            f"You stay at {here} and the count of pain-free sessions starts again. Next time ease "
            "off what hurt — less depth, fewer reps — and stop anything that causes sharp or "
            "worsening pain.")
    if verdict.outcome == "stepped_back":
        return VerdictView(
            "error", "Stepped back", verdict.reason,
            f"You're at {here} now: build back up with pain-free sessions. If pain of 5/10 or "
            "more keeps coming back, see a clinician.")
    if verdict.outcome == "awaiting":
        return VerdictView("success", "Pain-free — one more step", verdict.reason,
                           "Tomorrow morning's check-in confirms it: if your knee is no worse, "
                           "the next step opens.")
    if verdict.outcome == "paused":
        return VerdictView("info", "Logged — progression is paused", verdict.reason,
                           "Your coach has paused progression: keep logging, they see how it went.")
    return VerdictView("info", "Logged — it doesn't count toward progress", verdict.reason,
                       f"{state.summary}.")


