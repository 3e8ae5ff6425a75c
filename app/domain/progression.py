"""The pain-gated progression engine, KneeReady's core (shared/DOMAIN.md, "Progression rules").

Nothing here is stored: the athlete's stage is replayed from the whole history of sessions,
check-ins and coach actions every time, so the answer to "why am I here?" is always at hand.
Pain limits follow the runner's-knee pain-monitoring model (La Trobe, MyKneeCap) and the
pain-free unlocking of Rathleff et al. 2019.

The safety gate's invariants this engine keeps (DOMAIN.md, "The safety gate"; the gate itself,
app/domain/gate.py, decides what is offered today from this engine's answer):
- 4. A session counts toward advancing only when every exercise of that day's plan was done
  (skipped because it hurt: a painful session, so it holds; skipped for time or equipment: it
  neither counts nor holds), every pain is within the threshold, nothing logged that day had pain
  above it, the day's check-in was green, and it was logged at the current stage.
- 5. The session that completes the streak moves the athlete up only once the next morning's
  check-in confirms it (not red, not "worse", pain now not above the check-in before the session;
  with no earlier check-in, pain now within the threshold). No check-in by the end of the next
  day: it does not count.
- 6. The entry test passes on 10 single-leg squats per side (sets × reps checked), every one at
  pain 0 whatever the threshold; it opens Stage 4 only within 14 days of being taken and only if
  no Stage-3 session since had any pain.
- 7. A pause freezes advancing only: pain of 5/10 or more and red check-ins still step back.
- 8. Each session is judged by the threshold in force when it was logged; lowering it restarts
  the streak.
- 9. Never skip a stage, never below Stage 1; the same history always gives the same answer.

Decisions the rules leave open, made conservatively:
- A session with pain (or one the next morning un-counts) resets the streak even while the
  coach has paused progression.
- A day steps back at most once, whatever happened that day (red check-in, painful sessions).
- Sessions on a day without a green check-in never count (a missing check-in counts as amber),
  so nothing advances on such a day.
- A session confirmed the next morning while the coach has paused progression completes the
  streak but does not move up; the next counting session after the resume does.
- A session counts only at the stage (or walk–run level) it was logged at.
- The entry test counts for the current stay at Stage 3 and above; dropping back to Stage 3
  or below means taking it again.
- The walk–run ladder never drops the athlete to Stage 4 on its own: pain 5/10 or more, or a
  red check-in, goes back one level and no lower than level 1. The coach can set Stage 4.
- The ladder keeps the Delaware rules the run levels are shown with (app/content): one level
  per counting run and at most one a day, a rest day between runs, at most two levels in 7 days.
- Pain is pain: any logged session (a run at Stage 2, a session logged at another stage) holds
  or steps back by its pain, even when it could not have counted.
- The next-morning rule also un-counts a session when swelling is worse than at the baseline
  check-in (DOMAIN.md asks this of the ladder; it is applied to every session).
- A day's check-in is replayed before that day's sessions and coach acts, whenever it was made.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Literal

from app.domain.triage import SWELLING

STAGES: dict[int, tuple[str, str]] = {
    1: ("Calm & activate", "Isometrics and low load: wake the muscles up, calm the knee."),
    2: ("Build strength", "Bodyweight and band exercises, short range and controlled."),
    3: ("Single-leg strength & balance", "Single-leg work: balance, step-downs, split squats."),
    4: ("Return to impact", "Hops, skips and bounds — only ever reached pain-free."),
    5: ("Return to run", "A walk–run ladder in 8 levels, every other day, at most 4 runs a week."),
}
FIRST_STAGE = 1
ENTRY_TEST_STAGE = 3  # the entry test is taken here and unlocks Stage 4
IMPACT_STAGE = 4  # the last stage unless the athlete is returning to running
RUN_STAGE = 5
RUN_LEVELS = 8
LEVELS_PER_WEEK = 2  # Delaware: never move up more than 2 levels in 7 days
STEP_BACK_PAIN = 5  # pain at or above this during exercise steps back
THRESHOLD_RANGE = (0, 2)  # the pain limit a session may reach and still count (safe zone)
SESSIONS_TO_ADVANCE_RANGE = (2, 5)
ENTRY_TEST = "10 pain-free single-leg squats per side"
ENTRY_TEST_REPS = 10  # per side, every one at pain 0
ENTRY_TEST_DAYS = 14  # a pass opens Stage 4 for this many days
SKIP_REASONS: dict[str, str] = {
    "hurt": "It hurt",
    "time": "No time",
    "equipment": "No equipment",
}

SessionKind = Literal["strength", "entry_test", "run"]
CheckinStatus = Literal["green", "amber", "red"]
ActionKind = Literal["pause", "resume", "set_stage", "set_threshold", "set_sessions_to_advance"]
EventKind = Literal[
    "advance", "hold", "step_back", "coach_set_stage", "pause", "resume", "settings", "start"
]
Outcome = Literal["counts", "held", "stepped_back", "not_counted", "paused", "awaiting"]


@dataclass(frozen=True)
class SessionRecord:
    """A logged session: each exercise's name with its pain 0–10, or None when skipped."""

    id: int
    local_date: date
    finished_at: datetime  # comparable with CoachAction.at (both aware or both naive)
    stage: int  # the stage the athlete was shown when logging it
    kind: SessionKind
    pains: tuple[tuple[str, int | None], ...]
    run_level: int | None = None  # walk–run level, for "run" sessions
    skips: tuple[tuple[str, str], ...] = ()  # (exercise, reason) for each skipped exercise
    entry_reps: int | None = None  # entry test: the fewer squats done on a side (sets × reps)

    @property
    def worst(self) -> tuple[str, int] | None:
        """The most painful exercise done (the first of equals), or None if nothing was done."""
        done = [(name, pain) for name, pain in self.pains if pain is not None]
        return max(done, key=lambda item: item[1]) if done else None

    @property
    def hurt(self) -> str | None:
        """The first exercise skipped because it hurt, if any."""
        return next((name for name, reason in self.skips if reason == "hurt"), None)

    @property
    def skipped(self) -> tuple[str, ...]:
        """Exercises of the plan that were not done, whatever the reason."""
        return tuple(name for name, pain in self.pains if pain is None)


