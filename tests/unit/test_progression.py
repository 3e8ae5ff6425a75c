"""The pain-gated progression engine, scenario by scenario, against shared/DOMAIN.md."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.progression import (
    RUN_LEVELS,
    STAGES,
    CheckinRecord,
    CoachAction,
    SessionRecord,
    Settings,
    compute,
)

MONDAY = date(2025, 3, 3)


def on(day: int) -> date:
    """Day n of the story; day 0 is a Monday."""
    return MONDAY + timedelta(days=day)


def at(day: int, hour: int = 9) -> datetime:
    return datetime.combine(on(day), time(hour))


def strength(id, day, stage=1, pain=0, name="Wall sit", hour=9, kind="strength"):
    """A session of two exercises: quad sets pain-free, then `name` at `pain`."""
    pains = (("Quad sets", 0), (name, pain))
    return SessionRecord(id, on(day), at(day, hour), stage, kind, pains)


def entry_test(id, day, pain=0, stage=3, hour=18, reps=10):
    session = strength(id, day, stage, pain, "Single-leg squat test", hour, kind="entry_test")
    return replace(session, pains=(("Single-leg squat test", pain),), entry_reps=reps)


def run(id, day, level, pain=0, hour=9, stage=5):
    return SessionRecord(id, on(day), at(day, hour), stage, "run", (("Walk–jog", pain),), level)


def checkin(day, pain_now=0, status="green", swelling="none", after=None):
    return CheckinRecord(on(day), pain_now, status, swelling, after)


def act(day, kind, value=None, hour=8):
    return CoachAction(at(day, hour), kind, value, "Coach Sam")


@dataclass
class Scenario:
    name: str
    sessions: list = field(default_factory=list)
    checkins: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    settings: Settings = Settings()
    today: int = 7
    # expectations (None: not checked)
    stage: int | None = None
    streak: int | None = None
    run_level: int | None = None
    outcomes: dict = field(default_factory=dict)
    summary: str | None = None
    paused: bool | None = None
    entry_test_passed: bool | None = None
    green_days: bool = True  # fill session days and their mornings after with calm check-ins


def with_green_days(sessions, checkins, today: date) -> list:
    """The story's check-ins, plus a calm green one on every session day and morning after that
    has none (rule 4 counts only sessions on green days; rule 5 waits for the next morning).
    A filled day carries the pain of the latest green check-in before it, so the next-morning
    rule compares like with like."""
    explicit = {c.local_date: c for c in checkins}
    wanted = {s.local_date for s in sessions} | {s.local_date + timedelta(days=1) for s in sessions}
    filled = dict(explicit)
    for day in sorted(d for d in wanted if d <= today and d not in explicit):
        before = [c for d, c in explicit.items() if d < day]
        latest = max(before, key=lambda c: c.local_date) if before else None
        pain = latest.pain_now if latest is not None and latest.status == "green" else 0
        filled[day] = CheckinRecord(day, pain, "green")
    return list(filled.values())


def days(*numbers, stage=1, pain=0, first_id=1):
    """One pain-free (or `pain`) strength session on each of the given days."""
    return [strength(first_id + i, d, stage, pain) for i, d in enumerate(numbers)]


RTR = Settings(return_to_run=True, start_stage=5)

SCENARIOS = [
    # ── advancing ───────────────────────────────────────────────────────────────────────────
    Scenario("three pain-free sessions on three days advance", days(0, 1, 2), today=3,
             stage=2, streak=0, outcomes={1: "counts", 2: "counts", 3: "counts"},
             summary="0 of 3 pain-free sessions at Stage 2 — three more to unlock Stage 3"),
    Scenario("three sessions on the same day count once",
             [strength(1, 0, hour=8), strength(2, 0, hour=12), strength(3, 0, hour=18)], today=0,
             stage=1, streak=1, outcomes={1: "counts", 2: "counts", 3: "counts"},
             summary="1 of 3 pain-free sessions at Stage 1 — two more to unlock Stage 2"),
    Scenario("the summary says what is left", days(0, 1, stage=2), settings=Settings(start_stage=2),
             today=1, stage=2, streak=2,
             summary="2 of 3 pain-free sessions at Stage 2 — one more to unlock Stage 3"),
    Scenario("never skip a stage: six pain-free days climb one stage at a time",
             days(0, 1, 2) + days(3, 4, 5, stage=2, first_id=4), today=6, stage=3, streak=0),
    Scenario("exercises skipped for time or kit neither count nor hold (gate rule 4)",
             [SessionRecord(i, on(i), at(i), 1, "strength", (("Quad sets", None), ("Wall sit", 0)),
                            skips=(("Quad sets", "time"),)) for i in range(3)],
             stage=1, streak=0, outcomes={0: "not_counted", 1: "not_counted", 2: "not_counted"}),
    Scenario("a session with nothing done doesn't count (nor break the streak)",
             days(0, 1) + [SessionRecord(9, on(2), at(2), 1, "strength", (("Wall sit", None),))],
             stage=1, streak=2, outcomes={9: "not_counted"}),
    Scenario("a session logged at another stage doesn't count", days(0, 1, 2, stage=2),
             stage=1, streak=0, outcomes={1: "not_counted"}),
    # ── holding ─────────────────────────────────────────────────────────────────────────────
    Scenario("pain 3 holds and resets the streak", days(0, 1) + [strength(3, 2, pain=3)], today=4,
             stage=1, streak=0, outcomes={3: "held"},
             summary="Held: Wednesday's session had pain 3/10 (Wall sit)"),
    Scenario("after a hold, a fresh run of three is needed",
             days(0, 1) + [strength(3, 2, pain=3)] + days(3, 4, first_id=4), stage=1, streak=2),
    Scenario("after a hold, the third fresh pain-free day advances",
             days(0, 1) + [strength(3, 2, pain=3)] + days(3, 4, 5, first_id=4), stage=2),
    Scenario("pain 4 holds but doesn't step back", [strength(1, 0, stage=2, pain=4)],
             settings=Settings(start_stage=2), stage=2, outcomes={1: "held"}),
    Scenario("pain 1 holds at the default threshold of 0", days(0, 1, 2, pain=1),
             stage=1, outcomes={1: "held", 2: "held", 3: "held"}),
    Scenario("threshold 2 lets pain 2 count", days(0, 1, 2, pain=2), settings=Settings(threshold=2),
             stage=2, outcomes={3: "counts"}),
    Scenario("threshold 2 still holds pain 3", days(0, 1) + [strength(3, 2, pain=3)],
             settings=Settings(threshold=2), stage=1, outcomes={3: "held"}),
    Scenario("N = 2 advances after two days, confirmed the next morning", days(0, 1),
             settings=Settings(sessions_to_advance=2), today=2, stage=2,
             summary="0 of 2 pain-free sessions at Stage 2 — two more to unlock Stage 3"),
    # ── the next-morning rule ───────────────────────────────────────────────────────────────
    Scenario("control: a calm next morning keeps the session counting",
             days(0, 1, 2, stage=2), [checkin(3)], settings=Settings(start_stage=2), stage=3),
    Scenario("a red check-in the next morning un-counts the session (and steps back)",
             days(0, 1, 2, stage=2), [checkin(3, 7, "red")], settings=Settings(start_stage=2),
             stage=1, outcomes={1: "counts", 2: "counts", 3: "held"}),
    Scenario("pain higher next morning un-counts the session",
             days(0, 1, 2), [checkin(1, 1), checkin(3, 2, "amber")], today=4,
             stage=1, streak=0, outcomes={3: "held"},
             summary="Held: Wednesday's session no longer counts — "
                     "pain the next morning was 2/10, up from 1/10"),
    Scenario("control: pain equal next morning keeps it counting",
             days(0, 1, 2), [checkin(0, 1), checkin(1, 1), checkin(3, 1)], stage=2),
    Scenario("the baseline is the last check-in on or before the session's day",
             days(0, 1, 2), [checkin(0, 1), checkin(3, 2, "amber")], stage=1, outcomes={3: "held"}),
    Scenario("'worse than before yesterday's session' un-counts it",
             days(0, 1, 2), [checkin(3, after="worse")], stage=1, outcomes={3: "held"}),
    Scenario("more swelling the next morning un-counts it",
             days(0, 1, 2), [checkin(3, swelling="mild", status="amber")], stage=1,
             outcomes={3: "held"}),
    # ── stepping back ───────────────────────────────────────────────────────────────────────
    Scenario("pain 5 steps back one stage", [strength(1, 0, stage=2, pain=5)],
             settings=Settings(start_stage=2), today=3, stage=1, outcomes={1: "stepped_back"},
             summary="Stepped back to Stage 1: pain 5/10 in Wall sit on Monday"),
    Scenario("a red check-in steps back one stage", [], [checkin(0, 2, "red")],
             settings=Settings(start_stage=3), today=0, stage=2,
             summary="Stepped back to Stage 2: red check-in today"),
    Scenario("a red day steps back only once",
             [strength(1, 0, stage=2, pain=6), strength(2, 0, stage=2, pain=7, hour=12)],
             [checkin(0, 6, "red")], settings=Settings(start_stage=3), stage=2,
             outcomes={1: "held", 2: "held"}),
    Scenario("two painful sessions the same day step back once",
             [strength(1, 0, stage=3, pain=6), strength(2, 0, stage=3, pain=7, hour=12)],
             settings=Settings(start_stage=3), stage=2, outcomes={1: "stepped_back", 2: "held"}),
    Scenario("painful days step back a stage each", [strength(1, 0, 3, 6), strength(2, 1, 2, 6)],
             settings=Settings(start_stage=3), stage=1),
    Scenario("Stage 1 is the floor", [strength(1, 0, pain=8)], today=0, stage=1,
             outcomes={1: "held"}, summary="Held: pain 8/10 in Wall sit today"),
    Scenario("a red check-in at Stage 1 stays at Stage 1", [], [checkin(0, 8, "red")], stage=1),
    Scenario("nothing counts on a red day",
             days(2, 3, 4), [checkin(2, 6, "red")], stage=1, streak=2, outcomes={1: "not_counted"}),
    # ── the coach ───────────────────────────────────────────────────────────────────────────
    Scenario("pause freezes the stage", days(0, 1, 2), actions=[act(0, "pause")],
             stage=1, paused=True, outcomes={1: "paused", 2: "paused", 3: "paused"},
             summary="Progression paused by your coach"),
    Scenario("pause freezes advancing only: pain 6 still steps back (gate rule 7)",
             [strength(1, 0, stage=2, pain=6)], actions=[act(0, "pause")],
             settings=Settings(start_stage=2), stage=1, outcomes={1: "stepped_back"}),
    Scenario("after resume, three fresh days advance",
             days(0, 1, 2, 3, 4), actions=[act(0, "pause"), act(2, "resume")],
             stage=2, paused=False, outcomes={2: "paused", 3: "counts"}),
    Scenario("pain while paused still restarts the streak",
             days(0, 1) + [strength(3, 2, pain=3), strength(4, 3)],
             actions=[act(2, "pause"), act(3, "resume")], stage=1, streak=1),
    Scenario("a red check-in while paused still restarts the streak",
             days(0, 1, 3), [checkin(2, 6, "red")],
             actions=[act(1, "pause", hour=20), act(3, "resume", hour=8)], stage=1, streak=1),
    Scenario("the coach sets the stage and the streak restarts",
             days(0, 1), actions=[act(2, "set_stage", 3)], stage=3, streak=0,
             summary="0 of 3 pain-free sessions at Stage 3 — three more to unlock Stage 4"),
    Scenario("a coach's stage is part of the timeline in plain words",
             actions=[act(0, "set_stage", 2)], today=0, stage=2,
             summary="0 of 3 pain-free sessions at Stage 2 — three more to unlock Stage 3"),
    Scenario("the coach can't open Stage 5 without return to run",
             actions=[act(0, "set_stage", 5)], stage=4, run_level=None),
    Scenario("a coach's new threshold applies from then on",
             [strength(1, 0, pain=2)] + days(1, 2, 3, pain=2, first_id=2),
             actions=[act(1, "set_threshold", 2)], stage=2, outcomes={1: "held", 4: "counts"}),
    Scenario("a coach's new N applies from then on",
             days(0, 1), actions=[act(0, "set_sessions_to_advance", 2)], stage=2),
    # ── the entry test ──────────────────────────────────────────────────────────────────────
    Scenario("Stage 3 → 4 needs the entry test", days(0, 1, 2, stage=3),
             settings=Settings(start_stage=3), stage=3, streak=3, entry_test_passed=False,
             summary="Stage 3 done — log the entry test (10 pain-free single-leg squats per side)"
                     " to unlock Stage 4"),
    Scenario("a pain-free entry test after the streak unlocks Stage 4",
             days(0, 1, 2, stage=3) + [entry_test(9, 3)], settings=Settings(start_stage=3),
             stage=4, entry_test_passed=True, outcomes={9: "counts"}),
    Scenario("an entry test first, then the streak unlocks Stage 4",
             [entry_test(9, 0)] + days(1, 2, 3, stage=3), settings=Settings(start_stage=3),
             stage=4, outcomes={3: "counts"}),
    Scenario("a painful entry test doesn't pass and restarts the streak",
             days(0, 1, 2, stage=3) + [entry_test(9, 3, pain=1)], settings=Settings(start_stage=3),
             stage=3, streak=0, entry_test_passed=False, outcomes={9: "held"}),
    Scenario("the entry test only counts at Stage 3", [entry_test(9, 0, stage=2)],
             settings=Settings(start_stage=2), stage=2, outcomes={9: "not_counted"}),
    Scenario("stepping back below Stage 4 means taking the entry test again",
             [entry_test(9, 0)] + days(1, 2, 3, stage=3) + [strength(5, 4, 4, pain=6)]
             + days(5, 6, 7, stage=3, first_id=6), settings=Settings(start_stage=3), today=8,
             stage=3, entry_test_passed=False),
    # ── Stage 4 and the walk–run ladder ─────────────────────────────────────────────────────
    Scenario("Stage 4 is the last stage without return to run", days(0, 1, 2, 3, 4, stage=4),
             settings=Settings(start_stage=4), stage=4, streak=5,
             summary="Stage 4 is your top stage — 5 pain-free days in a row, keep it that way"),
    Scenario("return to run opens Stage 5 at level 1", days(0, 1, 2, stage=4),
             settings=Settings(start_stage=4, return_to_run=True), stage=5, run_level=1,
             summary="Walk–run level 1 of 8 — one pain-free run at this level unlocks level 2"),
    Scenario("a pain-free run moves up one level", [run(1, 0, 1)], settings=RTR,
             stage=5, run_level=2, outcomes={1: "counts"}),
    Scenario("two runs the same day move up once", [run(1, 0, 1), run(2, 0, 2, hour=18)],
             settings=RTR, run_level=2, outcomes={2: "not_counted"}),
    Scenario("runs need a rest day in between", [run(1, 0, 1), run(2, 1, 2)], settings=RTR,
             run_level=2, outcomes={2: "not_counted"}),
    Scenario("at most two levels in 7 days",
             [run(1, 0, 1), run(2, 2, 2), run(3, 4, 3), run(4, 7, 3)], settings=RTR, today=8,
             run_level=4, outcomes={3: "not_counted", 4: "counts"}),
    Scenario("a run logged at another level doesn't count", [run(1, 0, 3)], settings=RTR,
             run_level=1, outcomes={1: "not_counted"}),
    Scenario("pain 1 in a run holds the level", [run(1, 0, 1, pain=1)], settings=RTR,
             run_level=1, outcomes={1: "held"}),
    Scenario("pain 5 in a run goes back one level",
             [run(1, 0, 1), run(2, 2, 2), run(3, 7, 3, pain=5)], settings=RTR, today=8,
             stage=5, run_level=2, outcomes={3: "stepped_back"},
             summary="Stepped back to walk–run level 2: pain 5/10 in Walk–jog yesterday"),
    Scenario("level 1 is the ladder's floor", [run(1, 0, 1, pain=6)], settings=RTR,
             stage=5, run_level=1, outcomes={1: "held"}),
    Scenario("a red check-in on the ladder goes back one level",
             [run(1, 0, 1)], [checkin(2, 6, "red")], settings=RTR, stage=5, run_level=1),
    Scenario("swelling the next morning holds the level",
             [run(1, 0, 1)], [checkin(0), checkin(1, swelling="mild", status="amber")],
             settings=RTR, run_level=1, outcomes={1: "held"}),
    Scenario("the ladder tops out at level 8",
             [run(i + 1, day, i + 1) for i, day in enumerate((0, 2, 7, 9, 14, 16, 21, 23))],
             settings=RTR, today=24, stage=5, run_level=RUN_LEVELS,
             summary="Walk–run level 8 of 8: the top of the ladder — keep runs pain-free"),
]


@pytest.mark.parametrize("case", SCENARIOS, ids=[case.name for case in SCENARIOS])
def test_scenario(case: Scenario):
    checkins = (with_green_days(case.sessions, case.checkins, on(case.today)) if case.green_days
                else case.checkins)
    state = compute(case.sessions, checkins, case.actions, case.settings, on(case.today))
    expected = {name: getattr(case, name) for name in
                ("stage", "streak", "run_level", "summary", "paused", "entry_test_passed")
                if getattr(case, name) is not None}
    assert {name: getattr(state, name) for name in expected} == expected
    assert {i: state.verdicts[i].outcome for i in case.outcomes} == case.outcomes
    if case.stage == 5 and case.run_level is None:
        assert state.run_level == 1


def test_every_session_gets_a_reason_naming_the_exercise():
    state = compute([strength(1, 0, pain=3, name="Low step-up")], [], [], Settings(), on(1))
    verdict = state.verdicts[1]
    assert verdict.worst_pain == 3
    assert verdict.reason == "Yesterday's session had pain 3/10 (Low step-up)"


def test_advance_events_name_the_session_and_the_stages():
    sessions = days(0, 1, 2)
    state = compute(sessions, with_green_days(sessions, [], on(3)), [], Settings(), on(3))
    start, advance = state.events
    assert (start.kind, start.to_stage) == ("start", 1)
    assert (advance.kind, advance.from_stage, advance.to_stage) == ("advance", 1, 2)
    # The stage opens on the morning that confirmed the session (gate rule 5).
    assert (advance.session_id, advance.at, advance.local_date) == (3, at(2), on(3))


@pytest.mark.parametrize("pain_next_day", [0, 3])
def test_a_session_left_unconfirmed_says_so_whatever_came_later_that_day(pain_next_day):
    """Regression (found by the property below): the streak completes on day 2, day 3 has no
    check-in, then a session on day 3. Whether that session hurt or not, day 2's session was
    not confirmed that morning (a day's check-in comes first), and that is its reason."""
    sessions = days(0, 1, 2) + [strength(4, 3, pain=pain_next_day)]
    state = compute(sessions, [checkin(0), checkin(1), checkin(2)], [], Settings(), on(5))
    verdict = state.verdicts[3]
    assert verdict.outcome == "not_counted"
    assert verdict.reason == "No check-in the morning after, so it couldn't be confirmed: it doesn't count"


@pytest.mark.parametrize("hour", [6, 20])
def test_a_pause_on_the_confirming_day_holds_that_morning(hour):
    """Regression (found by invariant 7's property): the streak completes on day 2 and the
    coach pauses on day 3. A check-in has no hour, so whether the pause came before or after
    it that day, the morning does not move the runner up."""
    state = compute(days(0, 1, 2), [checkin(d) for d in range(4)], [act(3, "pause", hour=hour)], Settings(), on(4))
    assert [e.kind for e in state.events] == ["start", "pause"]
    assert state.stage == 1 and state.paused
    assert state.verdicts[3].reason == "Pain-free and confirmed the next morning; progression is paused, so you stay here"


def test_a_red_checkin_event_has_a_day_but_no_time():
    state = compute([], [checkin(1, 6, "red")], [], Settings(start_stage=2), on(1))
    step = state.events[-1]
    assert (step.kind, step.at, step.local_date, step.from_stage, step.to_stage) == (
        "step_back", None, on(1), 2, 1)


def test_a_coach_set_stage_reads_as_the_athlete_sees_it():
    state = compute([], [], [act(0, "set_stage", 2)], Settings(), on(0))
    assert state.events[-1].reason == "Stage set to 2 by Coach Sam"


# ── editing and deleting past logs: the state is recomputed, never repaired ─────────────────

PAINFUL_WEDNESDAY = days(0, 1) + [strength(3, 2, pain=3)] + days(3, first_id=4)


@pytest.mark.parametrize(
    "change, stage, streak, outcome_of_4",
    [
        (lambda sessions: sessions, 1, 1, "counts"),
        (lambda sessions: [s for s in sessions if s.id != 3], 2, 0, "counts"),
        (lambda sessions: [replace(s, pains=(("Wall sit", 0),)) if s.id == 3 else s
                           for s in sessions], 2, 0, "not_counted"),
        (lambda sessions: [replace(s, pains=(("Wall sit", 6),)) if s.id == 1 else s
                           for s in sessions], 1, 1, "counts"),
    ],
    ids=["as logged: held on Wednesday", "Wednesday deleted: Thursday advances",
         "Wednesday's pain corrected to 0: it advances, Thursday was at the old stage",
         "Monday's pain corrected to 6: nothing to step back from at Stage 1"],
)
def test_editing_or_deleting_a_past_log_gives_the_recomputed_answer(change, stage, streak,
                                                                   outcome_of_4):
    sessions = change(PAINFUL_WEDNESDAY)
    state = compute(sessions, with_green_days(sessions, [], on(4)), [], Settings(), on(4))
    assert (state.stage, state.streak, state.verdicts[4].outcome) == (stage, streak, outcome_of_4)


def test_coach_acts_are_recorded_with_who_and_when():
    actions = [act(0, "pause"), act(1, "resume"), act(2, "set_stage", 2),
               act(3, "set_threshold", 1), act(4, "set_sessions_to_advance", 4)]
    state = compute([], [], actions, Settings(), on(5))
    kinds = [(e.kind, e.at) for e in state.events[1:]]
    assert kinds == [("pause", at(0, 8)), ("resume", at(1, 8)), ("coach_set_stage", at(2, 8)),
                     ("settings", at(3, 8)), ("settings", at(4, 8))]
    assert all("Coach Sam" in e.reason for e in state.events[1:])
    assert state.needed == 4


def test_two_checkins_on_one_day_are_refused():
    with pytest.raises(ValueError):
        compute([], [checkin(0), checkin(0, 3, "amber")], [], Settings(), on(0))


def test_duplicate_session_ids_are_refused():
    with pytest.raises(ValueError):
        compute([strength(1, 0), strength(1, 1)], [], [], Settings(), on(1))


def test_stages_follow_the_domain():
    assert [STAGES[n][0] for n in range(1, 6)] == [
        "Calm & activate", "Build strength", "Single-leg strength & balance",
        "Return to impact", "Return to run"]
    assert all(description for _name, description in STAGES.values())


# ── properties over random histories ─────────────────────────────────────────────────────────

ROUGH_PAIN = st.sampled_from([0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 8, None])
CALM_PAIN = st.sampled_from([0] * 40 + [1, 2, 3, 5, None])
NO_SETTING_CHANGES = ("pause", "resume", "set_stage")
ALL_ACTIONS = NO_SETTING_CHANGES + ("set_threshold", "set_sessions_to_advance")
ACTION_VALUES = {"pause": st.none(), "resume": st.none(), "set_stage": st.integers(1, 5),
                 "set_threshold": st.integers(0, 2), "set_sessions_to_advance": st.integers(2, 5)}


@dataclass(frozen=True)
class History:
    sessions: list
    checkins: list
    actions: list
    settings: Settings

    def compute(self, today=on(30)):
        return compute(self.sessions, self.checkins, self.actions, self.settings, today)


@st.composite
def checkins_(draw, calm: bool):
    """Check-ins on distinct days; calm histories have few, mostly green, low-pain ones."""
    chosen = draw(st.sets(st.integers(0, 20), max_size=5 if calm else 14))
    weights = (["green"] * 12 + ["amber", "red"]) if calm else (["green"] * 3 + ["amber", "red"])
    pain_now = st.integers(0, 2) if calm else st.integers(0, 10)
    swellings = ["none"] * (20 if calm else 4) + ["mild", "obvious"]
    return [CheckinRecord(on(d), draw(pain_now), draw(st.sampled_from(weights)),
                          draw(st.sampled_from(swellings)),
                          draw(st.sampled_from([None] * (10 if calm else 2) + ["same", "worse"])))
            for d in sorted(chosen)]


@st.composite
def actions_(draw, kinds):
    result = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(kinds))
        day, hour = draw(st.integers(0, 20)), draw(st.integers(6, 21))
        result.append(CoachAction(at(day, hour), kind, draw(ACTION_VALUES[kind]), "Coach Sam"))
    return result


