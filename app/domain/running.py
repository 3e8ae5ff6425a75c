"""Running load beside pain: the single-run ceiling, spikes, pain-marked runs, amber-day advice
and the weekly picture (shared/DOMAIN.md, "Running load").

Pure: plain data in, plain data out; nothing from Flask or SQLAlchemy.

The rules, as DOMAIN.md gives them:
- A single run more than 10% longer than the longest run of the previous 30 days raised injury
  risk (Garmin-RUNSAFE): the guard is per run, not per week, and no acute:chronic ratio.
- La Trobe, for patellofemoral pain: pain during a run at most 2/10, back to baseline within an
  hour, no worse next morning; when sore, run shorter and more often, 10–20% slower, walk–run
  4:1, avoid downhills; cadence ≤ 170 steps/min → raise it 5–10%.

Decisions the rules leave open, and how each was decided:
1. "Previous 30 days" are the 30 local calendar days before the run's own day (day − 30 …
   day − 1). Days are the athlete's local days, so a run's time zone never moves it across the
   window: the caller stores each run's local date once, at logging time.
2. Runs on the same day as the run being judged do not count towards its ceiling: a double
   day's first run does not raise the ceiling for the second.
3. "Longer" means distance for runs with a distance measured by GPS or typed by hand, and
   duration for treadmill runs and runs without a distance (no GPS). The two are never mixed:
   a treadmill run is judged against the longest run of the window by time (every run has a
   duration), an outdoor run against the longest by distance among runs that have one.
4. Exactly 10% longer is allowed; only strictly more is a spike. The ceiling is rounded down to
   whole metres / seconds, so the runner is never told a limit the rule would refuse.
5. With no run in the previous 30 days there is no ceiling to compute: no run is a spike, and
   Today says to start with the walk–run ladder or a short easy run rather than inventing a
   number (the ladder is the app's own start for returning runners).
6. "Pain an hour after not back to baseline": baseline is that morning's check-in pain (pain
   now); with no check-in that day the baseline is 0. Pain after unknown → not marked for it.
7. "A worse next morning": the next day's check-in answered "worse" to "compared with before
   yesterday's session", or its pain now above the run day's baseline.
8. Amber-day advice shortens the ceiling to 80% of today's ceiling (La Trobe says "shorter",
   not by how much; 20% matches the 10–20% slower pace and keeps the run well inside the guard).
9. Cadence advice is given only when the recent runs' average cadence is known and ≤ 170.
10. Whether a run is offered at all is the safety gate's answer (app/domain/gate.py):
    `run_offer_today` asks it, then adds the ceiling and, when the gate withholds high load (a
    sore day, no check-in yet, a red check-in this week…), the gentler run and the gate's reason.
11. Weeks start on Monday (like the rest of the app, app/domain/adherence.week_start); the
    chart's 12 weeks end with the current, partial week.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain import gate

WINDOW_DAYS = 30
RISE = 0.10
PAIN_DURING_LIMIT = 2
AMBER_SHORTER = 0.80
CADENCE_THRESHOLD = 170
WEEKS = 12
TERRAINS = {"road": "Road", "trail": "Trail", "track": "Track", "treadmill": "Treadmill"}
BY_TIME_TERRAINS = frozenset({"treadmill"})


@dataclass(frozen=True)
class RunFacts:
    """What the rules need of one logged run."""

    local_date: date
    distance_m: int | None
    duration_s: int
    terrain: str = "road"
    pain_during: int | None = None
    pain_after: int | None = None
    cadence: int | None = None
    id: int | None = None

    @property
    def by_time(self) -> bool:
        """Judged by time: a treadmill run, or a run with no distance (no GPS)."""
        return self.terrain in BY_TIME_TERRAINS or not self.distance_m


@dataclass(frozen=True)
class Ceiling:
    """The longest a single run may be on `day`; None fields when there is nothing to go on."""

    day: date
    longest_m: int | None
    longest_s: int | None
    max_m: int | None
    max_s: int | None

    @property
    def known(self) -> bool:
        return self.max_m is not None or self.max_s is not None


@dataclass(frozen=True)
class DayHealth:
    """A day's check-in as the run rules see it."""

    pain_now: int
    after_session: str | None = None  # "better" / "same" / "worse" about the day before


@dataclass(frozen=True)
class Verdict:
    """A logged run judged: a spike over its ceiling, and why it is pain-marked, if it is."""

    spike: bool
    over_by: float | None  # fraction over the previous longest, e.g. 0.25 for 25% longer
    pain_reasons: tuple[str, ...] = ()

    @property
    def pain_marked(self) -> bool:
        return bool(self.pain_reasons)


