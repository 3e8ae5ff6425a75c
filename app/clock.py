"""The app's clock: now in UTC, and today on an athlete's own calendar.

Every "today" an athlete sees is their local date (their profile's time zone; UTC until
they set one), so a run at 23:30 in Auckland counts for that day, not for UTC's.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo


class HasTimezone(Protocol):
    timezone: str


def local_today(profile: HasTimezone | None) -> date:
    """Today's date in the athlete's own time zone (UTC without a profile)."""
    return datetime.now(ZoneInfo(profile.timezone if profile else "UTC")).date()
