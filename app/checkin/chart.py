"""The pain history chart as plain geometry for a server-rendered SVG (no Flask, no JS).

Days run left (oldest) to right (today); pain 0–10 runs bottom to top. A day without a
check-in breaks the lines and is drawn as a shaded column, so gaps are never papered over.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.adherence import rolling_average
from app.domain.charts import Frame, r1, svg_path

FRAME = Frame(width=340, height=180, left=26, right=8, top=8, bottom=22)
WIDTH, HEIGHT, LEFT, TOP = FRAME.width, FRAME.height, FRAME.left, FRAME.top
PLOT_W, PLOT_H = FRAME.plot_w, FRAME.plot_h
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
        gaps=tuple((r1(max(LEFT, x - step / 2)), r1(_gap_width(x, step)))
                   for x, d in zip(xs, days) if not d.checked_in),
        y_ticks=tuple((FRAME.y(v), str(v)) for v in Y_TICKS),
        x_ticks=tuple((r1(xs[i]), f"{days[i].local_date:%-d %b}")
                      for i in range(len(days) - 1, -1, -X_LABEL_EVERY)),
        plot=FRAME.plot,
    )


def _gap_width(x: float, step: float) -> float:
    """A day's column, clipped to the plot at both ends."""
    return min(x + step / 2, LEFT + PLOT_W) - max(LEFT, x - step / 2)


def _path(xs: Sequence[float], values: Sequence[float | None]) -> str:
    """A line through the days' scores (pain 10 at the top), lifting the pen over missing days."""
    return svg_path((r1(x), None if value is None else FRAME.y(value)) for x, value in zip(xs, values))


def _points(xs, days: Sequence[Day], values, what: str) -> tuple[Point, ...]:
    """A marker per day with a score, labelled for a tooltip."""
    return tuple(Point(r1(x), FRAME.y(v), f"{d.local_date:%a %-d %b}: {what} {v}/10")
                 for x, d, v in zip(xs, days, values) if v is not None)
