"""The pain history chart as plain geometry for a server-rendered SVG (no Flask, no JS).

Days run left (oldest) to right (today); pain 0–10 runs bottom to top. A day without a
check-in breaks the lines and is drawn as a shaded column, so gaps are never papered over.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.adherence import rolling_average

WIDTH, HEIGHT = 340, 180
LEFT, RIGHT, TOP, BOTTOM = 26, 8, 8, 22
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
Y_TICKS = (0, 2, 4, 6, 8, 10)
X_LABEL_EVERY = 7


@dataclass(frozen=True)
class Day:
    """One calendar day of the window; scores are None when there was no check-in."""

    local_date: date
    pain_now: int | None
    worst_pain: int | None

    @property
    def checked_in(self) -> bool:
        return self.pain_now is not None


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG template draws, in viewBox units."""

    width: int
    height: int
    pain_now_path: str
    worst_path: str
    average_path: str
    pain_now_points: tuple[Point, ...]
    worst_points: tuple[Point, ...]
    gaps: tuple[tuple[float, float], ...]  # (x, width) of each day without a check-in
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]
    plot: tuple[float, float, float, float]  # left, top, width, height


def build_chart(days: Sequence[Day]) -> Chart:
    """The chart of a run of consecutive days (at least two)."""
    if len(days) < 2:
        raise ValueError("a chart needs at least two days")
    step = PLOT_W / (len(days) - 1)
    xs = [LEFT + i * step for i in range(len(days))]
    now = [d.pain_now for d in days]
    worst = [d.worst_pain for d in days]
    return Chart(
        width=WIDTH, height=HEIGHT,
        pain_now_path=_path(xs, now), worst_path=_path(xs, worst),
        average_path=_path(xs, rolling_average(now)),
        pain_now_points=_points(xs, days, now, "pain now"),
        worst_points=_points(xs, days, worst, "worst pain"),
        gaps=tuple((_round(max(LEFT, x - step / 2)), _round(_gap_width(x, step)))
                   for x, d in zip(xs, days) if not d.checked_in),
        y_ticks=tuple((_y(v), str(v)) for v in Y_TICKS),
        x_ticks=tuple((_round(xs[i]), f"{days[i].local_date:%-d %b}")
                      for i in range(len(days) - 1, -1, -X_LABEL_EVERY)),
        plot=(LEFT, TOP, PLOT_W, PLOT_H),
    )


def _y(value: float) -> float:
    """Pain 10 at the top of the plot, 0 at the bottom."""
    return _round(TOP + (10 - value) / 10 * PLOT_H)


def _round(value: float) -> float:
    return round(value, 1)


def _gap_width(x: float, step: float) -> float:
    """A day's column, clipped to the plot at both ends."""
    return min(x + step / 2, LEFT + PLOT_W) - max(LEFT, x - step / 2)


def _path(xs: Sequence[float], values: Sequence[float | None]) -> str:
    """An SVG path through the values, lifting the pen over every missing day."""
    commands, pen_down = [], False
    for x, value in zip(xs, values):
        if value is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{_round(x):g} {_y(value):g}")
        pen_down = True
    return " ".join(commands)


def _points(xs, days: Sequence[Day], values, what: str) -> tuple[Point, ...]:
    """A marker per day with a score, labelled for a tooltip."""
    return tuple(Point(_round(x), _y(v), f"{d.local_date:%a %-d %b}: {what} {v}/10")
                 for x, d, v in zip(xs, days, values) if v is not None)
