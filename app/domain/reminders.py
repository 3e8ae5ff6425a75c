"""When a reminder is due, and which one: pure rules on plain data (zoneinfo, no Flask, no SQL).

Two kinds are scheduled, each at most once per local day:

- `daily`: at the check-in time (default 07:30), every day. What it says is decided when it is
  due: the next-morning check after a session or run yesterday, a nudge after 3 days with
  nothing logged, or the plain check-in — and nothing at all once today's check-in is in.
- `training`: on the chosen training weekdays, at the training time (default 17:30).

Decisions the rules leave open, and how they were decided:

- A time inside quiet hours (default 21:00–07:00) moves to the end of quiet hours, so a
  reminder never wakes anyone.
- Daylight saving: the reminder goes at the wall-clock time. On the spring-forward day a time
  that does not exist (02:30 in the gap) goes when the gap ends (03:00); on the
  fall-back day a time that happens twice goes at its first occurrence — once.
- A reminder more than `LATE_LIMIT` late (the worker was down) is not sent: yesterday's
  "time for your check-in" at lunchtime helps no one. It is counted as missed, not failed.
- The nudge goes once per silence: not again until something is logged and then 3 days pass.
- Snoozing skips every reminder up to and including the snoozed-until local day.
- No training-day reminder on a day the safety gate says stop (a red flag, today or not yet
  followed by a check-in without one): the sweep asks app.domain.gate.from_checkins.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

KINDS = ("daily", "training")
MESSAGES = ("checkin", "next_morning", "nudge", "training")
NUDGE_AFTER_DAYS = 3
LATE_LIMIT = timedelta(hours=3)
DEFAULT_CHECKIN = time(7, 30)
DEFAULT_TRAINING = time(17, 30)
DEFAULT_QUIET = (time(21, 0), time(7, 0))
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Schedule:
    """When one kind of reminder goes, in the athlete's own time zone."""

    zone: str
    at: time
    weekdays: frozenset[int] | None = None  # 0 = Monday; None = every day
    quiet: tuple[time, time] = DEFAULT_QUIET
    snoozed_until: date | None = None
    enabled: bool = True


def in_quiet_hours(moment: time, quiet: tuple[time, time]) -> bool:
    start, end = quiet
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # across midnight


def send_time(at: time, quiet: tuple[time, time]) -> time:
    """The chosen time, moved to the end of quiet hours when it falls inside them."""
    return quiet[1] if in_quiet_hours(at, quiet) else at


