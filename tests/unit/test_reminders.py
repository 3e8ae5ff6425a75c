"""Reminder timing: wall-clock times in the athlete's zone, quiet hours, snooze, DST, messages."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from app.domain.reminders import (
    Activity, Choices, Schedule, after_quiet_hours, daily_message, due_on, in_quiet_hours, next_due,
    retry_delay, send_time, still_worth_sending, training_message,
)

LONDON, NEW_YORK, SYDNEY = "Europe/London", "America/New_York", "Australia/Sydney"


def sweep_days(schedule: Schedule, start: datetime, days: int) -> list[tuple[datetime, date]]:
    """Follow next_due from `start` the way the worker does, for `days` days."""
    sent, after = [], start
    while True:
        found = next_due(schedule, after)
        if found is None or found[0] > start + timedelta(days=days):
            return sent
        sent.append(found)
        after = found[0]


@pytest.mark.parametrize("zone, day, utc", [
    (LONDON, date(2026, 3, 29), datetime(2026, 3, 29, 6, 30)),     # spring forward: BST, UTC+1
    (LONDON, date(2026, 3, 28), datetime(2026, 3, 28, 7, 30)),     # the day before: GMT
    (LONDON, date(2026, 10, 25), datetime(2026, 10, 25, 7, 30)),   # fall back: GMT again
    (LONDON, date(2026, 10, 24), datetime(2026, 10, 24, 6, 30)),
    (NEW_YORK, date(2026, 3, 8), datetime(2026, 3, 8, 11, 30)),    # EDT, UTC-4
    (NEW_YORK, date(2026, 11, 1), datetime(2026, 11, 1, 12, 30)),  # EST, UTC-5
    (SYDNEY, date(2026, 4, 5), datetime(2026, 4, 4, 21, 30)),      # AEST, UTC+10, after the April change
    (SYDNEY, date(2026, 10, 4), datetime(2026, 10, 3, 20, 30)),    # AEDT, UTC+11, after the October change
])
def test_a_0730_reminder_is_due_at_0730_local_on_clock_change_days(zone, day, utc):
    assert due_on(Schedule(zone, time(7, 30)), day) == utc


@pytest.mark.parametrize("zone, start", [
    (LONDON, datetime(2026, 3, 26)), (LONDON, datetime(2026, 10, 22)),
    (NEW_YORK, datetime(2026, 3, 5)), (NEW_YORK, datetime(2026, 10, 29)),
])
def test_across_a_clock_change_the_reminder_goes_once_a_day_at_0730_local(zone, start):
    from zoneinfo import ZoneInfo

    sent = sweep_days(Schedule(zone, time(7, 30)), start, 7)
    assert len(sent) == 7
    assert len({day for _, day in sent}) == 7
    for due, day in sent:
        local = due.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))
        assert (local.date(), local.time()) == (day, time(7, 30))


def test_a_time_in_the_spring_forward_gap_goes_at_the_end_of_the_gap_once():
    # New York skips 02:00–03:00 on 8 March 2026: 02:30 does not exist; it goes at 03:00 EDT.
    schedule = Schedule(NEW_YORK, time(2, 30), quiet=(time(0, 0), time(0, 0)))
    assert due_on(schedule, date(2026, 3, 8)) == datetime(2026, 3, 8, 7, 0)
    sent = sweep_days(schedule, datetime(2026, 3, 7), 3)
    assert [day for _, day in sent] == [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)]


def test_a_time_that_happens_twice_on_fall_back_goes_at_its_first_occurrence_once():
    # New York repeats 01:00–02:00 on 1 November 2026: 01:30 EDT (05:30 UTC) comes first.
    schedule = Schedule(NEW_YORK, time(1, 30), quiet=(time(0, 0), time(0, 0)))
    assert due_on(schedule, date(2026, 11, 1)) == datetime(2026, 11, 1, 5, 30)
    sent = sweep_days(schedule, datetime(2026, 10, 31, 12), 2)
    assert [day for _, day in sent] == [date(2026, 11, 1), date(2026, 11, 2)]


@pytest.mark.parametrize("at, quiet, expected", [
    (time(7, 30), (time(21), time(7)), time(7, 30)),
    (time(6, 0), (time(21), time(7)), time(7, 0)),
    (time(22, 15), (time(21), time(7)), time(7, 0)),
    (time(21, 0), (time(21), time(7)), time(7, 0)),
    (time(20, 59), (time(21), time(7)), time(20, 59)),
    (time(13, 0), (time(12), time(14)), time(14, 0)),  # quiet hours within a day
    (time(3, 0), (time(0), time(0)), time(3, 0)),      # no quiet hours
])
def test_a_time_inside_quiet_hours_moves_to_their_end(at, quiet, expected):
    assert send_time(at, quiet) == expected


def test_training_reminders_go_only_on_the_chosen_weekdays():
    schedule = Schedule(LONDON, time(17, 30), weekdays=frozenset({1, 3}))  # Tue, Thu
    sent = sweep_days(schedule, datetime(2026, 6, 1), 14)  # Monday 1 June 2026
    assert [day.weekday() for _, day in sent] == [1, 3, 1, 3]


def test_snoozing_skips_up_to_and_including_the_snoozed_day():
    schedule = Schedule(LONDON, time(7, 30), snoozed_until=date(2026, 6, 2))
    assert next_due(schedule, datetime(2026, 6, 1, 12)) == (datetime(2026, 6, 3, 6, 30), date(2026, 6, 3))


def test_a_switched_off_reminder_is_never_due():
    assert next_due(Schedule(LONDON, time(7, 30), enabled=False), datetime(2026, 6, 1)) is None
    assert next_due(Schedule(LONDON, time(7, 30), weekdays=frozenset()), datetime(2026, 6, 1)) is None


def test_next_due_is_strictly_after_the_moment_given():
    schedule = Schedule("UTC", time(7, 30))
    assert next_due(schedule, datetime(2026, 6, 1, 7, 30)) == (datetime(2026, 6, 2, 7, 30), date(2026, 6, 2))
    assert next_due(schedule, datetime(2026, 6, 1, 7, 29)) == (datetime(2026, 6, 1, 7, 30), date(2026, 6, 1))


def test_a_reminder_is_worth_sending_when_due_but_not_hours_late_nor_in_quiet_hours():
    schedule = Schedule("UTC", time(20, 0))
    day = date(2026, 6, 1)
    assert still_worth_sending(schedule, day, datetime(2026, 6, 1, 20, 0))
    assert still_worth_sending(schedule, day, datetime(2026, 6, 1, 20, 59))
    assert not still_worth_sending(schedule, day, datetime(2026, 6, 1, 19, 59))  # not yet
    assert not still_worth_sending(schedule, day, datetime(2026, 6, 1, 21, 5))   # quiet hours now
    assert not still_worth_sending(Schedule("UTC", time(8)), day, datetime(2026, 6, 1, 11, 1))  # too late
    assert not still_worth_sending(Schedule("UTC", time(20), snoozed_until=day), day, datetime(2026, 6, 1, 20))


def test_a_retry_that_would_land_in_quiet_hours_waits_for_their_end():
    assert after_quiet_hours(datetime(2026, 6, 1, 21, 30), "UTC", (time(21), time(7))) == datetime(2026, 6, 2, 7)
    assert after_quiet_hours(datetime(2026, 6, 2, 3, 0), "UTC", (time(21), time(7))) == datetime(2026, 6, 2, 7)
    assert after_quiet_hours(datetime(2026, 6, 2, 9, 0), "UTC", (time(21), time(7))) == datetime(2026, 6, 2, 9)
    assert in_quiet_hours(time(23), (time(21), time(7))) and not in_quiet_hours(time(12), (time(21), time(7)))


TODAY = date(2026, 6, 10)


@pytest.mark.parametrize("activity, choices, expected", [
    (Activity(checked_in_today=True, trained_yesterday=True), Choices(), None),
    (Activity(trained_yesterday=True, last_logged=TODAY - timedelta(days=1)), Choices(), "next_morning"),
    (Activity(trained_yesterday=True, last_logged=TODAY - timedelta(days=1)), Choices(next_morning=False), "checkin"),
    (Activity(last_logged=TODAY - timedelta(days=1)), Choices(), "checkin"),
    (Activity(last_logged=TODAY - timedelta(days=2)), Choices(), "checkin"),
    (Activity(last_logged=TODAY - timedelta(days=3)), Choices(), "nudge"),
    (Activity(last_logged=TODAY - timedelta(days=5), last_nudge=TODAY - timedelta(days=2)), Choices(), "checkin"),
    (Activity(last_logged=TODAY - timedelta(days=5), last_nudge=TODAY - timedelta(days=9)), Choices(), "nudge"),
    (Activity(last_logged=TODAY - timedelta(days=3)), Choices(nudge=False), "checkin"),
    (Activity(last_logged=TODAY - timedelta(days=3)), Choices(checkin=False), "nudge"),
    (Activity(last_logged=TODAY - timedelta(days=1)), Choices(checkin=False), None),
])
def test_the_daily_reminder_says_the_one_thing_that_fits_today(activity, choices, expected):
    assert daily_message(choices, activity, TODAY) == expected


def test_the_training_reminder_is_dropped_once_a_session_is_logged_today():
    assert training_message(Activity()) == "training"
    assert training_message(Activity(trained_today=True)) is None


def test_retries_back_off_and_are_capped():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]
