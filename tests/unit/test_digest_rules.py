"""The weekly digest's pure rules: when it goes, and who is named in which group."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.digest import Athlete, count_label, next_due, ready_to_progress, summarise, worth_sending


@pytest.mark.parametrize("zone, after, due", [
    ("Europe/London", datetime(2026, 5, 31, 12), (datetime(2026, 6, 1, 7), date(2026, 6, 1))),  # BST
    ("Europe/London", datetime(2026, 6, 1, 7), (datetime(2026, 6, 8, 7), date(2026, 6, 8))),  # strictly after
    ("Europe/London", datetime(2026, 3, 28, 0), (datetime(2026, 3, 30, 7), date(2026, 3, 30))),  # clocks changed Sunday
    ("Australia/Sydney", datetime(2026, 6, 1, 0), (datetime(2026, 6, 7, 22), date(2026, 6, 8))),  # Monday is Sunday in UTC
    ("UTC", datetime(2026, 6, 1, 7, 59), (datetime(2026, 6, 1, 8), date(2026, 6, 1))),
])
def test_next_due_is_monday_at_eight_on_the_coachs_wall_clock(zone, after, due):
    assert next_due(zone, after) == due


def test_worth_sending_from_eight_to_twelve_hours_late():
    monday = date(2026, 6, 1)
    assert not worth_sending("UTC", monday, datetime(2026, 6, 1, 7, 59))
    assert worth_sending("UTC", monday, datetime(2026, 6, 1, 8))
    assert worth_sending("UTC", monday, datetime(2026, 6, 1, 20))
    assert not worth_sending("UTC", monday, datetime(2026, 6, 1, 20, 1))
    assert not worth_sending("UTC", date(2026, 6, 2), datetime(2026, 6, 2, 9))  # not a Monday


def _athlete(name="Ann", tier=4, quiet=0, **progress):
    values = {"stage": 2, "streak": 2, "needed": 3}
    values.update(progress)
    return Athlete(name, tier, quiet, **values)


@pytest.mark.parametrize("athlete, ready", [
    (_athlete(), True),  # 2 of 3: the next counting day moves her up
    (_athlete(streak=3), True),  # streak done (the entry test, or tomorrow's move)
    (_athlete(streak=1), False),
    (_athlete(stage=None), False),  # no progression yet
    (_athlete(paused=True), False),
    (_athlete(setback=True), False),
    (_athlete(stage=4, top_stage=4), False),  # at the top
    (_athlete(stage=4, top_stage=5), True),  # returning runners go on to Stage 5
    (_athlete(walk_run=True), False),  # walk–run levels are not stages
    (_athlete(streak=1, needed=2), True),
])
def test_ready_to_progress(athlete, ready):
    assert ready_to_progress(athlete) is ready


def test_the_groups_name_athletes_alphabetically_and_never_twice_as_ready():
    digest = summarise([
        _athlete("zed", tier=0), _athlete("Amy", tier=2, quiet=1), _athlete("Bo", tier=3, quiet=5),
        _athlete("Cy", tier=3, quiet=None, stage=None), _athlete("Di", tier=4, quiet=1), _athlete("Ed", tier=4, streak=0),
    ])
    assert digest.needs_attention == ("Amy", "zed")  # tiers 0–2; zed is ready but needs attention first
    assert digest.silent == ("Bo", "Cy")  # 3 days or more, or never: Bo's streak doesn't make him ready
    assert digest.ready == ("Di",)
    assert digest.athletes == 6 and not digest.empty
    assert summarise([]).empty


def test_count_label():
    assert [count_label(n) for n in (1, 2)] == ["1 athlete", "2 athletes"]