def wall_clock_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` on `day` in `zone` (naive UTC); a time in a DST gap moves past it."""
    local = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of two, the pre-gap offset
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        # In the spring-forward gap: the wall time does not exist; go at the gap's end.
        instant = _gap_end(local, zone)
    return instant.replace(tzinfo=None)


def _gap_end(local: datetime, zone: ZoneInfo) -> datetime:
    """The instant the clocks jumped forward over `local`, found to the minute."""
    low = local.replace(fold=1).astimezone(UTC)  # in a gap, fold=1 reads it with the old offset
    high = local.replace(fold=0).astimezone(UTC)
    low, high = min(low, high), max(low, high)
    after = high.astimezone(zone).utcoffset()
    minutes = int((high - low).total_seconds() // 60)
    first, last = 0, minutes  # the answer is low + n minutes for the smallest n with the new offset
    while first < last:
        middle = (first + last) // 2
        if (low + timedelta(minutes=middle)).astimezone(zone).utcoffset() == after:
            last = middle
        else:
            first = middle + 1
    return low + timedelta(minutes=first)


def is_reminder_day(schedule: Schedule, day: date) -> bool:
    if not schedule.enabled:
        return False
    if schedule.snoozed_until is not None and day <= schedule.snoozed_until:
        return False
    return schedule.weekdays is None or day.weekday() in schedule.weekdays


def due_on(schedule: Schedule, day: date) -> datetime | None:
    """The naive-UTC moment the reminder for local `day` is due, or None on a day without one."""
    if not is_reminder_day(schedule, day):
        return None
    return wall_clock_to_utc(day, send_time(schedule.at, schedule.quiet), ZoneInfo(schedule.zone))


def next_due(schedule: Schedule, after: datetime) -> tuple[datetime, date] | None:
    """The first (due time, local day) strictly after naive-UTC `after`; None if never."""
    if not schedule.enabled or schedule.weekdays == frozenset():
        return None
    zone = ZoneInfo(schedule.zone)
    start = after.replace(tzinfo=UTC).astimezone(zone).date() - timedelta(days=1)
    if schedule.snoozed_until is not None:
        start = max(start, schedule.snoozed_until + timedelta(days=1))
    for offset in range(0, 9):  # a week and the day either side always holds a reminder day
        day = start + timedelta(days=offset)
        due = due_on(schedule, day)
        if due is not None and due > after:
            return due, day
    return None


def local_day(moment: datetime, zone: str) -> date:
    """The athlete's calendar day at naive-UTC `moment`."""
    return _local(moment, zone).date()


def still_worth_sending(schedule: Schedule, day: date, now: datetime) -> bool:
    """Due for `day` by the current settings, not in the future, not too late, not in quiet hours."""
    due = due_on(schedule, day)
    if due is None or due > now or now - due > LATE_LIMIT:
        return False
    return not in_quiet_hours(_local(now, schedule.zone).time(), schedule.quiet)


def after_quiet_hours(moment: datetime, zone: str, quiet: tuple[time, time]) -> datetime:
    """`moment` (naive UTC), or the end of the quiet hours it falls in: retries wake no one."""
    local = _local(moment, zone)
    if not in_quiet_hours(local.time(), quiet):
        return moment
    end_day = local.date() if local.time() < quiet[1] else local.date() + timedelta(days=1)
    return wall_clock_to_utc(end_day, quiet[1], ZoneInfo(zone))


def _local(moment: datetime, zone: str) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))


@dataclass(frozen=True)
class Activity:
    """What an athlete has logged, as local days."""

    checked_in_today: bool = False
    trained_yesterday: bool = False  # a strength session or run finished yesterday
    trained_today: bool = False
    last_logged: date | None = None  # the last day with anything logged (or the sign-up day)
    last_nudge: date | None = None  # the last day a nudge was sent


@dataclass(frozen=True)
class Choices:
    checkin: bool = True
    next_morning: bool = True
    nudge: bool = True


def daily_message(choices: Choices, activity: Activity, today: date) -> str | None:
    """What the daily reminder says today, or None to send nothing."""
    if activity.checked_in_today:
        return None
    if choices.next_morning and activity.trained_yesterday:
        return "next_morning"
    silent = activity.last_logged is not None and (today - activity.last_logged).days >= NUDGE_AFTER_DAYS
    nudged_this_silence = activity.last_nudge is not None and activity.last_logged is not None \
        and activity.last_nudge > activity.last_logged
    if choices.nudge and silent and not nudged_this_silence:
        return "nudge"
    return "checkin" if choices.checkin else None


def all_off(*, email_on: bool, push_on: bool, has_device: bool, daily_on: bool, training_on: bool) -> bool:
    """No reminder of any kind can reach the athlete: no channel that arrives (email, or push to a
    subscribed device), or every kind switched off (`daily_on`: check-in, next-morning or nudge;
    `training_on`: on and with at least one weekday). A day's snooze is not "off"."""
    reachable = email_on or (push_on and has_device)
    return not reachable or not (daily_on or training_on)


def training_message(activity: Activity, gate_stops: bool = False) -> str | None:
    """The training-day reminder, unless the athlete trained today already, or the safety gate
    says stop today (a red flag: rest and the advice, nothing to train)."""
    return None if activity.trained_today or gate_stops else "training"


def retry_delay(attempt: int, base: timedelta = timedelta(minutes=1),
                cap: timedelta = timedelta(minutes=30)) -> timedelta:
    """Wait before try `attempt` + 1: 1, 2, 4, 8, 16, 30, 30 … minutes."""
    return min(cap, base * 2 ** max(0, attempt - 1))
