"""The 12-week chart's geometry (app/runs/chart.py): bars to scale, pain beside them, spikes marked."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.running import Week
from app.runs.chart import PLOT_H, TOP, build_chart, nice_top

MONDAY = date(2026, 3, 16)


def week(n: int, km: float = 0, during=None, morning=None, spikes=0) -> Week:
    return Week(MONDAY - timedelta(weeks=11 - n), round(km * 1000), 0, 1 if km else 0, during, morning, spikes, 0)


@pytest.mark.parametrize("km, top", [(0, 5), (4.2, 5), (5.1, 10), (48, 50), (51, 60), (120, 150)])
def test_the_distance_axis_rounds_up(km, top):
    assert nice_top(km) == top


def test_bars_are_to_scale_and_pain_and_spikes_are_marked():
    weeks = [week(n) for n in range(10)] + [week(10, 10, during=1), week(11, 20, during=4, morning=6, spikes=1)]
    chart = build_chart(weeks)
    last, before = chart.bars[-1], chart.bars[-2]
    assert chart.top_km == 20 and len(chart.bars) == 12
    assert last.height == PLOT_H and before.height == PLOT_H / 2 and chart.bars[0].height == 0
    assert last.spike and not before.spike
    assert last.during[1] == round(TOP + 0.6 * PLOT_H, 1) and last.morning[1] == round(TOP + 0.4 * PLOT_H, 1)
    assert before.morning is None
    assert "20.0 km in 1 run, worst pain during 4/10, next morning 6/10, 1 spike" in last.label
    assert [label for _, label in chart.x_ticks] == ["16 Mar", "16 Feb", "19 Jan"]
