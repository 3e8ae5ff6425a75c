"""The pain chart's geometry (app/checkin/chart.py)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.checkin.chart import HEIGHT, LEFT, PLOT_H, PLOT_W, TOP, WIDTH, Day, build_chart

START = date(2026, 10, 22)


def days(*scores):
    """Consecutive days from START; None is a day without a check-in."""
    return [Day(START + timedelta(days=i), s, None if s is None else s + 1) for i, s in enumerate(scores)]


def test_scores_map_onto_the_plot():
    chart = build_chart(days(0, 10))
    assert chart.pain_now_path == f"M{LEFT} {TOP + PLOT_H} L{LEFT + PLOT_W} {TOP}"
    assert (chart.width, chart.height) == (WIDTH, HEIGHT)


def test_lines_break_over_days_without_a_checkin():
    chart = build_chart(days(1, 2, None, 3, None, None, 4))
    assert chart.pain_now_path.count("M") == 3 and chart.pain_now_path.count("L") == 1
    assert len(chart.gaps) == 3 and len(chart.pain_now_points) == 4


def test_gaps_stay_inside_the_plot():
    chart = build_chart(days(None, 1, None))
    (x0, w0), (x1, w1) = chart.gaps
    assert x0 == LEFT and x1 + w1 == pytest.approx(LEFT + PLOT_W, abs=0.1)
    assert w0 == pytest.approx(PLOT_W / 4, abs=0.1)


def test_the_average_bridges_gaps_while_the_week_has_scores():
    chart = build_chart(days(2, None, None, 4))
    assert chart.average_path.count("M") == 1 and chart.average_path.count("L") == 3


def test_points_are_labelled_for_people():
    chart = build_chart(days(3, 5))
    assert chart.pain_now_points[0].label == "Thu 22 Oct: pain now 3/10"
    assert chart.worst_points[1].label == "Fri 23 Oct: worst pain 6/10"


def test_date_labels_count_back_a_week_at_a_time_from_today():
    chart = build_chart(days(*([1] * 30)))
    labels = [label for _x, label in chart.x_ticks]
    assert labels == ["20 Nov", "13 Nov", "6 Nov", "30 Oct", "23 Oct"]


def test_an_empty_month_draws_no_lines():
    chart = build_chart(days(*([None] * 30)))
    assert chart.pain_now_path == chart.worst_path == chart.average_path == ""
    assert len(chart.gaps) == 30


def test_a_chart_needs_two_days():
    with pytest.raises(ValueError):
        build_chart(days(1))