@st.composite
def histories(draw, action_kinds=ALL_ACTIONS):
    """Random histories whose sessions mostly follow the stage the app was showing."""
    config = draw(st.builds(Settings, threshold=st.integers(0, 2),
                            sessions_to_advance=st.integers(2, 5),
                            return_to_run=st.booleans(), start_stage=st.integers(1, 5)))
    calm = draw(st.booleans())
    checkins = draw(checkins_(calm))
    actions = draw(actions_(action_kinds)) if not calm or draw(st.booleans()) else []
    plans = sorted(draw(st.lists(st.tuples(
        st.integers(0, 20), st.integers(6, 21),
        st.sampled_from(["strength"] * 4 + ["entry_test", "run"]),
        st.lists(CALM_PAIN if calm else ROUGH_PAIN, min_size=1, max_size=3),
        st.sampled_from([None] * (30 if calm else 8) + [1, 2, 3, 4, 5]),
    ), min_size=8 if calm else 0, max_size=30)), key=lambda plan: plan[:2])
    sessions = []
    for id, (day, hour, kind, pains, stage) in enumerate(plans, start=1):
        shown = History(sessions, [c for c in checkins if c.local_date <= on(day)],
                        [a for a in actions if a.at < at(day, hour)], config).compute(on(day))
        if shown.stage == 5 and stage is None and draw(st.booleans()):
            kind = "run"  # on the ladder, the app offers runs
        named = tuple((f"Exercise {i}", pain) for i, pain in enumerate(pains))
        sessions.append(SessionRecord(id, on(day), at(day, hour), stage or shown.stage, kind,
                                      named, shown.run_level if kind == "run" else None))
    return History(sessions, checkins, actions, config)


