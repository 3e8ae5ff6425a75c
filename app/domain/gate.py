"""The safety gate: what may be offered to a runner today, and why not the rest.

KneeReady's promise is that it never asks a runner to load a painful knee (shared/DOMAIN.md,
"The safety gate"). This pure function is the one place that decides it: Today, Training, the
warm-up, the session page, the offline pages and every POST that starts something ask `decide`
and do what it says. Nothing else decides.

The invariants, for every history (T is the coach's threshold, 0–2), each proven by a property
test of the same name in tests/unit/test_safety_gate.py over random histories:

1. A red flag stops everything (`test_invariant_1_a_red_flag_stops_everything`). On the day of
   a red-flag check-in nothing is offered (no strength session, run, warm-up or entry test):
   only rest with the urgency advice. On later days nothing is offered until a check-in without
   red flags is saved that day. A red check-in without flags (pain now ≥ 6): no run, no strength
   session, no entry test; only the recovery routine and the guidance.
2. No check-in today counts as amber for what is offered
   (`test_invariant_2_no_checkin_counts_as_amber`).
3. Impact and deep-flexion-under-load work (Stage 4, tagged exercises, hops in the warm-up, the
   entry test, the walk–run) is offered only when today's check-in is green with pain now ≤ T;
   the last session in which anything was done had every pain ≤ T (and nothing skipped because
   it hurt); the last morning-after answer was not "worse"; and no check-in of the last 7 days
   was red (`test_invariant_3_impact_only_on_a_calm_knee`).
4. A session counts toward advancing only when every exercise of the day's plan was done, every
   pain ≤ T, nothing logged that day had pain > T, the day's check-in was green and it was
   logged at the current stage (`test_invariant_4_only_whole_pain_free_green_days_count`).
5. The next morning confirms: the session that completes a streak moves the athlete up only once
   the next morning's check-in confirms it; none by the end of the next day and it does not
   count (`test_invariant_5_the_next_morning_confirms`).
6. The entry test to Stage 4: 10 single-leg squats a side, every rep at pain 0 (not T), taken in
   the last 14 days and after the last Stage-3 session with pain; sets × reps are checked
   (`test_invariant_6_the_entry_test_is_strict`).
7. Pause freezes advancing only: pain ≥ 5 and red check-ins still step back
   (`test_invariant_7_pause_freezes_advancing_only`).
8. Threshold changes apply forward; lowering T restarts the streak
   (`test_invariant_8_threshold_changes_apply_forward`).
9. Never skip a stage, never below Stage 1, the same history always gives the same answer
   (`test_invariant_9_one_step_at_a_time_and_deterministic`).

Rules 4–9 are kept by the progression engine (app/domain/progression.py), whose state this gate
reads; rules 1–3 are decided here.

Decisions the rules leave open, made conservatively:
- Obvious swelling is the NHS red flag "large swelling" (app/domain/triage.py), so it stops
  everything like a ticked red flag.
- A strength session is still offered on an amber day (or with no check-in), without the
  high-load exercises: the article's knee work is low-load and calming. It cannot count toward
  advancing (rule 4), and the page says so.
- The walk–run of Stage 5 is running, so it is offered only on a calm knee (rule 3's conditions)
  and after a rest day (the ladder's every-other-day rule).
- "The last 7 days" for a red check-in are today and the six days before it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.domain.progression import ENTRY_TEST_STAGE, RUN_STAGE, ProgressState, on_day
from app.domain.triage import URGENCY_TITLES

Mode = Literal["stop", "recovery", "train"]
WarmupKind = Literal["run", "low_impact", "recovery"]
RED_LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class CheckinFacts:
    """What the gate needs of a check-in."""

    local_date: date
    status: str  # green | amber | red
    pain_now: int
    red_flags: bool  # a ticked red flag, or obvious swelling
    urgency: str | None = None  # emergency | urgent | soon, for a red flag
    advice: str | None = None  # where to go and how soon (app/domain/triage.py)


@dataclass(frozen=True)
class Withheld:
    """Something the runner would otherwise be offered today, and the plain reason it isn't."""

    what: str  # strength | run | entry_test | warmup | impact
    why: str


@dataclass(frozen=True)
class Offer:
    """Everything the app may offer the runner today."""

    mode: Mode
    kinds: tuple[str, ...]  # session kinds on offer, the main one first
    warmup: WarmupKind | None
    high_load: bool  # impact and deep-flexion-under-load work may be offered
    withheld: tuple[Withheld, ...]
    urgency: str | None = None  # a red flag's urgency, on a stop day
    advice: str | None = None  # and where to go, how soon
    flagged_today: bool = False  # today's own check-in has the red flag (else an earlier one)
    calm_once: str | None = None  # on a train day without high load: what must change first (rule 3)

    def allows(self, kind: str) -> bool:
        """Whether a session of this kind may be started today."""
        return kind in self.kinds

    def why_not(self, what: str) -> str | None:
        """The plain reason something is withheld today, or None when it isn't."""
        return next((item.why for item in self.withheld if item.what == what), None)

    @property
    def urgency_title(self) -> str | None:
        """"Urgent — today", for a red flag."""
        return URGENCY_TITLES.get(self.urgency) if self.urgency else None

    @property
    def warmup_status(self) -> str | None:
        """The check-in colour the warm-up is built for ("green" only when hops are allowed)."""
        if self.warmup is None:
            return None
        return {"run": "green", "low_impact": "amber", "recovery": "red"}[self.warmup]


