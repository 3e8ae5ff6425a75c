"""Chart geometry: every chart KneeReady draws, as plain numbers for a server-rendered SVG (and
the physio report's PDF). No Flask, no JavaScript.

A chart is drawn inside a `Frame`: the plot area sits within margins, values map to y with the
highest at the top, and a line through days lifts the pen over every day without a value, so
gaps are never papered over. The pain-history chart (check-in), the questionnaire charts
(outcomes) and the running chart build on the frame; the 0–10 sparklines of the coach's board
and athlete page are a small fixed-size variant with a cached grid.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from app.domain.coaching import pain_zone


def r1(value: float) -> float:
    """Coordinates are written to a tenth of a unit."""
    return round(value, 1)


@dataclass(frozen=True)
class Frame:
    """A chart's canvas (viewBox units) and the plot area inside its margins."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def plot(self) -> tuple[float, float, float, float]:
        """left, top, width, height of the plot area."""
        return (self.left, self.top, self.plot_w, self.plot_h)

    def y(self, value: float | Fraction, lo: float = 0, hi: float = 10) -> float:
        """A value on the lo–hi scale: hi at the top of the plot, lo at the bottom."""
        return r1(self.top + float((hi - value) / (hi - lo)) * self.plot_h)


def svg_path(points: Iterable[tuple[float, float | None]]) -> str:
    """An SVG path through (x, y) points, lifting the pen wherever y is None."""
    commands, pen_down = [], False
    for x, y in points:
        if y is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{x:g} {y:g}")
        pen_down = True
    return " ".join(commands)


# ── sparklines: daily 0–10 values in a small chart (coach board, athlete page) ───────────────

@dataclass(frozen=True)
class Sparkline:
    """A line chart of 0–10 values: polylines for runs of logged days, dots for every value."""

    width: int
    height: int
    lines: tuple[str, ...]  # SVG "points" attributes
    dots: tuple[tuple[float, float, int, int], ...]  # x, y, value, day index
    pad: float

    def y(self, value: float) -> float:
        """The y coordinate of a value on the 0–10 scale."""
        return _y(value, self.height, self.pad)

    def dot_paths(self) -> tuple[tuple[str, str], ...]:
        """The dots as one SVG path per pain zone: a zero-length segment per dot, which a round
        line cap draws as a circle (few elements for a page of many charts)."""
        by_zone: dict[str, list[str]] = {}
        for x, y, value, _ in self.dots:
            by_zone.setdefault(pain_zone(value), []).append(f"M{x:g} {y:g}h0")
        return tuple((zone, "".join(parts)) for zone, parts in by_zone.items())


def _y(value: float, height: int, pad: float) -> float:
    return round(pad + (1 - value / 10) * (height - 2 * pad), 1)


@cache
def _grid(days: int, width: int, height: int, pad: float) -> tuple[tuple, tuple, tuple]:
    """Worked out once per chart size: each day's x, each pain score's y (0–10), and the
    "x,y" text of every (day, score) point."""
    span = max(days - 1, 1)
    xs = tuple(round(pad + index * (width - 2 * pad) / span, 1) for index in range(days))
    ys = tuple(_y(value, height, pad) for value in range(11))
    return xs, ys, tuple(tuple(f"{x:g},{y:g}" for y in ys) for x in xs)


def sparkline(values: Sequence[int | None], width: int, height: int, pad: float = 3) -> Sparkline:
    """Chart geometry for daily 0–10 values; gaps (None) break the line."""
    xs, ys, texts = _grid(len(values), width, height, pad)
    dots, lines, run = [], [], []
    for index, value in enumerate(values):
        if value is None:
            if len(run) > 1:  # a single point shows as a dot only
                lines.append(" ".join(run))
            run = []
            continue
        dots.append((xs[index], ys[value], value, index))
        run.append(texts[index][value])
    if len(run) > 1:
        lines.append(" ".join(run))
    return Sparkline(width, height, tuple(lines), tuple(dots), pad)