PROPERTY = settings(max_examples=150, deadline=2000)


def timeline(history: History) -> list[SessionRecord]:
    return sorted(history.sessions, key=lambda s: (s.local_date, s.finished_at, s.id))


@PROPERTY
@given(histories(NO_SETTING_CHANGES))
def test_a_session_above_threshold_is_never_part_of_an_advancing_streak(history):
    state, config = history.compute(), history.settings
    red_days = {c.local_date for c in history.checkins if c.status == "red"}
    ordered = timeline(history)
    for event in state.events:
        if event.kind != "advance" or event.from_stage == 5:
            continue
        position = [s.id for s in ordered].index(event.session_id)
        streak_days = set()
        for session in reversed(ordered[: position + 1]):
            worst = session.worst[1] if session.worst else 0
            assert worst <= config.threshold, f"pain {worst} inside the streak of {event}"
            assert session.local_date not in red_days
            if (session.kind, session.stage) == ("strength", event.from_stage) and \
                    state.verdicts[session.id].outcome == "counts":
                streak_days.add(session.local_date)
            if len(streak_days) >= config.sessions_to_advance:
                break
        assert len(streak_days) >= config.sessions_to_advance
        assert not [d for d in red_days if min(streak_days) <= d <= event.local_date]


@PROPERTY
@given(histories(NO_SETTING_CHANGES))
def test_counting_sessions_are_pain_free(history):
    state = history.compute()
    for session in history.sessions:
        if state.verdicts[session.id].outcome == "counts":
            assert all(p is None or p <= history.settings.threshold for _n, p in session.pains)


