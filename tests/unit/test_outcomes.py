"""The outcome measures' scoring, schedule and MCID rules (app/domain/outcomes.py).

Worked examples computed by hand from Kujala et al. 1993 (Arthroscopy 9:159), item points as
tabled in PMC10362729 (J Orthop 2023;42:54, "Parameter / Score"): limp 5/3/0, support 5/3/0,
walking 5/3/2/0, stairs 10/8/5/0, squatting 5/4/3/2/0, running 10/8/6/3/0, jumping 10/7/2/0,
sitting 10/8/6/4/0, pain 10/8/6/3/0, swelling 10/8/6/4/0, kneecap 10/6/4/2/0, thigh 5/3/0,
flexion 5/3/0.
"""
from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from app.domain import outcomes as o

D0 = date(2026, 3, 2)


def _answers(*indices: int) -> dict[str, str]:
    return dict(zip(o.AKPS_KEYS, (str(i) for i in indices), strict=True))


def test_the_item_maxima_are_kujalas_and_add_up_to_100():
    maxima = {item.key: item.maximum for item in o.AKPS_ITEMS}
    assert maxima == {"limp": 5, "support": 5, "walking": 5, "stairs": 10, "squatting": 5, "running": 10,
                      "jumping": 10, "sitting": 10, "pain": 10, "swelling": 10, "kneecap": 10, "thigh": 5,
                      "flexion": 5}
    assert sum(maxima.values()) == 100


def test_the_option_points_are_the_1993_ones():
    assert {item.key: [p for _, p in item.options] for item in o.AKPS_ITEMS} == {
        "limp": [5, 3, 0], "support": [5, 3, 0], "walking": [5, 3, 2, 0], "stairs": [10, 8, 5, 0],
        "squatting": [5, 4, 3, 2, 0], "running": [10, 8, 6, 3, 0], "jumping": [10, 7, 2, 0],
        "sitting": [10, 8, 6, 4, 0], "pain": [10, 8, 6, 3, 0], "swelling": [10, 8, 6, 4, 0],
        "kneecap": [10, 6, 4, 2, 0], "thigh": [5, 3, 0], "flexion": [5, 3, 0],
    }


def test_best_and_worst_answers_score_100_and_0():
    assert o.score_akps(_answers(*[0] * 13)) == 100
    worst = [len(item.options) - 1 for item in o.AKPS_ITEMS]
    assert o.score_akps(_answers(*worst)) == 0


def test_a_runner_with_mild_patellofemoral_pain_scores_84():
    # By hand: 5+5+5 + 8 (slight pain descending) + 4 (repeated squatting) + 6 (pain from start)
    # + 7 (slight difficulty jumping) + 8 (sitting: after exercise) + 8 (slight, occasional)
    # + 8 (swelling after severe exertion) + 10 + 5 + 5 = 84
    answers = _answers(0, 0, 0, 1, 1, 2, 1, 1, 1, 1, 0, 0, 0)
    assert o.akps_item_points(answers)["running"] == 6
    assert o.score_akps(answers) == 84


def test_a_worse_knee_scores_40():
    # By hand: 3+3+3 + 5 + 2 + 3 + 2 + 4 + 3 + 4 + 2 + 3 + 3 = 40
    assert o.score_akps(_answers(1, 1, 1, 2, 3, 3, 2, 3, 3, 3, 3, 1, 1)) == 40


@pytest.mark.parametrize("change", [
    {"stairs": None}, {"stairs": ""}, {"stairs": "4"}, {"stairs": "-1"}, {"stairs": "x"},
    {"stairs": "1.5"}, {"stairs": True}, {"stairs": "٣"}, {"limp": "3"},
])
def test_a_missing_or_out_of_range_answer_is_refused_beside_its_item(change):
    answers = {**_answers(*[0] * 13), **change}
    with pytest.raises(o.AnswerError) as refused:
        o.score_akps(answers)
    assert refused.value.field == next(iter(change))


def test_an_unknown_question_is_refused():
    with pytest.raises(o.AnswerError):
        o.score_akps({**_answers(*[0] * 13), "koos_p1": "0"})