@dataclass(frozen=True)
class CheckinRecord:
    """A day's check-in as far as progression cares."""

    local_date: date
    pain_now: int
    status: CheckinStatus
    swelling: str = "none"
    after_session: str | None = None  # "better" | "same" | "worse" than before yesterday's session


@dataclass(frozen=True)
class CoachAction:
    """A coach's recorded act; value is the new stage, threshold or N."""

    at: datetime
    kind: ActionKind
    value: int | None
    by: str
    local_date: date | None = None  # the athlete's local day; at.date() when not given

    @property
    def day(self) -> date:
        """The local day the act belongs to."""
        return self.local_date or self.at.date()


@dataclass(frozen=True)
class Settings:
    """The athlete's starting settings; coach actions change them from their timestamp on."""

    threshold: int = 0
    sessions_to_advance: int = 3
    return_to_run: bool = False  # coming back from pain: Stage 5 (the walk–run ladder) is offered
    start_stage: int = 1


@dataclass(frozen=True)
class Event:
    """One change in the athlete's progression, with the reason shown to them."""

    at: datetime | None  # None when a check-in (a day, not a moment) caused it
    local_date: date
    kind: EventKind
    from_stage: int | None
    to_stage: int
    reason: str
    session_id: int | None = None
    from_level: int | None = None
    to_level: int | None = None


@dataclass(frozen=True)
class SessionVerdict:
    """What one session did to the progression, and why."""

    session_id: int
    outcome: Outcome
    reason: str
    worst_pain: int  # 0 when nothing was done


@dataclass(frozen=True)
class ProgressState:
    """Where the athlete stands today, and the history of how they got there."""

    stage: int
    run_level: int | None
    streak: int  # days with a counting session toward the next stage (0 on the ladder)
    needed: int  # days needed (1 on the ladder: one counting run per level)
    paused: bool
    entry_test_passed: bool
    summary: str
    events: tuple[Event, ...]
    verdicts: Mapping[int, SessionVerdict]
    threshold: int  # the pain limit in force today
    last_done_pain_free: bool  # the last session with anything done: every pain within it
    last_morning_after: str | None  # the latest "compared with before the session" answer
    last_red_day: date | None  # the latest red check-in
    awaiting_confirmation: bool  # the streak waits for tomorrow morning's check-in


