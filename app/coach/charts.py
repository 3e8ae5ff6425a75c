"""The dashboard's sparkline as SVG markup, built in Python rather than in a template: the
board draws one per athlete (a thousand for a big squad), and a template loop per element
would cost more than all the rest of a card. The athlete page's larger chart stays a template
(templates/coach/_charts.html); both draw the same geometry from app.domain.charts.sparkline.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from app.domain.charts import Sparkline


def sparkline_svg(chart: Sparkline, label: str) -> Markup:
    """An inline SVG sparkline with a text alternative; colours come from app.css classes."""
    width, height, limit = chart.width, chart.height, chart.y(2.5)
    lines = "".join(f'<polyline class="spark-line" points="{points}"></polyline>' for points in chart.lines)
    dots = "".join(f'<path class="dot dot-{zone}" d="{path}"></path>' for zone, path in chart.dot_paths())
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" focusable="false">'
        f'<line class="spark-limit" x1="0" x2="{width}" y1="{limit:g}" y2="{limit:g}"></line>{lines}{dots}</svg>'
    )