def test_psfs_is_the_mean_of_the_ratings():
    # By hand: (3 + 5 + 9) / 3 = 17/3 ≈ 5.7
    score = o.score_psfs(["3", "5", "9"], 3)
    assert score == Fraction(17, 3)
    assert o.fmt(score) == "5.7"
    assert o.score_psfs([4], 1) == 4


@pytest.mark.parametrize("ratings, count", [(["11"], 1), (["-1"], 1), ([""], 1), (["3"], 2), (["1", "2", "3", "4"], 4)])
def test_psfs_refuses_bad_ratings(ratings, count):
    with pytest.raises(o.AnswerError):
        o.score_psfs(ratings, count)


def test_psfs_activities_are_trimmed_and_limited():
    assert o.clean_activities(["  running   downhill ", "", None, "stairs"]) == ["running downhill", "stairs"]
    with pytest.raises(o.AnswerError, match="at least one"):
        o.clean_activities(["", "  "])
    with pytest.raises(o.AnswerError) as refused:
        o.clean_activities(["ok", "x" * 10_000])
    assert refused.value.field == "activity_2"


@pytest.mark.parametrize("answer, value", [("7", 7), ("-7", -7), ("0", 0), ("+3", 3), (-2, -2)])
def test_groc_accepts_minus_7_to_plus_7(answer, value):
    assert o.score_groc(answer) == value


@pytest.mark.parametrize("answer", ["8", "-8", "", None, "two", True, "1e1"])
def test_groc_refuses_anything_else(answer):
    with pytest.raises(o.AnswerError):
        o.score_groc(answer)


# ── schedule ────────────────────────────────────────────────────────────────────────────────

def test_baseline_is_due_from_the_start_and_late_after_the_first_week():
    assert o.due(D0, [], D0) == o.Due(baseline=True, since=D0, late=False)
    assert o.due(D0, [], D0 + timedelta(days=6)).late is False
    assert o.due(D0, [], D0 + timedelta(days=7)).late is True


def test_follow_up_is_due_interval_weeks_after_the_last_round():
    rounds = [D0 + timedelta(days=2)]
    assert o.due(D0, rounds, D0 + timedelta(days=2)) is None
    assert o.due(D0, rounds, D0 + timedelta(days=29)) is None
    assert o.due(D0, rounds, D0 + timedelta(days=30)) == o.Due(baseline=False, since=D0 + timedelta(days=30))
    assert o.due(D0, rounds, D0 + timedelta(days=16), interval_weeks=2) is not None
    assert o.due(D0, rounds, D0 + timedelta(days=15), interval_weeks=2) is None


def test_a_late_round_moves_the_next_one():
    rounds = [D0, D0 + timedelta(days=40)]
    assert o.due(D0, rounds, D0 + timedelta(days=67)) is None
    assert o.due(D0, rounds, D0 + timedelta(days=68)) is not None


def test_a_coach_request_makes_one_due_until_answered():
    rounds = [D0]
    asked = D0 + timedelta(days=5)
    assert o.due(D0, rounds, asked, requested_on=asked) == o.Due(False, asked, requested=True)
    assert o.due(D0, [D0, asked], asked + timedelta(days=1), requested_on=asked) is None


@pytest.mark.parametrize("weeks", [1, 7, 0, True])
def test_the_interval_must_be_2_to_6_weeks(weeks):
    with pytest.raises(ValueError):
        o.due(D0, [], D0, interval_weeks=weeks)


# ── changes against the MCID ────────────────────────────────────────────────────────────────

def test_akps_changes_are_marked_at_10_points_and_not_below():
    points = o.changes([(D0, 60), (D0 + timedelta(weeks=4), 69), (D0 + timedelta(weeks=8), 70),
                        (D0 + timedelta(weeks=12), 50)], o.MCID["akps"])
    assert [(p.change, p.meaningful) for p in points] == [(0, False), (9, False), (10, True), (-10, True)]
    assert o.is_meaningful_drop(points[-1])
    assert not o.is_meaningful_drop(points[2])