def compute(
    sessions: Iterable[SessionRecord],
    checkins: Iterable[CheckinRecord],
    actions: Iterable[CoachAction],
    settings: Settings,
    today: date,
) -> ProgressState:
    """Replay the whole history in order and say where the athlete stands today."""
    sessions, actions = list(sessions), list(actions)
    if len({session.id for session in sessions}) != len(sessions):
        raise ValueError("Session ids must be unique.")
    by_day = _checkins_by_day(checkins)
    pause_days = frozenset(a.day for a in actions if a.kind == "pause")
    replay = _Replay(settings, by_day, sessions, today, pause_days)
    replay.start(_first_day(sessions, by_day, actions, today))
    for key, handle, item in sorted(_timeline(replay, sessions, by_day, actions), key=_first):
        replay.expire(key[0])
        handle(item)
    replay.expire(today)
    return replay.state()


def _checkins_by_day(checkins: Iterable[CheckinRecord]) -> dict[date, CheckinRecord]:
    """Check-ins keyed by their local day; there is one a day."""
    by_day: dict[date, CheckinRecord] = {}
    for checkin in checkins:
        if checkin.local_date in by_day:
            raise ValueError(f"Two check-ins on {checkin.local_date}.")
        by_day[checkin.local_date] = checkin
    return by_day


def _first_day(sessions, by_day, actions, today: date) -> date:
    """The earliest day anything happened (today for an empty history)."""
    days = [s.local_date for s in sessions] + list(by_day) + [a.day for a in actions]
    return min(days, default=today)


def _timeline(replay: _Replay, sessions, by_day, actions):
    """(sort key, handler, item): a day's check-in first, then acts and sessions by time."""
    for checkin in by_day.values():
        yield (checkin.local_date, 0), replay.on_checkin, checkin
    for a in actions:
        key = (a.day, 1, a.at, 0, a.kind, -1 if a.value is None else a.value, a.by)
        yield key, replay.on_action, a
    for s in sessions:
        yield (s.local_date, 1, s.finished_at, 1, s.id), replay.on_session, s


def _first(item: tuple) -> tuple:
    """The sort key of a timeline entry."""
    return item[0]


_Cause = SessionRecord | CoachAction | None  # what an event is timed by (None: a check-in)


