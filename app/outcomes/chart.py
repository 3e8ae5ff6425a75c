"""One measure over time as plain geometry, drawn by the SVG template and by the PDF alike.

Time runs left to right in proportion to the days between answers; the baseline is a dashed
line and the band around it is the smallest change that matters (MCID): a point outside the
band, or on its edge, is a change that matters and is drawn marked.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from app.domain import outcomes
from app.domain.charts import Frame, r1, svg_path

FRAME = Frame(width=340, height=170, left=30, right=12, top=10, bottom=22)
LEFT, PLOT_W = FRAME.left, FRAME.plot_w

SCALES = {  # measure: (lowest, highest, y ticks)
    "akps": (0, 100, (0, 20, 40, 60, 80, 100)),
    "psfs": (0, 10, (0, 2, 4, 6, 8, 10)),
    "groc": (-7, 7, (-7, -3, 0, 3, 7)),
    "nprs": (0, 10, (0, 2, 4, 6, 8, 10)),
}
TITLES = {"akps": "Kujala knee score (0–100, higher is better)",
          "psfs": "Your activities (0–10, higher is better)",
          "groc": "Compared with the start (−7 to +7)",
          "nprs": "Average pain per week (0–10, lower is better)"}


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str
    marked: bool  # a change at or beyond the MCID


@dataclass(frozen=True)
class ScoreChart:
    measure: str
    title: str
    width: int
    height: int
    plot: tuple[float, float, float, float]
    path: str
    marks: tuple[Mark, ...]
    baseline_y: float | None
    band: tuple[float, float] | None  # (y, height) of the MCID band
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]

    @property
    def empty(self) -> bool:
        return not self.marks


def build(measure: str, values: Sequence[tuple[date, Fraction | None, bool]], start: date, end: date) -> ScoreChart:
    """The chart of (day, value or None, marked) between two days; None values leave a gap."""
    lo, hi, ticks = SCALES[measure]
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        return r1(LEFT + (day - start).days / span * PLOT_W)

    def y(value: Fraction | float) -> float:
        return FRAME.y(min(max(Fraction(value), Fraction(lo)), Fraction(hi)), lo, hi)

    present = [(d, v, m) for d, v, m in values if v is not None]
    baseline = present[0][1] if present and measure in outcomes.MCID else None
    band = None
    if baseline is not None:
        mcid = outcomes.MCID[measure]
        top, bottom = y(baseline + mcid), y(baseline - mcid)
        band = (top, r1(bottom - top))
    marks = tuple(Mark(x(d), y(v), f"{d:%-d %b %Y}: {outcomes.fmt(v)}", m) for d, v, m in present)
    return ScoreChart(
        measure=measure, title=TITLES[measure], width=FRAME.width, height=FRAME.height, plot=FRAME.plot,
        path=svg_path((x(d), None if v is None else y(v)) for d, v, _ in values), marks=marks,
        baseline_y=None if baseline is None else y(baseline), band=band,
        y_ticks=tuple((y(t), str(t)) for t in ticks),
        x_ticks=((LEFT, f"{start:%-d %b}"),) + (((LEFT + PLOT_W, f"{end:%-d %b}"),) if end != start else ()),
    )


def measure_charts(by_kind: dict[str, list[tuple[date, Fraction]]], weeks: Sequence[outcomes.PainWeek],
                   start: date, end: date) -> list[ScoreChart]:
    """The three questionnaire charts and the pain trend, for one period."""
    charts = []
    for measure in ("akps", "psfs"):
        points = outcomes.changes(by_kind.get(measure, []), outcomes.MCID[measure])
        charts.append(build(measure, [(p.local_date, p.score, p.meaningful) for p in points], start, end))
    charts.append(build("groc", [(d, v, False) for d, v in by_kind.get("groc", [])], start, end))
    charts.append(build("nprs", [(w.end, w.average, w.meaningful) for w in weeks], start, end))
    return charts