def test_psfs_changes_are_marked_at_2_points():
    points = o.changes([(D0, Fraction(4)), (D0 + timedelta(weeks=4), Fraction(17, 3))], o.MCID["psfs"])
    assert points[-1].change == Fraction(5, 3) and not points[-1].meaningful


def test_readings_are_plain():
    start, later = D0, D0 + timedelta(weeks=8)
    assert o.reading("akps", [(start, 62), (later, 76)]) == (
        "Kujala up 14 points since you started — a change that matters.")
    assert o.reading("akps", [(start, 62), (later, 66)]) == (
        "Kujala up 4 points since you started — less than the 10 points that count as a real change.")
    assert "drop that matters" in o.reading("akps", [(start, 62), (later, 50)])
    assert o.reading("akps", [(start, 62)]).startswith("Kujala: 62 at the start")
    assert o.reading("akps", [(start, 62), (later, 62)]) == "Kujala is the same as when you started."
    assert o.reading("akps", [(start, 62), (later, 63)]).startswith("Kujala up 1 point since")
    assert "a change that matters" in o.reading("nprs", [(start, Fraction(5)), (later, Fraction(3))])


# ── the pain trend ──────────────────────────────────────────────────────────────────────────

def _week(end: date, values: list[int]) -> dict[date, int]:
    return {end - timedelta(days=6 - n): v for n, v in enumerate(values)}


def test_pain_weeks_mark_a_fall_of_1_2_and_not_1_1():
    end = D0 + timedelta(days=20)
    # Week 1: mean 4. Week 2: mean 2.9 (a fall of 1.1). Week 3: mean 2.8 (a fall of 1.2).
    pains = {**_week(end - timedelta(days=14), [4] * 7), **_week(end - timedelta(days=7), [3] * 6 + [2]),
             **_week(end, [3] * 5 + [2, 2])}
    weeks = o.pain_weeks(pains, D0, end)
    assert [w.average for w in weeks] == [4, Fraction(20, 7), Fraction(19, 7)]
    # 4 − 20/7 = 8/7 ≈ 1.14: not marked; 4 − 19/7 = 9/7 ≈ 1.29: marked.
    assert [w.meaningful for w in weeks] == [False, False, True]


def test_pain_weeks_exactly_1_2_counts_and_thin_weeks_have_no_average():
    end = D0 + timedelta(days=13)
    pains = {**_week(end - timedelta(days=7), [5] * 5), **_week(end, [4, 4, 4, 4, 3])}
    weeks = o.pain_weeks(pains, D0, end)
    # Week 1 has the days D0+2..D0+6 (5 values of 5): mean 5. Week 2: (4*4 + 3)/5 = 3.8: a fall of 1.2.
    assert weeks[-1].average == Fraction(19, 5) and weeks[-1].change == Fraction(-6, 5)
    assert weeks[-1].meaningful
    thin = o.pain_weeks({end: 3, end - timedelta(days=1): 3}, D0, end)
    assert thin[-1].average is None and not thin[-1].meaningful


def test_an_outcome_drop_ranks_just_after_red_flags():
    from app.domain.coaching import AthleteDay, attention

    day = AthleteDay("Riley", D0, "green", 0, None, D0, outcome_drop="Kujala down 12 since the start")
    assert attention(day) == (1, ("Kujala down 12 since the start",))
    flagged = AthleteDay("Riley", D0, "green", 1, None, D0, outcome_drop="Kujala down 12 since the start")
    assert attention(flagged)[1][0] == "1 red check-in to acknowledge"
    assert attention(AthleteDay("Riley", D0, "green", 0, None, D0))[0] == 4


def test_a_coach_or_physio_reads_of_the_start_not_of_you():
    start, later = D0, D0 + timedelta(weeks=8)
    assert o.reading("akps", [(start, 62), (later, 50)], for_runner=False) == (
        "Kujala down 12 points since the start — a drop that matters.")
    assert o.reading("akps", [(start, 62), (later, 62)], for_runner=False) == "Kujala is the same as at the start."