@PROPERTY
@given(histories())
def test_the_stage_moves_one_step_per_counting_session_at_most(history):
    state = history.compute()
    top = 5 if history.settings.return_to_run else 4
    advancing = [e.session_id for e in state.events if e.kind == "advance"]
    assert len(advancing) == len(set(advancing))
    assert all(state.verdicts[i].outcome == "counts" for i in advancing)
    step_back_days = [e.local_date for e in state.events if e.kind == "step_back"]
    assert len(step_back_days) == len(set(step_back_days))
    for e in state.events:
        assert 1 <= e.to_stage <= top
        if e.kind in ("advance", "step_back"):
            moved = (e.to_stage - e.from_stage) or (e.to_level - e.from_level)
            assert moved == (1 if e.kind == "advance" else -1)
    assert (state.run_level is None) == (state.stage != 5)
    assert state.run_level is None or 1 <= state.run_level <= RUN_LEVELS


@PROPERTY
@given(histories())
def test_nothing_advances_on_a_day_with_a_red_checkin(history):
    red_days = {c.local_date for c in history.checkins if c.status == "red"}
    assert not [e for e in history.compute().events
                if e.kind == "advance" and e.local_date in red_days]


@PROPERTY
@given(histories(), st.randoms(use_true_random=False))
def test_recomputing_is_deterministic_and_ignores_input_order(history, random):
    shuffled = [list(items) for items in (history.sessions, history.checkins, history.actions)]
    for items in shuffled:
        random.shuffle(items)
    again = compute(*shuffled, history.settings, on(30))
    assert again == history.compute() == history.compute()


