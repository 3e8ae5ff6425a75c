"""The physio report as a PDF (fpdf2: pure Python). Charts are drawn from the same geometry as
the SVG, with fpdf2's own lines and rectangles; black on white, A4 or Letter.

fpdf2's built-in Helvetica covers Latin-1 only, and shipping a font file would add weight to
every install: typographic dashes and quotes are written as their plain ASCII cousins.
"""
from __future__ import annotations

from fpdf import FPDF

from app.outcomes.chart import ScoreChart
from app.outcomes.report import Report

PAPER = {"a4": "A4", "letter": "Letter"}
_PLAIN = str.maketrans({"—": "-", "–": "-", "−": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...",
                        "·": "-", "→": "->", "≥": ">=", "≤": "<=", "±": "+/-"})


def plain(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Doc(FPDF):
    def __init__(self, report: Report, paper: str):
        super().__init__(format=PAPER[paper])
        self.report = report
        self.set_auto_page_break(True, margin=15)
        self.set_title(plain(f"KneeReady report: {report.athlete}"))
        self.set_creator("KneeReady")

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, plain(f"KneeReady - educational only, not a substitute for a clinician - page {self.page_no()}"),
                  align="C")

    def heading(self, text: str):
        self.ln(2)
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 7, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=10)

    def line_text(self, text: str):
        """A line of text, wrapped only when it needs to be (multi_cell is fpdf2's slow path)."""
        text = plain(text)
        if self.get_string_width(text) < self.epw - 2:
            self.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        else:
            self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def table(self, headings: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]):
        self.set_font("Helvetica", "B", 9)
        for text, width in zip(headings, widths):
            self.cell(width, 6, plain(text), border="B")
        self.ln()
        self.set_font("Helvetica", size=9)
        for row in rows:
            for text, width in zip(row, widths):
                self.cell(width, 5.5, plain(text)[:90])
            self.ln()
        self.set_font("Helvetica", size=10)