def decide(state: ProgressState, today: date, latest: CheckinFacts | None,
           ran_recently: bool = False) -> Offer:
    """What may be offered today (`latest`: the newest check-in on or before today;
    `ran_recently`: a walk–run was logged today or yesterday)."""
    todays = latest if latest is not None and latest.local_date == today else None
    return from_checkins(today, latest) or _train(state, today, todays, ran_recently)


def from_checkins(today: date, latest: CheckinFacts | None) -> Offer | None:
    """The gate's answer on a day the check-ins alone decide it — a red flag (stop) or a red day
    (recovery) — else None, when the answer needs the progression too. `decide` starts here;
    the reminder sweep asks only this, for a whole batch at once."""
    todays = latest if latest is not None and latest.local_date == today else None
    if latest is not None and latest.red_flags:
        if todays is not None:
            return _stop(_FLAG_TODAY, latest, flagged_today=True)
        return _stop(_FLAG_EARLIER.format(day=on_day(latest.local_date, today)), latest)
    if todays is not None and todays.status == "red":
        why = _RED_DAY.format(pain=todays.pain_now)
        withheld = tuple(Withheld(what, why) for what in ("strength", "run", "entry_test", "impact"))
        return Offer("recovery", (), "recovery", False, withheld)
    return None


def _stop(why: str, flagged: CheckinFacts, flagged_today: bool = False) -> Offer:
    """Nothing at all: rest, and the red flag's advice."""
    withheld = tuple(Withheld(what, why)
                     for what in ("strength", "run", "entry_test", "warmup", "impact"))
    return Offer("stop", (), None, False, withheld, flagged.urgency, flagged.advice, flagged_today)


def _train(state: ProgressState, today: date, todays: CheckinFacts | None,
           ran_recently: bool) -> Offer:
    """A day without red: strength always, the rest only on a calm knee."""
    calm_problem = impact_problem(state, today, todays)
    withheld: list[Withheld] = []
    kinds: list[str] = []
    if calm_problem:
        withheld.append(Withheld("impact", f"Hops and impact work come back once {calm_problem}."))
    if state.stage == RUN_STAGE:
        if calm_problem:
            withheld.append(Withheld("run", f"No walk–run today: it comes back once {calm_problem}."))
        elif ran_recently:
            withheld.append(Withheld("run", "No walk–run today: runs need a rest day in between."))
        else:
            kinds.append("run")
    if entry_test_due(state):
        if calm_problem:
            withheld.append(Withheld("entry_test", f"The entry test opens once {calm_problem}."))
        else:
            kinds.append("entry_test")
    kinds.append("strength")
    warmup: WarmupKind = "low_impact" if calm_problem else "run"
    return Offer("train", tuple(kinds), warmup, not calm_problem, tuple(withheld), calm_once=calm_problem)


def impact_problem(state: ProgressState, today: date, todays: CheckinFacts | None) -> str | None:
    """What must change before impact work comes back (rule 3), in words that finish the
    sentence "Hops come back once …"; None when it may be offered today."""
    if todays is None:
        return "you've checked in today and the check-in is green"
    if todays.status != "green":
        return f"today's check-in is green (it is {todays.status})"
    if todays.pain_now > state.threshold:
        return (f"your pain now is {state.threshold}/10 or less (today it is "
                f"{todays.pain_now}/10)")
    if not state.last_done_pain_free:
        return "you've done a session with every exercise pain-free"
    if state.last_morning_after == "worse":
        return "a morning after a session finds your knee no worse"
    red = state.last_red_day
    if red is not None and 0 <= (today - red).days < RED_LOOKBACK_DAYS:
        return f"7 days have passed since the red check-in {on_day(red, today)}"
    return None


def entry_test_due(state: ProgressState) -> bool:
    """Stage 3's streak is complete and only the entry test stands before Stage 4."""
    return (state.stage == ENTRY_TEST_STAGE and state.streak >= state.needed
            and not state.entry_test_passed)


_FLAG_TODAY = ("Today's check-in has a red flag: no exercise and no run today. Rest the knee and "
               "get it checked as the advice says.")
_FLAG_EARLIER = ("Your last check-in ({day}) had a red flag. Check in again today: nothing is "
                 "offered until a check-in without red flags.")
_RED_DAY = ("Pain now {pain}/10 is in the high-risk zone: no strength session and no run today, "
            "only the gentle recovery routine.")
