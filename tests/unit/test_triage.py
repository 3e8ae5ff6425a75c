"""Triage of a check-in, rule by rule, against shared/DOMAIN.md ("Triage of a check-in")."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.triage import (
    AFTER_SESSION,
    AGGRAVATORS,
    CALF_BREATHLESS_MESSAGE,
    LOCATIONS,
    RED_FLAGS,
    STIFFNESS,
    SWELLING,
    URGENCY,
    URGENCY_ADVICE,
    URGENCY_SHORT,
    URGENCY_TITLES,
    CheckinAnswers,
    TriageThresholds,
    flag_urgency,
    triage,
    urgency_of,
    urgency_rank,
    validate,
)

CALM = CheckinAnswers(pain_now=0, worst_pain=0, stiffness="none", swelling="none")
RANK = {"green": 0, "amber": 1, "red": 2}


def answers(**changes) -> CheckinAnswers:
    """A calm check-in with some answers changed."""
    return replace(CALM, **changes)


def flagged(*keys: str, breathless: bool | None = None) -> CheckinAnswers:
    """A calm check-in with red flags ticked; the calf follow-up answered "no" unless given."""
    if "swollen_tender_calf" in keys and breathless is None:
        breathless = False
    return answers(red_flags=frozenset(keys), calf_breathless=breathless)


# (name, answers, pain-now history of the previous 7 days, expected status)
RULES = [
    ("nothing wrong", answers(), [], "green"),
    ("pain now 2 is the safe zone", answers(pain_now=2), [], "green"),
    ("pain now 3 starts the caution zone", answers(pain_now=3), [], "amber"),
    ("pain now 5 is still caution", answers(pain_now=5), [], "amber"),
    ("pain now 6 is red", answers(pain_now=6), [], "red"),
    ("pain now 10 is red", answers(pain_now=10), [], "red"),
    ("worst pain 4 is fine", answers(worst_pain=4), [], "green"),
    ("worst pain 5 is amber", answers(worst_pain=5), [], "amber"),
    ("worst pain 10 alone is amber, not red", answers(worst_pain=10), [], "amber"),
    ("no recent activity to rate", answers(worst_pain=None), [], "green"),
    ("up exactly 2 on the 7-day average", answers(pain_now=2), [0] * 7, "amber"),
    ("up 1.9 on the average is not enough", answers(pain_now=2), [0] * 9 + [1], "green"),
    ("up 1.5 on the average", answers(pain_now=2), [1, 0], "green"),
    ("no history: no average to compare", answers(pain_now=2), [], "green"),
    ("lower than the average", answers(pain_now=0), [5, 5], "green"),
    ("no swelling", answers(swelling="none"), [], "green"),
    ("mild swelling is amber", answers(swelling="mild"), [], "amber"),
    ("obvious swelling is the red flag 'large swelling'", answers(swelling="obvious"), [], "red"),
    ("no stiffness", answers(stiffness="none"), [], "green"),
    ("stiff under 30 minutes is fine", answers(stiffness="under_30"), [], "green"),
    ("stiff over 30 minutes is amber", answers(stiffness="over_30"), [], "amber"),
] + [
    (f"red flag {key}", flagged(key), [], "red") for key in RED_FLAGS
]


@pytest.mark.parametrize(
    "checkin, history, expected", [row[1:] for row in RULES], ids=[row[0] for row in RULES]
)
def test_each_rule_and_boundary(checkin, history, expected):
    assert triage(checkin, history).status == expected


@pytest.mark.parametrize("key", list(RED_FLAGS))
def test_red_flags_say_how_soon_and_where_and_alert_the_coach(key):
    verdict = triage(flagged(key))
    assert verdict.see_clinician and verdict.alert_coach
    assert verdict.headline == "Don't run today."
    assert verdict.urgency == URGENCY[key]
    assert URGENCY_ADVICE[verdict.urgency] in verdict.guidance[0]
    assert any(reason.startswith(f"Red flag: {RED_FLAGS[key][0].lower()}{RED_FLAGS[key][1:]}")
               for reason in verdict.reasons)


@pytest.mark.parametrize("checkin", [flagged("swollen_tender_calf"), answers(swelling="obvious")])
def test_a_red_flag_means_no_recovery_routine_either(checkin):
    guidance = " ".join(triage(checkin).guidance)
    assert "rest it until a clinician has checked it" in guidance
    assert "recovery routine" not in guidance
    assert "recovery routine" in " ".join(triage(answers(pain_now=7)).guidance)


def test_obvious_swelling_is_treated_as_a_red_flag():
    verdict = triage(answers(swelling="obvious"))
    assert verdict.see_clinician and verdict.alert_coach
    assert any("large swelling" in reason for reason in verdict.reasons)


def test_high_pain_without_a_red_flag_is_red_but_needs_no_referral():
    verdict = triage(answers(pain_now=7))
    assert (verdict.status, verdict.see_clinician, verdict.alert_coach) == ("red", False, True)
    assert not any("clinician" in line for line in verdict.guidance)


def test_reasons_read_plainly():
    assert triage(answers(pain_now=4)).reasons == ("Pain now 4/10 (3–5 is the caution zone)",)
    locks = triage(answers(red_flags=frozenset({"locks_or_gives_way"})))
    assert locks.reasons == ("Red flag: knee locks or gives way",)
    rise = triage(answers(pain_now=2), [0, 0, 0])
    assert rise.reasons == ("Pain now 2/10 is up 2 on your 7-day average of 0/10",)


def test_every_reason_is_listed_red_first():
    verdict = triage(answers(pain_now=7, swelling="mild", stiffness="over_30"))
    assert verdict.reasons == (
        "Pain now 7/10 (6 or more is the high-risk zone)",
        "Mild swelling",
        "Morning stiffness for more than 30 minutes",
    )


@pytest.mark.parametrize(
    "checkin, headline",
    [
        (answers(), "Good to go: warm up first."),
        (answers(pain_now=3), "Run easy and short today."),
        (answers(pain_now=6), "Don't run today."),
    ],
)
def test_headlines(checkin, headline):
    assert triage(checkin).headline == headline


@pytest.mark.parametrize("checkin", [answers(pain_now=4), answers(pain_now=8)],
                         ids=["amber", "red"])
def test_sharp_or_worsening_pain_is_never_pushed_through(checkin):
    assert any("never pushed through" in line for line in triage(checkin).guidance)


def test_amber_guidance_follows_the_domain():
    guidance = " ".join(triage(answers(pain_now=3)).guidance)
    assert "easy and short" in guidance
    assert "Skip high-impact drills" in guidance
    assert "low-impact warm-up" in guidance


def test_thresholds_can_be_adjusted():
    strict = TriageThresholds(red_pain_now=5, amber_pain_now=2, amber_worst_pain=4, amber_rise=1)
    assert triage(answers(pain_now=5), thresholds=strict).status == "red"
    assert triage(answers(pain_now=2), thresholds=strict).status == "amber"
    assert triage(answers(worst_pain=4), thresholds=strict).status == "amber"
    assert triage(answers(pain_now=1), [0, 0], thresholds=strict).status == "amber"
    assert triage(answers(pain_now=2), thresholds=strict).reasons[0].endswith(
        "(2–4 is the caution zone)"
    )


def test_choice_lists_are_plain_and_ordered():
    assert list(LOCATIONS) == ["front_kneecap", "below_kneecap", "inner", "outer", "back"]
    assert list(AGGRAVATORS) == ["stairs", "downhill", "sitting", "squatting", "running"]
    assert list(STIFFNESS) == ["none", "under_30", "over_30"]
    assert list(SWELLING) == ["none", "mild", "obvious"]
    assert list(AFTER_SESSION) == ["better", "same", "worse"]
    assert len(RED_FLAGS) == 10
    for labels in (RED_FLAGS, LOCATIONS, AGGRAVATORS, STIFFNESS, SWELLING, AFTER_SESSION):
        assert all(label and label[0].isupper() for label in labels.values())


# ── validate() ───────────────────────────────────────────────────────────────────────────────

BAD = [
    ("pain_now", answers(pain_now=11)),
    ("pain_now", answers(pain_now=-1)),
    ("pain_now", answers(pain_now=True)),
    ("pain_now", answers(pain_now="3")),
    ("pain_now", answers(pain_now=2.5)),
    ("worst_pain", answers(worst_pain=11)),
    ("worst_pain", answers(worst_pain=-2)),
    ("stiffness", answers(stiffness="all day")),
    ("swelling", answers(swelling="huge")),
    ("red_flags", answers(red_flags=frozenset({"cannot_bear_weight", "aliens"}))),
    ("locations", answers(locations=frozenset({"elbow"}))),
    ("aggravators", answers(aggravators=frozenset({"cycling"}))),
    ("after_session", answers(after_session="meh")),
    ("calf_breathless", answers(red_flags=frozenset({"swollen_tender_calf"}), calf_breathless="yes")),
]


@pytest.mark.parametrize("field, checkin", BAD, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD)])
def test_validate_names_the_field_in_error(field, checkin):
    errors = validate(checkin)
    assert list(errors) == [field]
    assert errors[field].endswith(".")
    with pytest.raises(ValueError):
        triage(checkin)


def test_validate_names_the_unknown_choice():
    errors = validate(answers(locations=frozenset({"elbow"})))
    assert errors == {"locations": "Unknown choice: elbow."}


def test_a_full_valid_checkin_has_no_errors():
    full = CheckinAnswers(
        pain_now=10,
        worst_pain=None,
        stiffness="over_30",
        swelling="obvious",
        red_flags=frozenset(RED_FLAGS),
        locations=frozenset(LOCATIONS),
        aggravators=frozenset(AGGRAVATORS),
        after_session="worse",
        calf_breathless=True,
    )
    assert validate(full) == {}
    assert validate(answers()) == {}


# ── properties ───────────────────────────────────────────────────────────────────────────────

pain = st.integers(0, 10)
valid_answers = st.builds(
    CheckinAnswers,
    pain_now=pain,
    worst_pain=st.none() | pain,
    stiffness=st.sampled_from(list(STIFFNESS)),
    swelling=st.sampled_from(list(SWELLING)),
    red_flags=st.frozensets(st.sampled_from(list(RED_FLAGS))),
    locations=st.frozensets(st.sampled_from(list(LOCATIONS))),
    aggravators=st.frozensets(st.sampled_from(list(AGGRAVATORS))),
    after_session=st.none() | st.sampled_from(list(AFTER_SESSION)),
    calf_breathless=st.booleans(),
).map(lambda a: replace(a, calf_breathless=a.calf_breathless if "swollen_tender_calf" in a.red_flags else None))
week = st.lists(pain, max_size=7)


@settings(max_examples=200)
@given(valid_answers, week, st.sampled_from(list(RED_FLAGS)))
def test_any_red_flag_is_red(checkin, history, flag):
    calf = checkin.calf_breathless if checkin.calf_breathless is not None else False
    verdict = triage(replace(checkin, red_flags=checkin.red_flags | {flag},
                             calf_breathless=calf if "swollen_tender_calf" in checkin.red_flags | {flag} else None),
                     history)
    assert verdict.status == "red" and verdict.see_clinician and verdict.alert_coach


@settings(max_examples=200)
@given(valid_answers, week, st.integers(1, 10))
def test_more_pain_now_never_improves_the_status(checkin, history, more):
    worse = replace(checkin, pain_now=min(10, checkin.pain_now + more))
    assert RANK[triage(worse, history).status] >= RANK[triage(checkin, history).status]


@settings(max_examples=200)
@given(valid_answers, week, st.integers(1, 10))
def test_more_worst_pain_never_improves_the_status(checkin, history, more):
    worse = replace(checkin, worst_pain=min(10, (checkin.worst_pain or 0) + more))
    assert RANK[triage(worse, history).status] >= RANK[triage(checkin, history).status]


@settings(max_examples=200)
@given(valid_answers, week)
def test_every_verdict_explains_itself(checkin, history):
    verdict = triage(checkin, history)
    assert verdict.reasons and verdict.guidance
    assert verdict.see_clinician == (bool(checkin.red_flags) or checkin.swelling == "obvious")
    assert verdict.alert_coach == (verdict.status == "red")
    assert (verdict.urgency is None) == (not verdict.see_clinician)
    assert not any("GP or physio; urgent care" in line for line in verdict.guidance)


@settings(max_examples=200)
@given(valid_answers, week, st.sampled_from(list(RED_FLAGS)))
def test_another_flag_never_makes_a_check_in_less_urgent(checkin, history, flag):
    more = replace(checkin, red_flags=checkin.red_flags | {flag},
                   calf_breathless=checkin.calf_breathless if checkin.calf_breathless is not None
                   else (False if flag == "swollen_tender_calf" else None))
    before, after = triage(checkin, history), triage(more, history)
    assert urgency_rank(after.urgency) <= urgency_rank(before.urgency)
    assert after.urgency == urgency_of(more.red_flags, more.calf_breathless, more.swelling)


# ── how urgent a red flag is (DOMAIN.md, "How urgent a red flag is") ────────────────────────

EXPECTED_TIERS = {
    "injury_pop_or_deformed": "emergency",
    "swollen_tender_calf": "urgent",
    "cannot_bear_weight": "urgent",
    "cannot_move_or_deformed": "urgent",
    "locks_or_gives_way": "urgent",
    "large_or_rapid_swelling": "urgent",
    "hot_red_fever": "urgent",
    "numbness_tingling_cold_foot": "urgent",
    "constant_or_night_pain": "soon",
    "bone_tenderness_or_hop_pain": "soon",
}


@pytest.mark.parametrize("key", list(EXPECTED_TIERS))
def test_each_flag_has_its_tier(key):
    assert triage(flagged(key)).urgency == EXPECTED_TIERS[key] == flag_urgency(key, False)


def test_every_red_flag_has_a_tier_and_the_form_reads_most_urgent_first():
    assert set(URGENCY) == set(RED_FLAGS) == set(EXPECTED_TIERS)
    ranks = [urgency_rank(URGENCY[key]) for key in RED_FLAGS]
    assert ranks == sorted(ranks)


def test_emergency_tier_calls_the_emergency_number():
    for checkin in (flagged("injury_pop_or_deformed"), flagged("swollen_tender_calf", breathless=True)):
        verdict = triage(checkin)
        assert verdict.urgency == "emergency" and verdict.urgency_title == "Emergency — now"
        assert "999 in the UK, 112 in the EU, 911 in the US" in verdict.guidance[0]
        assert "emergency department" in verdict.guidance[0]


def test_urgent_tier_is_an_appointment_today_and_no_exercise():
    verdict = triage(flagged("cannot_bear_weight"))
    assert verdict.urgency == "urgent" and verdict.urgency_title == "Urgent — today"
    assert verdict.guidance[0] == URGENCY_ADVICE["urgent"]
    assert "today" in verdict.guidance[0] and "NHS 111" in verdict.guidance[0]
    assert "Don't exercise until you've been seen." in verdict.guidance[0]


def test_soon_tier_is_a_gp_or_physio_within_days_and_no_impact():
    verdict = triage(flagged("constant_or_night_pain"))
    assert verdict.urgency == "soon" and verdict.urgency_title == "Soon — within a few days"
    assert verdict.guidance[0] == URGENCY_ADVICE["soon"]
    assert "within the next few days" in verdict.guidance[0] and "No running or impact" in verdict.guidance[0]
    fracture = triage(flagged("bone_tenderness_or_hop_pain"))
    assert fracture.guidance[0].startswith("Possible stress fracture. See a GP or physio")


def test_obvious_swelling_is_urgent_like_large_swelling():
    assert triage(answers(swelling="obvious")).urgency == "urgent"
    assert urgency_of((), None, "obvious") == "urgent"
    assert urgency_of((), None, "mild") is None


def test_high_pain_alone_has_no_urgency():
    verdict = triage(answers(pain_now=8))
    assert verdict.status == "red" and verdict.urgency is None and verdict.urgency_title is None


def test_the_most_urgent_flag_decides():
    assert triage(flagged("constant_or_night_pain", "hot_red_fever")).urgency == "urgent"
    assert triage(flagged("constant_or_night_pain", "injury_pop_or_deformed")).urgency == "emergency"
    assert urgency_of(["bone_tenderness_or_hop_pain", "swollen_tender_calf"], True) == "emergency"
    assert urgency_of([]) is None


def test_calf_follow_up_yes_is_an_emergency():
    verdict = triage(flagged("swollen_tender_calf", breathless=True))
    assert verdict.urgency == "emergency"
    assert verdict.guidance[0].startswith("Possible blood clot. Call your local emergency number now")
    assert "Red flag: swollen, tender calf (possible blood clot), with breathlessness or chest pain" in verdict.reasons


def test_calf_follow_up_no_is_urgent():
    verdict = triage(flagged("swollen_tender_calf", breathless=False))
    assert verdict.urgency == "urgent"
    assert verdict.guidance[0].startswith("Possible blood clot. Get an urgent appointment today")


def test_calf_follow_up_is_required_with_the_calf_flag_and_ignored_without():
    assert validate(answers(red_flags=frozenset({"swollen_tender_calf"}))) == {
        "calf_breathless": CALF_BREATHLESS_MESSAGE}
    assert validate(answers(red_flags=frozenset({"swollen_tender_calf"}), calf_breathless="yes")) == {
        "calf_breathless": CALF_BREATHLESS_MESSAGE}
    # Without the calf flag the answer changes nothing: breathlessness alone is not a knee flag here.
    assert validate(answers(calf_breathless=True)) == {}
    assert triage(answers(calf_breathless=True)).status == "green"
    assert triage(flagged("cannot_bear_weight", breathless=True)).urgency == "urgent"


def test_the_old_deformed_key_is_now_only_cannot_move_the_knee():
    assert RED_FLAGS["cannot_move_or_deformed"] == "Can't bend or straighten the knee"
    assert "changed shape" in RED_FLAGS["injury_pop_or_deformed"]
    assert triage(flagged("cannot_move_or_deformed")).urgency == "urgent"


def test_an_unanswered_calf_follow_up_is_refused_by_validate_but_triaged_as_urgent():
    """A live preview, or a check-in saved before the question existed: the flag's own tier."""
    unanswered = answers(red_flags=frozenset({"swollen_tender_calf"}))
    assert validate(unanswered) == {"calf_breathless": CALF_BREATHLESS_MESSAGE}
    assert triage(unanswered).urgency == "urgent"


def test_titles_and_advice_cover_every_tier():
    assert list(URGENCY_TITLES) == list(URGENCY_ADVICE) == list(URGENCY_SHORT) == ["emergency", "urgent", "soon"]
    assert "999" in URGENCY_SHORT["emergency"] and "today" in URGENCY_SHORT["urgent"]
    assert [urgency_rank(tier) for tier in ("emergency", "urgent", "soon", None)] == [0, 1, 2, 3]


def test_finding_11_calf_and_infection_are_not_sent_to_a_physio():
    """Finding 11: every red flag said "see a clinician (GP or physio; urgent care if severe)"."""
    for checkin, cause in ((flagged("swollen_tender_calf"), "Possible blood clot"),
                           (flagged("hot_red_fever"), "Possible infection")):
        verdict = triage(checkin)
        advice = " ".join(verdict.guidance)
        assert verdict.urgency == "urgent"
        assert verdict.guidance[0].startswith(f"{cause}. Get an urgent appointment today")
        assert "physio" not in advice and "GP or physio" not in advice
        assert "urgent care if it is severe" not in advice