@dataclass(frozen=True)
class Offer:
    """What Today offers for running: no run, a run within a ceiling, or a gentler amber run."""

    kind: str  # "none" (red day), "normal", "amber"
    ceiling: Ceiling
    advice: tuple[str, ...] = field(default_factory=tuple)
    why: str | None = None  # on an amber run: what brings the usual running back, in the gate's words


def ceiling_for(runs: Iterable[RunFacts], day: date) -> Ceiling:
    """The 10% single-run ceiling on `day`, from runs of the 30 local days before it."""
    start = day - timedelta(days=WINDOW_DAYS)
    window = [r for r in runs if start <= r.local_date < day]
    distances = [r.distance_m for r in window if not r.by_time and r.distance_m]
    durations = [r.duration_s for r in window if r.duration_s]
    longest_m = max(distances) if distances else None
    longest_s = max(durations) if durations else None
    return Ceiling(day, longest_m, longest_s,
                   _limit(longest_m), _limit(longest_s))


def _limit(longest: int | None) -> int | None:
    """10% more than `longest`, rounded down (so the limit itself is allowed)."""
    return None if longest is None else math.floor(longest * (1 + RISE) + 1e-9)


def is_spike(run: RunFacts, ceiling: Ceiling) -> tuple[bool, float | None]:
    """Whether a run broke its ceiling, and by how much over the previous longest."""
    if run.by_time:
        longest, limit, value = ceiling.longest_s, ceiling.max_s, run.duration_s
    else:
        longest, limit, value = ceiling.longest_m, ceiling.max_m, run.distance_m
    if longest is None or limit is None or not value:
        return False, None
    return value > limit, value / longest - 1


def pain_reasons(run: RunFacts, same_day: DayHealth | None, next_day: DayHealth | None) -> tuple[str, ...]:
    """Why La Trobe's limits mark this run, in the runner's words (empty when none)."""
    reasons = []
    baseline = same_day.pain_now if same_day else 0
    if run.pain_during is not None and run.pain_during > PAIN_DURING_LIMIT:
        reasons.append(f"pain during was {run.pain_during}/10 (keep it to {PAIN_DURING_LIMIT} or less)")
    if run.pain_after is not None and run.pain_after > baseline:
        reasons.append(f"an hour after, pain was {run.pain_after}/10, not back to {baseline}/10")
    if next_day is not None and (next_day.after_session == "worse" or next_day.pain_now > baseline):
        reasons.append("the next morning was worse")
    return tuple(reasons)


def judge(runs: Sequence[RunFacts], health: dict[date, DayHealth]) -> dict[int, Verdict]:
    """Every run (by its position in `runs`) judged against its own ceiling and pain rules."""
    order = sorted(range(len(runs)), key=lambda i: runs[i].local_date)
    dates = [runs[i].local_date for i in order]
    verdicts = {}
    for index, run in enumerate(runs):
        low = bisect_left(dates, run.local_date - timedelta(days=WINDOW_DAYS))
        high = bisect_left(dates, run.local_date)
        window = [runs[i] for i in order[low:high]]
        spike, over = is_spike(run, ceiling_for(window, run.local_date))
        reasons = pain_reasons(run, health.get(run.local_date),
                               health.get(run.local_date + timedelta(days=1)))
        verdicts[index] = Verdict(spike, over, reasons)
    return verdicts


def next_time(run: RunFacts, ceiling: Ceiling) -> str:
    """What to do after a spike: how long the next run may be."""
    if run.by_time and ceiling.max_s:
        return (f"Next time keep any single run to {format_duration(ceiling.max_s)} or less, "
                "and build up by no more than 10% over your longest run of the last 30 days.")
    if ceiling.max_m:
        return (f"Next time keep any single run to {format_km(ceiling.max_m)} or less, "
                "and build up by no more than 10% over your longest run of the last 30 days.")
    return "Next time build up by no more than 10% over your longest run of the last 30 days."


def amber_advice(ceiling: Ceiling, recent_cadence: int | None) -> tuple[str, ...]:
    """La Trobe's advice for a sore day."""
    advice = []
    if ceiling.max_m:
        advice.append(f"Run shorter: keep it under {format_km(int(ceiling.max_m * AMBER_SHORTER))} today.")
    elif ceiling.max_s:
        advice.append(f"Run shorter: keep it under {format_duration(int(ceiling.max_s * AMBER_SHORTER))} today.")
    else:
        advice.append("Run shorter than usual, and more often.")
    advice += ["Run 10–20% slower than your usual easy pace.",
               "Walk–run: 4 minutes running, 1 minute walking.",
               "Avoid downhills and stairs."]
    if recent_cadence is not None and recent_cadence <= CADENCE_THRESHOLD:
        low, high = round(recent_cadence * 1.05), round(recent_cadence * 1.10)
        advice.append(f"Raise your cadence 5–10%: from about {recent_cadence} to {low}–{high} steps a minute.")
    return tuple(advice)