class _Replay:
    """The progression state while history is replayed, one rule per method."""

    def __init__(self, settings: Settings, checkins: dict[date, CheckinRecord],
                 sessions: list[SessionRecord], today: date, pause_days: frozenset[date] = frozenset()):
        self.checkins, self.checkin_days = checkins, sorted(checkins)
        self.pause_days = pause_days  # days a coach paused progression (at any hour)
        self.run_days = {s.local_date for s in sessions if s.kind == "run" and s.worst is not None}
        self.day_sessions: dict[date, list[SessionRecord]] = {}
        for session in sorted(sessions, key=lambda s: (s.finished_at, s.id)):
            self.day_sessions.setdefault(session.local_date, []).append(session)
        self.today = today
        self.top_stage = RUN_STAGE if settings.return_to_run else IMPACT_STAGE
        self.threshold = _clamp(settings.threshold, THRESHOLD_RANGE)
        self.needed = _clamp(settings.sessions_to_advance, SESSIONS_TO_ADVANCE_RANGE)
        self.stage = _clamp(settings.start_stage, (FIRST_STAGE, self.top_stage))
        self.run_level = 1 if self.stage == RUN_STAGE else None
        self.streak_days: set[date] = set()
        self.paused = False
        self.entry_test_day: date | None = None  # the day of the entry test still valid
        self.awaiting: SessionRecord | None = None  # completes the streak once the morning confirms
        self.last_done: SessionRecord | None = None
        self.stepped_back_on: date | None = None
        self.level_ups: list[date] = []
        self.note: str | None = None  # the latest setback, until a session counts again
        self.verdicts: dict[int, SessionVerdict] = {}
        self.events: list[Event] = []

    def start(self, day: date) -> None:
        """Record where the history starts."""
        reason = f"Started at {place(self.stage, self.run_level)}"
        self.events.append(
            Event(None, day, "start", None, self.stage, reason, to_level=self.run_level)
        )

    # ── check-ins ────────────────────────────────────────────────────────────────────────────

    def on_checkin(self, checkin: CheckinRecord) -> None:
        """The morning after confirms a waiting session; a red check-in steps back once, paused
        or not, and restarts the streak."""
        if self.awaiting is not None and checkin.status != "red":
            self._confirm(self.awaiting, checkin.local_date)
        if checkin.status != "red":
            return
        when = on_day(checkin.local_date, self.today)
        self._setback(checkin.local_date, None, f"red check-in {when}", severe=True)

    def checkin_before(self, day: date) -> CheckinRecord | None:
        """The last check-in on or before a day: the baseline for the next-morning rule."""
        index = bisect_right(self.checkin_days, day)
        return self.checkins[self.checkin_days[index - 1]] if index else None

    def next_morning_problem(self, session: SessionRecord) -> str | None:
        """Why the next day's check-in un-counts a session (the next-morning rule), if it does."""
        after = self.checkins.get(session.local_date + timedelta(days=1))
        if after is None:
            return None
        before = self.checkin_before(session.local_date)
        if after.status == "red":
            return "the next morning's check-in was red"
        if before is not None and after.pain_now > before.pain_now:
            return f"pain the next morning was {after.pain_now}/10, up from {before.pain_now}/10"
        if before is None and after.pain_now > self.threshold:
            return f"pain the next morning was {after.pain_now}/10"
        if after.after_session == "worse":
            return "the knee felt worse the next morning"
        if _swelling_rank(after) > (_swelling_rank(before) if before else 0):
            return "the knee was more swollen the next morning"
        return None

    # ── coach actions ────────────────────────────────────────────────────────────────────────

    def on_action(self, action: CoachAction) -> None:
        """Apply a coach's act at its moment in the history."""
        if action.kind in ("pause", "resume"):
            self.paused = action.kind == "pause"
            verb = "paused" if self.paused else "resumed"
            self._coach_event(action, action.kind, f"Progression {verb} by {action.by}")
        elif action.kind == "set_stage":
            stage = _clamp(_value(action), (FIRST_STAGE, self.top_stage))
            reason = f"Stage set to {stage} by {action.by}"
            self._move(action.day, action, "coach_set_stage", stage, reason)
            self.note = None
        elif action.kind == "set_threshold":
            old, self.threshold = self.threshold, _clamp(_value(action), THRESHOLD_RANGE)
            reason = f"{action.by} set the pain limit for a counting session to {self.threshold}/10"
            if self.threshold < old and self.streak_days:
                self._reset_streak(action.day)
                reason += ": the count of pain-free sessions starts again"
            self._coach_event(action, "settings", reason)
        elif action.kind == "set_sessions_to_advance":
            self.needed = _clamp(_value(action), SESSIONS_TO_ADVANCE_RANGE)
            self._coach_event(action, "settings", f"{action.by} set {self.needed} pain-free days "
                                                  "to unlock the next stage")
        else:
            raise ValueError(f"Unknown coach action {action.kind!r}.")

    def _coach_event(self, action: CoachAction, kind: EventKind, reason: str) -> None:
        """Record a coach's act that leaves the stage where it is."""
        self._record(action.day, action, kind, self.stage, self.run_level, reason)

    # ── sessions ─────────────────────────────────────────────────────────────────────────────

    def on_session(self, session: SessionRecord) -> None:
        """Decide what one session does: step back, hold, count, or nothing."""
        if session.worst is None and session.hurt is None:
            return self._verdict(session, "not_counted", "Nothing was logged as done")
        self.last_done = session
        name, pain = session.worst or (session.hurt, 0)
        severe = pain >= STEP_BACK_PAIN
        hurt = self.hurt_in(session)
        if session.kind == "entry_test" or session.stage == ENTRY_TEST_STAGE:
            if hurt or pain > 0:
                self.entry_test_day = None  # a Stage-3 session with pain: take the test again
        problem = hurt or self.next_morning_problem(session)
        if self.paused and not severe:
            return self._paused(session, problem)
        if hurt:
            if session.hurt is not None and not (session.worst and pain > self.threshold):
                ref = _session_ref(session.local_date, self.today)
                return self._setback(session.local_date, session,
                                     f"{ref} had {session.hurt} skipped because it hurt", False)
            return self._pain_setback(session, name, pain, severe=severe)
        if problem:
            ref = _session_ref(session.local_date, self.today)
            why = f"{ref} no longer counts — {problem}"
            return self._setback(session.local_date, session, why, severe=False)
        why_not = self.why_not_counted(session)
        if why_not:
            return self._verdict(session, "not_counted", why_not)
        return self._count(session)

    def hurt_in(self, session: SessionRecord) -> str | None:
        """"pain 3/10 in Wall sit" when the session went past the threshold, or an exercise was
        skipped because it hurt; None when it stayed within it."""
        worst = session.worst
        if worst is not None and worst[1] > self.threshold:
            return f"pain {worst[1]}/10 in {worst[0]}"
        if session.hurt is not None:
            return f"{session.hurt} skipped because it hurt"
        return None

    def why_not_counted(self, session: SessionRecord) -> str | None:
        """Why a pain-free session still doesn't count toward moving up, if it doesn't."""
        checkin = self.checkins.get(session.local_date)
        if checkin is not None and checkin.status == "red":
            return "Red check-in that day: nothing counts on a red day"
        if checkin is None:
            return "No check-in that day: only sessions on a green day count"
        if checkin.status != "green":
            return f"{capital(checkin.status)} check-in that day: only sessions on a green day count"
        if session.skipped:
            return (f"Not every exercise was done ({', '.join(session.skipped)} skipped): "
                    "it doesn't count, and doesn't hold you back either")
        other = next((h for s in self.day_sessions.get(session.local_date, ())
                      if s.id != session.id and (h := self.hurt_in(s))), None)
        if other:
            return f"Another session that day had {other}: the day doesn't count"
        if session.kind == "entry_test":
            return self.why_test_not_passed(session)
        if session.kind == "run":
            return self.why_run_not_counted(session)
        if session.stage != self.stage:
            return f"Logged at {_stage(session.stage)} while the program was at {_stage(self.stage)}"
        if session.kind == "strength" and self.stage == RUN_STAGE:
            return "On the walk–run ladder only runs move you up"
        return None

    def why_test_not_passed(self, session: SessionRecord) -> str | None:
        """The entry test's own conditions: at Stage 3, 10 squats a side, every one at pain 0."""
        if self.stage != ENTRY_TEST_STAGE or session.stage != ENTRY_TEST_STAGE:
            return f"The entry test only counts at {_stage(ENTRY_TEST_STAGE)}"
        if (session.entry_reps or 0) < ENTRY_TEST_REPS:
            done = session.entry_reps or 0
            return (f"Not passed: the test is {ENTRY_TEST_REPS} single-leg squats on each side, "
                    f"{done} {'was' if done == 1 else 'were'} logged")
        worst = session.worst
        if worst is not None and worst[1] > 0:
            return f"Not passed: every squat must be pain-free (0/10), this one had {worst[1]}/10"
        return None

    def why_run_not_counted(self, session: SessionRecord) -> str | None:
        """The walk–run ladder's own conditions for a run to move the athlete up."""
        day = session.local_date
        if self.stage != RUN_STAGE:
            return f"Runs only move you up on the walk–run ladder ({_stage(RUN_STAGE)})"
        if session.run_level != self.run_level:
            return (f"Logged at walk–run level {session.run_level} "
                    f"while the ladder was at level {self.run_level}")
        if day in self.level_ups:
            return "One level a day at most: today already moved you up"
        if day - timedelta(days=1) in self.run_days:
            return "Runs need a rest day in between: this one doesn't move you up"
        if sum(1 for up in self.level_ups if (day - up).days < 7) >= LEVELS_PER_WEEK:
            return f"At most {LEVELS_PER_WEEK} levels in 7 days: repeat this level"
        return None

    def _count(self, session: SessionRecord) -> None:
        """A pain-free session that counts: maybe the one that unlocks the next step, once the
        next morning confirms it."""
        self.note = None
        if session.kind == "run":
            level = self.run_level or 1
            if level >= RUN_LEVELS:
                return self._verdict(session, "counts", "Pain-free run at the top of the ladder")
            return self._await(session, "Pain-free run")
        if session.kind == "entry_test":
            self.entry_test_day = session.local_date
            reason = "Pain-free: entry test passed"
        else:
            self.streak_days.add(session.local_date)
            reason = f"Pain-free: day {len(self.streak_days)} in a row at {_stage(self.stage)}"
        if len(self.streak_days) >= self.needed and self.gate_open(session.local_date):
            return self._await(session, reason)
        if self.stage == ENTRY_TEST_STAGE and len(self.streak_days) >= self.needed:
            reason += f" — now log the entry test ({ENTRY_TEST})"
        self._verdict(session, "counts", reason)

    def gate_open(self, day: date) -> bool:
        """Whether the current stage may be left upward on `day` once its streak is complete."""
        if self.stage == ENTRY_TEST_STAGE:
            return self.entry_test_valid(day)
        return self.stage < self.top_stage and self.stage != RUN_STAGE

    def entry_test_valid(self, day: date) -> bool:
        """A pass taken within the last 14 days, with no painful Stage-3 session since."""
        taken = self.entry_test_day
        return taken is not None and 0 <= (day - taken).days < ENTRY_TEST_DAYS

    def _await(self, session: SessionRecord, reason: str) -> None:
        """The session that completes the streak: it unlocks the next step when the next
        morning's check-in confirms it."""
        if self.awaiting is not None:  # another session already waits for that same morning
            return self._verdict(session, "counts", f"{reason} — the streak is complete: "
                                                    "tomorrow morning's check-in decides")
        self.awaiting = session
        self._verdict(session, "awaiting", f"{reason} — unlocks {self.next_place()} once the "
                                           "next morning's check-in confirms it")

    def _confirm(self, session: SessionRecord, day: date) -> None:
        """The morning after a streak-completing session: move up (the next-morning rule already
        un-counted it if the morning was worse)."""
        if day != session.local_date + timedelta(days=1):
            return
        self.awaiting = None
        # A day's check-in replays before the day's coach acts, but its hour isn't known: a
        # pause made that day may have come first, so it holds the morning too (invariant 7).
        if self.paused or day in self.pause_days:
            return self._verdict(session, "counts", "Pain-free and confirmed the next morning; "
                                                    "progression is paused, so you stay here")
        if session.kind == "run":
            level = (self.run_level or 1) + 1
            self.level_ups.append(session.local_date)
            self._move(day, session, "advance", RUN_STAGE, f"Moved up to walk–run level {level}",
                       level)
            return self._verdict(session, "counts", f"Pain-free run, confirmed the next morning "
                                                    f"— unlocked walk–run level {level}")
        target = self.stage + 1
        self._move(day, session, "advance", target, f"Moved up to {_stage(target)}")
        self._verdict(session, "counts", f"Pain-free, confirmed the next morning — unlocked "
                                         f"{_stage(target)}")

    def expire(self, day: date) -> None:
        """No check-in by the end of the day after a streak-completing session: it doesn't count."""
        session = self.awaiting
        if session is None or day <= session.local_date + timedelta(days=1):
            return
        self._unconfirmed(session)

    def _unconfirmed(self, session: SessionRecord) -> None:
        """The morning after came with no check-in to confirm the session: it doesn't count."""
        self.awaiting = None
        self.streak_days.discard(session.local_date)
        if session.kind == "entry_test":
            self.entry_test_day = None
        self._verdict(session, "not_counted", "No check-in the morning after, so it couldn't be "
                                              "confirmed: it doesn't count")

    def _paused(self, session: SessionRecord, problem: str | None) -> None:
        """While paused nothing moves up, but pain still restarts the streak (and pain of 5/10
        or more still steps back: see on_session)."""
        reason = "Progression paused by your coach"
        if problem:
            self._reset_streak(session.local_date)
            reason += f"; {problem}, so the streak starts again"
        self._verdict(session, "paused", reason)

    def _reset_streak(self, day: date) -> None:
        """The count of pain-free days starts again on `day`, and nothing waits for a morning.
        A session from the day before was not confirmed this morning (a day's check-in comes
        first): that, not what happened later today, is why it doesn't count."""
        self.streak_days.clear()
        waited = self.awaiting
        morning = waited.local_date + timedelta(days=1) if waited is not None else None
        if waited is not None and day >= morning and morning not in self.checkins:
            self._unconfirmed(waited)
        elif waited is not None:
            self._verdict(waited, "not_counted", "Pain-free, but the count started again "
                                                 "before the next morning's check-in")
        self.awaiting = None

    # ── setbacks and moves ───────────────────────────────────────────────────────────────────

    def _pain_setback(self, session: SessionRecord, name: str, pain: int, severe: bool) -> None:
        """Hold for pain above the limit; step back for pain of 5/10 or more."""
        if severe:
            why = f"pain {pain}/10 in {name} {on_day(session.local_date, self.today)}"
        else:
            why = f"{_session_ref(session.local_date, self.today)} had pain {pain}/10 ({name})"
        self._setback(session.local_date, session, why, severe)

    def _setback(self, day: date, session: SessionRecord | None, why: str, severe: bool) -> None:
        """Restart the streak; step back one stage or level when severe, at most once a day."""
        self._reset_streak(day)
        target = self._one_step_down() if severe and self.stepped_back_on != day else None
        if target is None:
            self.note = f"Held: {why}"
            self._record(day, session, "hold", self.stage, self.run_level, self.note)
            outcome: Outcome = "held"
        else:
            stage, level = target
            self.stepped_back_on = day
            self.note = f"Stepped back to {place(stage, level)}: {why}"
            self._move(day, session, "step_back", stage, self.note, level)
            outcome = "stepped_back"
        if session is not None:
            self._verdict(session, outcome, capital(why))

    def _one_step_down(self) -> tuple[int, int | None] | None:
        """The stage (or walk–run level) one step lower, or None at the floor."""
        if self.stage == RUN_STAGE:
            level = self.run_level or 1
            return (RUN_STAGE, level - 1) if level > 1 else None
        return (self.stage - 1, None) if self.stage > FIRST_STAGE else None

    def _move(self, day: date, cause: _Cause, kind: EventKind, stage: int, reason: str,
              level: int | None = None) -> None:
        """Change stage (or walk–run level) and restart the streak."""
        if stage != RUN_STAGE:
            level = None
        elif level is None:
            level = self.run_level if self.stage == RUN_STAGE else 1
        self._record(day, cause, kind, stage, level, reason)
        self.stage, self.run_level = stage, level
        self._reset_streak(day)
        if stage <= ENTRY_TEST_STAGE:
            self.entry_test_day = None

    def _record(self, day: date, cause: _Cause, kind: EventKind, stage: int, level: int | None,
                reason: str) -> None:
        """Append an event, timed by the session or coach act behind it (None for a check-in)."""
        at = cause.finished_at if isinstance(cause, SessionRecord) else getattr(cause, "at", None)
        session_id = cause.id if isinstance(cause, SessionRecord) else None
        self.events.append(
            Event(at, day, kind, self.stage, stage, reason, session_id, self.run_level, level)
        )

    def _verdict(self, session: SessionRecord, outcome: Outcome, reason: str) -> None:
        """Record what a session did."""
        worst = session.worst
        self.verdicts[session.id] = SessionVerdict(
            session.id, outcome, reason, worst[1] if worst else 0
        )

    # ── the answer ───────────────────────────────────────────────────────────────────────────

    def state(self) -> ProgressState:
        """The replay's end, as the athlete sees it today."""
        on_ladder = self.stage == RUN_STAGE
        return ProgressState(
            stage=self.stage,
            run_level=self.run_level,
            streak=0 if on_ladder else len(self.streak_days),
            needed=1 if on_ladder else self.needed,
            paused=self.paused,
            entry_test_passed=self.entry_test_valid(self.today),
            summary=self.summary(),
            events=tuple(self.events),
            verdicts=MappingProxyType(dict(self.verdicts)),
            threshold=self.threshold,
            last_done_pain_free=self.last_done is None or self.hurt_in(self.last_done) is None,
            last_morning_after=self.last_morning_after(),
            last_red_day=max((d for d, c in self.checkins.items() if c.status == "red"
                              and d <= self.today), default=None),
            awaiting_confirmation=self.awaiting is not None,
        )

    def next_place(self) -> str:
        """"Stage 3", or "walk–run level 4" on the ladder: where a completed streak leads."""
        if self.stage == RUN_STAGE:
            return place(RUN_STAGE, (self.run_level or 1) + 1)
        return _stage(self.stage + 1)

    def last_morning_after(self) -> str | None:
        """The latest answer to "compared with before yesterday's session" up to today."""
        answered = [d for d, c in self.checkins.items() if c.after_session and d <= self.today]
        return self.checkins[max(answered)].after_session if answered else None

    def summary(self) -> str:
        """One sentence on where the athlete stands and what unlocks the next step."""
        if self.paused:
            return "Progression paused by your coach"
        if self.note:
            return self.note
        if self.awaiting is not None:
            return f"One more step: tomorrow morning's check-in — then {self.next_place()} opens"
        if self.stage == RUN_STAGE:
            return _ladder_summary(self.run_level or 1)
        done, needed, stage = len(self.streak_days), self.needed, self.stage
        if stage == ENTRY_TEST_STAGE and done >= needed:
            return (f"Stage {stage} done — log the entry test ({ENTRY_TEST}) "
                    f"to unlock Stage {stage + 1}")
        if stage == self.top_stage:
            return (f"Stage {stage} is your top stage — {done} pain-free "
                    f"{'day' if done == 1 else 'days'} in a row, keep it that way")
        if done >= needed:  # the coach lowered N mid-streak: the next counting session moves up
            return (f"{done} pain-free days at Stage {stage} — "
                    f"the next one unlocks Stage {stage + 1}")
        text = (f"{done} of {needed} pain-free sessions at Stage {stage} — "
                f"{_words(needed - done)} more to unlock Stage {stage + 1}")
        if stage == ENTRY_TEST_STAGE and self.entry_test_valid(self.today):
            text += " (entry test passed)"
        return text


