"""The running-load rules of app/domain/running.py, at their boundaries (no app, no database)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.domain.gate import Offer as GateOffer
from app.domain.gate import Withheld
from app.domain.running import (
    DayHealth,
    RunFacts,
    amber_advice,
    ceiling_for,
    is_spike,
    judge,
    local_day,
    pain_reasons,
    run_offer_today,
    run_problems,
    weekly,
)

DAY = date(2026, 3, 16)  # a Monday


def run(days_before: int, km: float | None = None, minutes: float = 30, **kw) -> RunFacts:
    metres = None if km is None else round(km * 1000)
    return RunFacts(DAY - timedelta(days=days_before), metres, round(minutes * 60), **kw)


def test_ceiling_is_ten_percent_over_the_longest_of_the_previous_30_days():
    ceiling = ceiling_for([run(3, 8), run(10, 10), run(20, 6)], DAY)
    assert (ceiling.longest_m, ceiling.max_m) == (10_000, 11_000)


@pytest.mark.parametrize("metres, spike", [(10_999, False), (11_000, False), (11_001, True)])
def test_exactly_ten_percent_longer_is_allowed_one_metre_more_is_a_spike(metres, spike):
    ceiling = ceiling_for([run(5, 10)], DAY)
    assert is_spike(RunFacts(DAY, metres, 3600), ceiling)[0] is spike


@pytest.mark.parametrize("days_before, counted", [(1, True), (30, True), (31, False), (0, False)])
def test_window_is_the_30_local_days_before_the_run(days_before, counted):
    ceiling = ceiling_for([run(days_before, 10)], DAY)
    assert (ceiling.longest_m == 10_000) is counted


def test_no_run_in_30_days_means_no_ceiling_and_no_spike():
    ceiling = ceiling_for([run(31, 5)], DAY)
    assert not ceiling.known
    assert is_spike(RunFacts(DAY, 42_000, 4 * 3600), ceiling) == (False, None)


@pytest.mark.parametrize("seconds, spike", [(3960, False), (3961, True)])
def test_treadmill_runs_are_judged_by_time(seconds, spike):
    ceiling = ceiling_for([run(2, 12, minutes=60)], DAY)
    assert ceiling.max_s == 3960
    treadmill = RunFacts(DAY, 15_000, seconds, terrain="treadmill")
    assert is_spike(treadmill, ceiling)[0] is spike


def test_a_run_without_distance_is_judged_by_time_and_never_sets_the_distance_ceiling():
    ceiling = ceiling_for([run(2, None, minutes=50), run(4, 5, minutes=30)], DAY)
    assert ceiling.longest_m == 5000 and ceiling.longest_s == 3000
    assert is_spike(RunFacts(DAY, None, 3301), ceiling)[0] is True


def test_treadmill_distance_does_not_raise_the_outdoor_ceiling():
    ceiling = ceiling_for([RunFacts(DAY - timedelta(days=1), 20_000, 3600, terrain="treadmill"), run(3, 5)], DAY)
    assert ceiling.longest_m == 5000


def test_spike_reports_how_far_over_the_previous_longest():
    spike, over = is_spike(RunFacts(DAY, 12_500, 4000), ceiling_for([run(1, 10)], DAY))
    assert spike and over == pytest.approx(0.25)


def test_a_same_day_run_does_not_raise_the_ceiling_for_the_second_run():
    runs = [RunFacts(DAY - timedelta(days=2), 10_000, 3000), RunFacts(DAY, 11_000, 3300),
            RunFacts(DAY, 12_000, 3600)]
    verdicts = judge(runs, {})
    assert [v.spike for v in verdicts.values()] == [False, False, True]


@pytest.mark.parametrize("zone, expected", [
    ("UTC", date(2026, 3, 15)),
    ("Pacific/Auckland", date(2026, 3, 16)),   # +13: already Monday
    ("America/Los_Angeles", date(2026, 3, 15)),
])
def test_a_run_belongs_to_the_athletes_local_day(zone, expected):
    assert local_day(datetime(2026, 3, 15, 22, 30), zone) == expected


def test_time_zone_moves_a_run_across_the_window_edge():
    """A run at 23:00 UTC 31 days before is inside the window for a runner in Auckland (it was
    already the next morning there, 30 days before), outside it for a runner in London."""
    moment = datetime.combine(DAY - timedelta(days=31), datetime.min.time()) + timedelta(hours=23)
    for zone, counted in (("Europe/London", False), ("Pacific/Auckland", True)):
        facts = RunFacts(local_day(moment, zone), 10_000, 3000)
        assert (ceiling_for([facts], DAY).longest_m == 10_000) is counted


def test_pain_during_above_two_marks_a_run_and_two_does_not():
    assert pain_reasons(RunFacts(DAY, 5000, 1800, pain_during=2), None, None) == ()
    assert "pain during was 3/10" in pain_reasons(RunFacts(DAY, 5000, 1800, pain_during=3), None, None)[0]


def test_pain_after_is_compared_with_that_mornings_baseline():
    facts = RunFacts(DAY, 5000, 1800, pain_during=1, pain_after=2)
    assert pain_reasons(facts, DayHealth(pain_now=2), None) == ()
    assert pain_reasons(facts, DayHealth(pain_now=1), None)
    assert pain_reasons(facts, None, None)  # no check-in: baseline 0
    assert pain_reasons(RunFacts(DAY, 5000, 1800, pain_after=None), None, None) == ()


@pytest.mark.parametrize("next_day, marked", [
    (DayHealth(pain_now=1), False), (DayHealth(pain_now=2), True),
    (DayHealth(pain_now=0, after_session="worse"), True), (None, False),
])
def test_a_worse_next_morning_marks_the_run(next_day, marked):
    reasons = pain_reasons(RunFacts(DAY, 5000, 1800, pain_during=0), DayHealth(pain_now=1), next_day)
    assert bool(reasons) is marked


def gate_offer(mode="train", high_load=True, calm_once=None):
    """What the safety gate answered today (app/domain/gate.py)."""
    withheld = () if mode == "train" else (Withheld("run", "Pain now 7/10 is in the high-risk zone."),)
    return GateOffer(mode, ("strength",) if mode == "train" else (), "run", high_load, withheld,
                     calm_once=calm_once)


def test_a_day_the_gate_offers_nothing_offers_no_run():
    offer = run_offer_today(gate_offer("recovery", high_load=False), [run(2, 10)], DAY)
    assert offer.kind == "none" and offer.advice == ("Pain now 7/10 is in the high-risk zone.",)


def test_a_calm_day_offers_the_ceiling_without_advice():
    offer = run_offer_today(gate_offer(), [run(2, 10)], DAY)
    assert offer.kind == "normal" and offer.ceiling.max_m == 11_000 and offer.advice == ()


def test_amber_day_gives_la_trobe_advice_and_a_shorter_run():
    offer = run_offer_today(gate_offer(high_load=False, calm_once="today's check-in is green (it is amber)"),
                            [run(2, 10, cadence=160)], DAY)
    text = " ".join(offer.advice)
    assert offer.kind == "amber"
    assert offer.why == "Your usual running comes back once today's check-in is green (it is amber)."
    assert "8.8 km" in text and "10–20% slower" in text and "4 minutes running, 1 minute walking" in text
    assert "downhills" in text and "from about 160 to 168–176" in text


@pytest.mark.parametrize("cadence, advised", [(170, True), (171, False), (None, False)])
def test_cadence_advice_only_at_or_below_170(cadence, advised):
    text = " ".join(amber_advice(ceiling_for([run(1, 5)], DAY), cadence))
    assert ("cadence" in text) is advised


def test_weekly_groups_twelve_monday_weeks_with_pain_and_spikes():
    runs = [run(1, 5, pain_during=1), run(0, 6, pain_during=3), run(7, 4), run(7 * 12, 20)]
    health = {DAY: DayHealth(pain_now=2), DAY + timedelta(days=1): DayHealth(pain_now=4)}
    weeks = weekly(runs, judge(runs, health), health, DAY)
    assert len(weeks) == 12 and weeks[-1].start == DAY and weeks[0].start == DAY - timedelta(weeks=11)
    this, last = weeks[-1], weeks[-2]
    assert (this.distance_m, this.runs, this.worst_pain_during, this.worst_next_morning) == (6000, 1, 3, 4)
    assert (last.distance_m, last.runs) == (9000, 2)
    assert last.worst_next_morning == 2 and this.pain_marked == 1
    assert sum(w.distance_m for w in weeks) == 15_000  # the run 12 weeks back is outside


@pytest.mark.parametrize("distance, duration, day, field", [
    (200_000, 36_000, DAY, "distance"),
    (150_001, 80_000, DAY, "distance"),
    (0, 1_500, DAY, "distance"),
    (10_000, 59, DAY, "duration"),
    (10_000, 86_401, DAY, "duration"),
    (10_000, 1_200, DAY, "duration"),          # 2:00 /km
    (10_000, 1_499, DAY, "duration"),          # just under 2:30 /km
    (5_000, 1_500, DAY + timedelta(days=1), "date"),
    (5_000, 1_500, date(1999, 12, 31), "date"),
])
def test_implausible_runs_are_named_by_field(distance, duration, day, field):
    assert field in run_problems(distance, duration, day, DAY)


@pytest.mark.parametrize("distance, duration", [(150_000, 86_400), (10_000, 1_500), (None, 60)])
def test_plausible_runs_have_no_problems(distance, duration):
    assert run_problems(distance, duration, DAY, DAY) == {}
