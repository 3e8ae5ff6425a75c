"""Adherence at a glance (shared/DOMAIN.md, "Lessons from the field"): streaks and weekly counts.

Pure module: plain dates in, plain numbers out.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

AVERAGE_WINDOW = 7
SESSION_TARGET = (2, 3)  # strength sessions a week (shared/DOMAIN.md)
STRENGTH_KINDS = ("strength", "entry_test")  # what counts toward it: the entry test is strength work


def checkin_streak(days: Iterable[date], today: date) -> int:
    """Consecutive days checked in, up to today — or up to yesterday while today is still open."""
    checked = set(days)
    day = today if today in checked else today - timedelta(days=1)
    streak = 0
    while day in checked:
        streak += 1
        day -= timedelta(days=1)
    return streak


def week_start(today: date) -> date:
    """The Monday of today's week."""
    return today - timedelta(days=today.weekday())


def rolling_average(values: Sequence[int | None], window: int = AVERAGE_WINDOW) -> list[float | None]:
    """For each day, the mean of the scores in the `window` days ending on it; None with none."""
    averages: list[float | None] = []
    for end in range(len(values)):
        scores = [v for v in values[max(0, end - window + 1):end + 1] if v is not None]
        averages.append(sum(scores) / len(scores) if scores else None)
    return averages
