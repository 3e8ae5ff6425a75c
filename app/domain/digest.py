"""The coach's weekly digest: when it goes, and who it names. Pure rules on plain data.

It goes once a week, on the coach's local Monday at 08:00 (wall clock, through daylight-saving
changes, as the reminders do), and at most 12 hours late: a digest found late on Monday (the
worker was down) still helps; on Tuesday the board says more.

It names athletes only, in three groups, with counts — never a pain score, symptom, red flag
or check-in colour (no health data in any email):

- needs attention: the board's tiers 0–2 (red check-ins to acknowledge, red or amber today,
  step backs, pain-marked runs, a score drop), said only as "needs attention";
- silent: nothing logged for 3 days or more (the day the athlete's own nudge goes), or never;
- ready to progress: one more counting day moves them up (or the entry test is next), not
  paused, no current setback, not at the top, and neither silent nor under "needs attention".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.domain import reminders as rules

DIGEST_TIME = time(8, 0)
DIGEST_WEEKDAY = 0  # Monday
LATE_LIMIT = timedelta(hours=12)
ATTENTION_TIERS = 2  # the board's tiers 0..2; tier 3 is silence, holds and running spikes
NO_QUIET_HOURS = (time(0, 0), time(0, 0))


def schedule(zone: str) -> rules.Schedule:
    return rules.Schedule(zone, DIGEST_TIME, frozenset({DIGEST_WEEKDAY}), NO_QUIET_HOURS)


def next_due(zone: str, after: datetime) -> tuple[datetime, date]:
    """The next Monday 08:00 in `zone` strictly after naive-UTC `after`: (due time, that Monday)."""
    found = rules.next_due(schedule(zone), after)
    assert found is not None  # a weekday is always chosen
    return found


def worth_sending(zone: str, week_of: date, now: datetime) -> bool:
    """Due for the Monday `week_of`, not in the future, and not too late."""
    due = rules.due_on(schedule(zone), week_of)
    return due is not None and due <= now <= due + LATE_LIMIT


@dataclass(frozen=True)
class Athlete:
    """What the digest may know of one athlete: name and where they stand, no health data."""

    name: str
    tier: int  # the board's attention tier (0 most urgent, 4 fine)
    quiet: int | None  # days since anything was logged; None if never
    stage: int | None = None  # None: no progression yet
    streak: int = 0
    needed: int = 0
    top_stage: int = 4
    walk_run: bool = False
    paused: bool = False
    setback: bool = False


@dataclass(frozen=True)
class Digest:
    needs_attention: tuple[str, ...]
    silent: tuple[str, ...]
    ready: tuple[str, ...]
    athletes: int

    @property
    def empty(self) -> bool:
        return self.athletes == 0


def is_silent(athlete: Athlete) -> bool:
    return athlete.quiet is None or athlete.quiet >= rules.NUDGE_AFTER_DAYS


def ready_to_progress(athlete: Athlete) -> bool:
    if athlete.stage is None or athlete.paused or athlete.setback or athlete.walk_run:
        return False
    return athlete.stage < athlete.top_stage and athlete.streak >= max(1, athlete.needed - 1)


def summarise(athletes: list[Athlete]) -> Digest:
    """The three groups, each by name (alphabetical); an athlete may be silent and need attention."""
    def names(chosen):
        return tuple(sorted((a.name for a in chosen), key=str.casefold))

    attention = [a for a in athletes if a.tier <= ATTENTION_TIERS]
    silent = [a for a in athletes if is_silent(a)]
    ready = [a for a in athletes if a.tier > ATTENTION_TIERS and not is_silent(a) and ready_to_progress(a)]
    return Digest(names(attention), names(silent), names(ready), len(athletes))


def count_label(count: int) -> str:
    return f"{count} athlete{'' if count == 1 else 's'}"