def render(report: Report, paper: str = "a4") -> bytes:
    """The report's PDF bytes."""
    doc = _Doc(report, paper)
    doc.add_page()
    doc.set_font("Helvetica", "B", 16)
    doc.cell(0, 9, plain(f"Knee report: {report.athlete}"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", size=10)
    doc.line_text(f"{report.email} - {report.start:%-d %b %Y} to {report.end:%-d %b %Y} - made {report.made_on:%-d %b %Y}")
    doc.heading("Where they are")
    doc.line_text(f"Stage {report.stage}{' (paused by the coach)' if report.paused else ''}: {report.stage_why}")
    for reading in report.readings:
        doc.line_text(reading)
    doc.heading("Questionnaire scores (a change that matters: Kujala 10, PSFS 2; marked *)")
    if report.activities:
        doc.line_text(f"PSFS activities (0 = unable, 10 = as before): {'; '.join(report.activities)}.")
    doc.table(("Date", "Kujala AKPS (change)", "PSFS (change)", "GROC"), _rounds(report) or
              [("-", "No questionnaire in this period", "", "")], (30, 48, 40, 62))
    _charts(doc, report.charts)
    marked = [w for w in report.pain_weeks if w.meaningful]
    doc.heading("Pain: 7-day averages")
    first = next((w for w in report.pain_weeks if w.average is not None), None)
    if first is None:
        doc.line_text("Too few check-ins for a weekly average (3 a week are needed).")
    else:
        doc.line_text(f"First week (ending {first.end:%-d %b %Y}): {float(first.average):.1f}/10. "
                      f"{len(marked)} of {len(report.pain_weeks)} weeks differ from it by 1.2 or more"
                      f"{':' if marked else '.'}")
        doc.table(("Week ending", "Average pain", "Check-ins", "Change"),
                  [(f"{w.end:%-d %b %Y}", f"{float(w.average):.1f}", str(w.checkins), f"{float(w.change):+.1f}")
                   for w in marked], (40, 36, 30, 40))
    doc.heading("Adherence")
    doc.line_text(f"Check-ins: {report.checkins}. Warm-ups: {report.warmups}. Strength sessions per week: "
                  f"{report.sessions_per_week} (advised {report.session_target}).")
    doc.heading("Red flags")
    if not report.red_flags:
        doc.line_text("None in this period.")
    for flag in report.red_flags:
        flags = f": {'; '.join(flag.flags)}" if flag.flags else ""
        doc.line_text(f"{flag.local_date:%-d %b %Y} - {flag.urgency}{flags} - {flag.acknowledged}")
    doc.heading("Coach acts")
    if not report.acts:
        doc.line_text("None in this period.")
    for day, coach, what in report.acts:
        doc.line_text(f"{day:%-d %b %Y} - {coach}: {what}")
    return bytes(doc.output())


def _rounds(report: Report) -> list[tuple[str, ...]]:
    """One row per questionnaire day: each score with its change since the first."""
    days: dict = {}
    for score in report.scores:
        row = days.setdefault(score.local_date, {})
        if score.measure == "groc":
            row["groc"] = f"{score.value} {score.change}"
        else:
            row[score.measure] = f"{score.value}" + (f" ({score.change}{' *' if score.meaningful else ''})"
                                                     if score.change else "")
    return [(f"{day:%-d %b %Y}", row.get("akps", "-"), row.get("psfs", "-"), row.get("groc", "-"))
            for day, row in sorted(days.items())]


def _charts(doc: _Doc, charts: tuple[ScoreChart, ...]) -> None:
    """Two charts a row, 85 mm wide, scaled from the SVG's view box."""
    doc.heading("Charts (grey band: the meaningful change around the first score; ringed: beyond it)")
    scale = 85 / charts[0].width
    for n, item in enumerate(charts):
        if n % 2 == 0:
            if doc.get_y() + item.height * scale + 8 > doc.h - 15:
                doc.add_page()
            top = doc.get_y()
        left = doc.l_margin + (n % 2) * 92
        _chart(doc, item, left, top + 5, scale)
        if n % 2 == 1 or n == len(charts) - 1:
            doc.set_y(top + item.height * scale + 7)


def _chart(doc: _Doc, item: ScoreChart, left: float, top: float, k: float) -> None:
    doc.set_font("Helvetica", "B", 8)
    doc.text(left, top - 1, plain(item.title))
    doc.set_font("Helvetica", size=7)
    px, py, pw, ph = item.plot
    if item.band is not None:
        doc.set_fill_color(225, 225, 225)
        y, h = item.band
        doc.rect(left + px * k, top + y * k, pw * k, h * k, style="F")
    doc.set_draw_color(200, 200, 200)
    doc.set_line_width(0.1)
    for y, label in item.y_ticks:
        doc.line(left + px * k, top + y * k, left + (px + pw) * k, top + y * k)
        doc.text(left + 1, top + y * k + 1, label)
    for x, label in item.x_ticks:
        doc.text(left + x * k - (12 if x > px else 0), top + (item.height - 6) * k, label)
    doc.set_draw_color(0, 0, 0)
    if item.baseline_y is not None:
        doc.set_dash_pattern(dash=1, gap=1)
        doc.line(left + px * k, top + item.baseline_y * k, left + (px + pw) * k, top + item.baseline_y * k)
        doc.set_dash_pattern()
    doc.set_line_width(0.4)
    for a, b in zip(item.marks, item.marks[1:]):
        doc.line(left + a.x * k, top + a.y * k, left + b.x * k, top + b.y * k)
    doc.set_fill_color(0, 0, 0)
    for mark in item.marks:
        doc.circle(left + mark.x * k, top + mark.y * k, 0.9, style="F")
        if mark.marked:
            doc.set_line_width(0.3)
            doc.circle(left + mark.x * k, top + mark.y * k, 1.8, style="D")
    if item.empty:
        doc.text(left + (px + pw / 3) * k, top + (py + ph / 2) * k, "No answers in this period")
    doc.set_line_width(0.2)