def run_offer_today(allowed: gate.Offer, runs: Sequence[RunFacts], today: date) -> Offer:
    """Today's running offer. Whether to run at all is the safety gate's answer (app/domain/
    gate.py): a red day or a red flag, no run; impact withheld (an amber day, no check-in yet,
    pain above the limit, a painful last session…), La Trobe's gentler run; else the ceiling."""
    ceiling = ceiling_for(runs, today)
    if allowed.mode != "train":
        return Offer("none", ceiling, (allowed.why_not("run"),))
    if not allowed.high_load:
        why = f"Your usual running comes back once {allowed.calm_once}." if allowed.calm_once else None
        return Offer("amber", ceiling, amber_advice(ceiling, recent_cadence(runs, today)), why)
    return Offer("normal", ceiling)


def recent_cadence(runs: Iterable[RunFacts], today: date) -> int | None:
    """Average cadence of the last 30 days' runs that recorded one."""
    start = today - timedelta(days=WINDOW_DAYS)
    values = [r.cadence for r in runs if r.cadence and start <= r.local_date <= today]
    return round(sum(values) / len(values)) if values else None


@dataclass(frozen=True)
class Week:
    """One Monday-to-Sunday week of running, with its pain."""

    start: date
    distance_m: int
    duration_s: int
    runs: int
    worst_pain_during: int | None
    worst_next_morning: int | None
    spikes: int
    pain_marked: int


def weekly(runs: Sequence[RunFacts], verdicts: dict[int, Verdict],
           health: dict[date, DayHealth], today: date, weeks: int = WEEKS) -> list[Week]:
    """The last `weeks` weeks (oldest first), ending with the week holding `today`."""
    first = _monday(today) - timedelta(weeks=weeks - 1)
    buckets: dict[date, list[int]] = {first + timedelta(weeks=n): [] for n in range(weeks)}
    for index, run in enumerate(runs):
        monday = _monday(run.local_date)
        if monday in buckets and run.local_date <= today:
            buckets[monday].append(index)
    return [_week(start, [runs[i] for i in idx], [verdicts[i] for i in idx], health)
            for start, idx in buckets.items()]


def _week(start: date, runs: list[RunFacts], verdicts: list[Verdict], health: dict[date, DayHealth]) -> Week:
    during = [r.pain_during for r in runs if r.pain_during is not None]
    mornings = [health[d].pain_now for d in {r.local_date + timedelta(days=1) for r in runs} if d in health]
    return Week(start, sum(r.distance_m or 0 for r in runs), sum(r.duration_s for r in runs), len(runs),
                max(during) if during else None, max(mornings) if mornings else None,
                sum(v.spike for v in verdicts), sum(v.pain_marked for v in verdicts))


def local_day(moment: datetime, zone: str) -> date:
    """The athlete's calendar day of a moment (naive moments are UTC, as files and the DB give)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone)).date()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def format_km(metres: int) -> str:
    return f"{metres / 1000:.1f} km"


def format_duration(seconds: int) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"


def format_pace(distance_m: int | None, duration_s: int) -> str | None:
    if not distance_m:
        return None
    per_km = duration_s / (distance_m / 1000)
    minutes, secs = divmod(round(per_km), 60)
    return f"{minutes}:{secs:02d} /km"


MAX_DISTANCE_M = 150_000
MIN_DURATION_S, MAX_DURATION_S = 60, 24 * 3600
FASTEST_S_PER_KM = 150  # 2:30 min/km: faster than any runner holds for a kilometre
EARLIEST = date(2000, 1, 1)


def run_problems(distance_m: int | None, duration_s: int | None, day: date | None,
                 today: date) -> dict[str, str]:
    """What is implausible about a run, by field ("distance", "duration", "date"); empty when fine."""
    problems = {}
    if distance_m is not None and distance_m < 1:
        problems["distance"] = "Enter a distance above 0 km, or leave it empty."
    elif distance_m is not None and distance_m > MAX_DISTANCE_M:
        problems["distance"] = f"Enter a distance up to {MAX_DISTANCE_M // 1000} km."
    if duration_s is not None and not MIN_DURATION_S <= duration_s <= MAX_DURATION_S:
        problems["duration"] = "Enter a time from 1 minute to 24 hours."
    if (distance_m and duration_s and "distance" not in problems and "duration" not in problems
            and duration_s / (distance_m / 1000) < FASTEST_S_PER_KM):
        problems["duration"] = (f"That is {format_pace(distance_m, duration_s)}, faster than anyone runs: "
                                "check the distance and the time.")
    if day is not None and day > today:
        problems["date"] = f"The run can't be in the future: today is {today:%-d %B %Y}."
    elif day is not None and day < EARLIEST:
        problems["date"] = f"Enter a date from {EARLIEST.year} on."
    return problems
