"""The 12-week running chart as plain geometry for a server-rendered SVG (no Flask, no JS).

Weeks run left (oldest) to right (this week). Each week has a bar of its distance (left
axis, km) and beside it two pain marks on the right axis (0–10): the worst pain during a run
and the worst next-morning pain. A week with a spike gets a marker above its bar.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.charts import Frame, r1
from app.domain.running import Week

FRAME = Frame(width=340, height=200, left=30, right=28, top=16, bottom=24)
WIDTH, HEIGHT, LEFT, TOP = FRAME.width, FRAME.height, FRAME.left, FRAME.top
PLOT_W, PLOT_H = FRAME.plot_w, FRAME.plot_h


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    spike: bool
    during: tuple[float, float] | None  # (x, y) of the pain-during mark
    morning: tuple[float, float] | None  # (x, y) of the next-morning mark


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    km_ticks: tuple[tuple[float, str], ...]
    pain_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]
    plot: tuple[float, float, float, float]
    top_km: int


def nice_top(km: float) -> int:
    """The left axis' top: a round number of km at or above the longest week (5 at least)."""
    if km <= 5:
        return 5
    step = 5 if km <= 50 else 10 if km <= 100 else 50
    return int(math.ceil(km / step) * step)


def build_chart(weeks: Sequence[Week]) -> Chart:
    top_km = nice_top(max((w.distance_m for w in weeks), default=0) / 1000)
    slot = PLOT_W / len(weeks)
    bar_w = slot * 0.5
    bars = []
    for index, week in enumerate(weeks):
        x = LEFT + index * slot + slot * 0.1
        height = week.distance_m / 1000 / top_km * PLOT_H
        mark_x = x + bar_w + slot * 0.18
        bars.append(Bar(
            x=r1(x), y=r1(TOP + PLOT_H - height), width=r1(bar_w), height=r1(height),
            label=_label(week), spike=week.spikes > 0,
            during=None if week.worst_pain_during is None else (r1(mark_x), _pain_y(week.worst_pain_during)),
            morning=None if week.worst_next_morning is None else (r1(mark_x), _pain_y(week.worst_next_morning)),
        ))
    step = top_km / 5
    return Chart(
        width=WIDTH, height=HEIGHT, bars=tuple(bars),
        km_ticks=tuple((r1(TOP + PLOT_H - i * PLOT_H / 5), f"{step * i:g}") for i in range(6)),
        pain_ticks=tuple((_pain_y(v), str(v)) for v in (0, 2, 4, 6, 8, 10)),
        x_ticks=tuple((r1(LEFT + i * slot + slot / 2), f"{weeks[i].start:%-d %b}")
                      for i in range(len(weeks) - 1, -1, -4)),
        plot=FRAME.plot, top_km=top_km,
    )


def _label(week: Week) -> str:
    parts = [f"Week of {week.start:%-d %b}: {week.distance_m / 1000:.1f} km in {week.runs} "
             f"{'run' if week.runs == 1 else 'runs'}"]
    if week.worst_pain_during is not None:
        parts.append(f"worst pain during {week.worst_pain_during}/10")
    if week.worst_next_morning is not None:
        parts.append(f"next morning {week.worst_next_morning}/10")
    if week.spikes:
        parts.append(f"{week.spikes} {'spike' if week.spikes == 1 else 'spikes'}")
    return ", ".join(parts)


def _pain_y(value: int) -> float:
    """Pain on the right axis: 10 at the top."""
    return FRAME.y(value)