# ── wording ──────────────────────────────────────────────────────────────────────────────────

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ladder_summary(level: int) -> str:
    """Where the athlete is on the walk–run ladder."""
    if level >= RUN_LEVELS:
        return (f"Walk–run level {RUN_LEVELS} of {RUN_LEVELS}: the top of the ladder — "
                "keep runs pain-free")
    return (f"Walk–run level {level} of {RUN_LEVELS} — one pain-free run at this level "
            f"unlocks level {level + 1}")


def near_day(day: date, today: date) -> str | None:
    """"today" or "yesterday"; None for any other day (each page names those its own way)."""
    return {0: "today", 1: "yesterday"}.get((today - day).days)


def _day_name(day: date, today: date) -> str:
    """"today", "yesterday", a weekday within the last week, else "3 March"."""
    if near := near_day(day, today):
        return near
    if 1 < (today - day).days < 7:
        return _WEEKDAYS[day.weekday()]
    return f"{day.day} {_MONTHS[day.month - 1]}"


def on_day(day: date, today: date) -> str:
    """"today", "yesterday", "on Tuesday" or "on 3 March"."""
    name = _day_name(day, today)
    return name if name in ("today", "yesterday") else f"on {name}"


def _session_ref(day: date, today: date) -> str:
    """"Tuesday's session", "today's session" or "the session on 3 March"."""
    age = (today - day).days
    if 0 <= age < 7:
        return f"{_day_name(day, today)}'s session"
    return f"the session on {_day_name(day, today)}"


def _stage(stage: int) -> str:
    """"Stage 2"."""
    return f"Stage {stage}"


def place(stage: int, level: int | None) -> str:
    """"Stage 2", or "walk–run level 3" on the ladder."""
    return f"walk–run level {level}" if stage == RUN_STAGE and level else _stage(stage)


def _words(count: int) -> str:
    """Small counts in words, as the athlete reads them."""
    return _NUMBER_WORDS.get(count, str(count))


def capital(text: str) -> str:
    """Text with its first letter capitalised."""
    return text[:1].upper() + text[1:]


def _swelling_rank(checkin: CheckinRecord) -> int:
    """none < mild < obvious."""
    return list(SWELLING).index(checkin.swelling) if checkin.swelling in SWELLING else 0


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    """value kept within bounds (inclusive)."""
    low, high = bounds
    return max(low, min(high, value))


def _value(action: CoachAction) -> int:
    """The number a set_* action carries."""
    if action.value is None:
        raise ValueError(f"Coach action {action.kind!r} needs a value.")
    return action.value
