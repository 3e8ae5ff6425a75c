"""Coaching rules: invitation codes, who needs attention first, chart geometry, wording."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.charts import sparkline
from app.domain.coaching import (
    CODE_ALPHABET, CODE_LENGTH, AthleteDay, Setback, allowed_stages, attention, average, daily_values, day_label,
    describe_pains, display_code, expires_label, invite_expiry, invite_state, new_code, normalise_code,
    pain_zone, progress_line, since_label, sort_key, target_label,
)

TODAY = date(2026, 11, 20)  # a Friday
NOW = datetime(2026, 11, 20, 12, 0)


def day(**changes) -> AthleteDay:
    """A calm athlete who checked in green today."""
    values = dict(name="Riley", today=TODAY, status_today="green", unacknowledged=0, setback=None, last_active=TODAY)
    return AthleteDay(**{**values, **changes})


# ── invitation codes ─────────────────────────────────────────────────────────────────────────

def test_new_codes_are_long_enough_and_from_the_unambiguous_alphabet():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == CODE_LENGTH >= 8
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("ILOU")


@pytest.mark.parametrize("typed", [
    "KR-7Q4M-X2PD", "kr-7q4m-x2pd", "7Q4MX2PD", " 7q4m x2pd ", "KR 7Q4M X2PD", "kr7q4mx2pd", "7Q4M–X2PD",
])
def test_codes_are_read_however_they_are_typed(typed):
    assert normalise_code(typed) == "7Q4MX2PD"


def test_lookalike_letters_are_read_as_the_digits_they_resemble():
    assert normalise_code("KR-7Q4M-X2PO") == "7Q4MX2P0"
    assert normalise_code("1LI00000") == "11100000"


@pytest.mark.parametrize("typed", [
    None, "", "   ", "KR-", "7Q4MX2P", "7Q4MX2PD9", "KR-7Q4M-X2PU", "7Q4M X2P!", "<script>", "x" * 500,
    "KR-7Q4M-X2PD-KR", "ÄQ4MX2PD", "7Q4MX2PD\x00",
])
def test_malformed_codes_are_refused(typed):
    assert normalise_code(typed) is None


@given(st.text(max_size=60))
def test_normalising_never_fails_and_only_yields_valid_codes(text):
    code = normalise_code(text)
    assert code is None or (len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET))


def test_display_code_round_trips():
    code = new_code()
    assert display_code(code).startswith("KR-") and normalise_code(display_code(code)) == code


@pytest.mark.parametrize("status, expires, state", [
    ("invited", NOW + timedelta(seconds=1), "open"),
    ("invited", NOW, "expired"),
    ("invited", NOW - timedelta(days=1), "expired"),
    ("invited", None, "expired"),
    ("revoked", NOW + timedelta(days=3), "revoked"),
    ("active", NOW + timedelta(days=3), "used"),
    ("declined", NOW + timedelta(days=3), "used"),
    ("ended", NOW + timedelta(days=3), "used"),
])
def test_invite_state(status, expires, state):
    assert invite_state(status, expires, NOW) == state


def test_invitations_last_seven_days():
    assert invite_expiry(NOW) == NOW + timedelta(days=7)


@pytest.mark.parametrize("left, label", [
    (timedelta(days=7), "in 7 days"), (timedelta(days=6, hours=23, minutes=59), "in 7 days"), (timedelta(days=1, hours=2), "in 1 day"), (timedelta(hours=5), "in 5 hours"),
    (timedelta(hours=1), "in 1 hour"), (timedelta(minutes=20), "within the hour"), (timedelta(0), "expired"),
])
def test_expires_label(left, label):
    assert expires_label(NOW + left, NOW) == label


def test_stage_5_is_only_for_returning_runners():
    assert allowed_stages(returning=False) == (1, 2, 3, 4)
    assert allowed_stages(returning=True) == (1, 2, 3, 4, 5)


# ── attention ────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("changes, tier, first_reason", [
    ({}, 4, None),
    ({"status_today": None}, 4, None),
    ({"unacknowledged": 1}, 0, "1 red check-in to acknowledge"),
    ({"unacknowledged": 2, "status_today": "red"}, 0, "2 red check-ins to acknowledge"),
    ({"status_today": "red"}, 1, "Red today"),
    ({"status_today": "amber"}, 2, "Amber today"),
    ({"setback": Setback("step_back", TODAY - timedelta(days=2), "why")}, 2, "Stepped back"),
    ({"setback": Setback("step_back", TODAY - timedelta(days=7), "why")}, 4, None),
    ({"setback": Setback("step_back", TODAY, "why"), "paused": True}, 0, "Stepped back while paused"),
    ({"setback": Setback("hold", TODAY, "why")}, 3, "Held"),
    ({"last_active": TODAY - timedelta(days=3)}, 3, "Nothing logged for 3 days"),
    ({"last_active": TODAY - timedelta(days=2)}, 4, None),
    ({"last_active": None}, 3, "Nothing logged yet"),
])
def test_attention_tiers(changes, tier, first_reason):
    got_tier, reasons = attention(day(**changes))
    assert got_tier == tier
    assert (reasons[0] if reasons else None) == first_reason


def test_unacknowledged_red_flags_sort_first_then_by_urgency_then_name():
    days = {
        1: day(name="Zed"),
        2: day(name="Amy", status_today="amber"),
        3: day(name="Bo", status_today="red"),
        4: day(name="Cy", unacknowledged=1),
        5: day(name="Di", unacknowledged=3),
        6: day(name="al", status_today=None),
        7: day(name="Ed", last_active=TODAY - timedelta(days=9)),
    }
    order = sorted(days, key=lambda athlete_id: sort_key(days[athlete_id], athlete_id))
    assert [days[i].name for i in order] == ["Di", "Cy", "Bo", "Amy", "Ed", "al", "Zed"]


@pytest.mark.parametrize("urgency, first_reason", [
    ("emergency", "Emergency — now"), ("urgent", "Urgent — today"), ("soon", "Soon — within a few days"),
    (None, "1 red check-in to acknowledge"),
])
def test_an_unacknowledged_red_flag_leads_with_its_urgency(urgency, first_reason):
    tier, reasons = attention(day(unacknowledged=1, urgency=urgency))
    assert tier == 0 and reasons[0] == first_reason
    assert "1 red check-in to acknowledge" in reasons


def test_an_acknowledged_urgency_is_not_repeated():
    tier, reasons = attention(day(status_today="red", urgency="emergency"))
    assert (tier, reasons) == (1, ("Red today",))


def test_red_check_ins_sort_by_urgency_emergency_and_urgent_first_then_soon_then_no_flag():
    days = {
        1: day(name="Ann", unacknowledged=3),  # red without a flag, however many
        2: day(name="Bea", unacknowledged=1, urgency="soon"),
        3: day(name="Cal", unacknowledged=1, urgency="urgent"),
        4: day(name="Dot", unacknowledged=1, urgency="emergency"),
        5: day(name="Eve", unacknowledged=2, urgency="urgent"),
        6: day(name="Fay", status_today="red", urgency="emergency"),  # acknowledged: red today only
        7: day(name="Gil", unacknowledged=2, urgency="soon"),
    }
    order = sorted(days, key=lambda athlete_id: sort_key(days[athlete_id], athlete_id))
    assert [days[i].name for i in order] == ["Dot", "Eve", "Cal", "Gil", "Bea", "Ann", "Fay"]


# ── numbers and charts ───────────────────────────────────────────────────────────────────────

def test_daily_values_leave_gaps_for_days_without_a_checkin():
    values = {TODAY: 3, TODAY - timedelta(days=2): 5, TODAY - timedelta(days=20): 9}
    assert daily_values(values, TODAY, 4) == [None, 5, None, 3]


def test_average_ignores_gaps_and_is_none_when_empty():
    assert average([None, 2, 3, None, 4]) == 3.0
    assert average([1, 2]) == 1.5
    assert average([None, None]) is None


def test_line_chart_breaks_at_gaps_and_keeps_a_dot_per_value():
    chart = sparkline([0, 10, None, 5, None, None, 2], width=100, height=40, pad=0)
    assert chart.lines == ("0,40 16.7,0",)  # the single 5 and the lone 2 are dots only
    assert [(x, y, value) for x, y, value, _ in chart.dots] == [(0, 40, 0), (16.7, 0, 10), (50, 20, 5), (100, 32, 2)]


def test_line_chart_of_nothing_is_empty():
    chart = sparkline([None] * 14, 112, 32)
    assert chart.lines == () and chart.dots == ()


@pytest.mark.parametrize("pain, zone", [(0, "green"), (2, "green"), (3, "amber"), (5, "amber"), (6, "red"), (10, "red")])
def test_pain_zones_follow_the_pain_monitoring_model(pain, zone):
    assert pain_zone(pain) == zone


def test_describe_pains_gives_the_chart_a_text_alternative():
    assert describe_pains([None, 2, 4, None, 3]) == (
        "Pain now, last 5 days: 3 check-ins, lowest 2/10, highest 4/10, latest 3/10.")
    assert describe_pains([None, None]) == "Pain now, last 2 days: no check-ins."


@pytest.mark.parametrize("done, label", [(0, "below"), (1, "below"), (2, "met"), (3, "met"), (4, "above")])
def test_session_target_is_two_to_three(done, label):
    assert target_label(done) == label


def test_day_and_since_labels():
    assert day_label(TODAY, TODAY) == "today"
    assert day_label(TODAY - timedelta(days=1), TODAY) == "yesterday"
    assert day_label(date(2026, 11, 17), TODAY) == "Tue 17 Nov"
    assert day_label(date(2025, 12, 30), TODAY) == "Tue 30 Dec 2025"
    assert [since_label(n) for n in (None, 0, 1, 4)] == ["never", "today", "yesterday", "4 days ago"]


@pytest.mark.parametrize("args, line", [
    ((2, None, 1, 3, 4), "Stage 2 · 1 of 3 toward Stage 3"),
    ((3, None, 3, 3, 4), "Stage 3 · streak done, entry test next"),
    ((4, None, 1, 3, 4), "Stage 4 (top) · 1 pain-free day in a row"),
    ((4, None, 0, 3, 5), "Stage 4 · 0 of 3 toward Stage 5"),
    ((5, 3, 0, 1, 5), "Stage 5 · walk–run level 3 of 8"),
])
def test_progress_line(args, line):
    assert progress_line(*args) == line


def test_dots_are_drawn_as_one_path_per_pain_zone():
    chart = sparkline([1, 7, 2], width=20, height=10, pad=0)
    assert chart.dot_paths() == (("green", "M0 9h0M20 8h0"), ("red", "M10 3h0"))
