"""Streaks, weeks and averages (app/domain/adherence.py)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.adherence import checkin_streak, rolling_average, week_start

TODAY = date(2026, 11, 20)  # a Friday


def days_ago(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


@pytest.mark.parametrize("offsets, streak", [
    ((), 0),
    ((0,), 1),
    ((0, 1, 2), 3),
    ((1, 2), 2),        # today not yet checked in: the streak is still alive
    ((0, 2, 3), 1),     # yesterday missed
    ((2, 3, 4), 0),     # yesterday and today missed
    ((-1, 0, 1), 2),    # a future day never counts
])
def test_checkin_streak(offsets, streak):
    assert checkin_streak(days_ago(*offsets), TODAY) == streak


@given(st.sets(st.integers(0, 60)))
def test_a_streak_never_exceeds_the_days_checked_in(offsets):
    days = days_ago(*offsets)
    streak = checkin_streak(days, TODAY)
    assert 0 <= streak <= len(days)
    assert checkin_streak(days + days_ago(0), TODAY) >= streak


@pytest.mark.parametrize("day, monday", [
    (date(2026, 11, 20), date(2026, 11, 16)),
    (date(2026, 11, 16), date(2026, 11, 16)),
    (date(2026, 11, 22), date(2026, 11, 16)),
    (date(2027, 1, 1), date(2026, 12, 28)),
])
def test_week_start_is_monday(day, monday):
    assert week_start(day) == monday


def test_rolling_average_skips_missing_days():
    assert rolling_average([None, 2, None, 4]) == [None, 2, 2, 3]
    assert rolling_average([1, 2, 3, 4], window=2) == [1, 1.5, 2.5, 3.5]
    assert rolling_average([6] + [None] * 7) == [6] * 7 + [None]


@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=40))
def test_rolling_average_stays_within_the_scores(values):
    averages = rolling_average(values)
    assert len(averages) == len(values)
    for i, average in enumerate(averages):
        window = [v for v in values[max(0, i - 6):i + 1] if v is not None]
        if window:
            assert min(window) <= average <= max(window)
        else:
            assert average is None