def at_the_top(state, config: Settings) -> bool:
    if config.return_to_run:
        return state.stage == 5 and state.run_level == RUN_LEVELS
    return state.stage == 4


@settings(max_examples=40, deadline=None)
@given(histories())
def test_enough_pain_free_days_always_reach_the_last_stage(history):
    sessions, checkins = list(history.sessions), list(history.checkins)
    actions = list(history.actions)
    day = 22  # every random event happened on days 0–20
    actions.append(CoachAction(at(21), "resume", None, "Coach Sam"))
    for _ in range(200):
        state = compute(sessions, checkins, actions, history.settings, on(day))
        if at_the_top(state, history.settings):
            break
        checkins.append(checkin(day))
        next_id = len(sessions) + 1
        if state.stage == 5:
            sessions.append(run(next_id, day, state.run_level))
            day += 1  # a rest day between runs, whose morning check-in confirms the run
            checkins.append(checkin(day))
        else:
            sessions.append(strength(next_id, day, state.stage))
            if state.stage == 3:
                sessions.append(entry_test(next_id + 1, day))
        day += 1
    assert at_the_top(compute(sessions, checkins, actions, history.settings, on(day)),
                      history.settings)


@PROPERTY
@given(histories(), st.data())
def test_editing_or_deleting_a_log_changes_nothing_that_came_before_it(history, data):
    ordered = timeline(history)
    if not ordered:
        return
    index = data.draw(st.integers(0, len(ordered) - 1), label="edited session")
    target = ordered[index]
    new_pains = data.draw(st.none() | st.lists(ROUGH_PAIN, min_size=1, max_size=3), label="pains")
    edited = [s for s in history.sessions if s.id != target.id]
    if new_pains is not None:  # None: the log was deleted
        edited.append(replace(target, pains=tuple((f"Exercise {i}", p) for i, p in enumerate(new_pains))))
    before = history.compute()
    after = compute(edited, history.checkins, history.actions, history.settings, on(30))
    # A day is judged whole (gate rule 4: a painful session un-counts the pain-free ones of its
    # day), so what came before is what was logged on earlier days.
    earlier = {s.id for s in ordered[:index] if s.local_date < target.local_date}
    assert {i: after.verdicts[i] for i in earlier} == {i: before.verdicts[i] for i in earlier}
    assert [e for e in after.events if e.session_id in earlier] == \
        [e for e in before.events if e.session_id in earlier]
    assert after == compute(list(reversed(edited)), history.checkins, history.actions,
                            history.settings, on(30))
