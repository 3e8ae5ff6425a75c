"""Red-flag urgency through the check-in: the calf follow-up, what is stored, and what is said."""
from __future__ import annotations

import html
import json
import re

import pytest

from app.domain.triage import CALF_BREATHLESS_MESSAGE, CALF_QUESTION, RED_FLAGS
from tests.conftest import TEST_TODAY as TODAY

GOOD = {"pain_now": "1", "worst_pain": "2", "stiffness": "none", "swelling": "none"}
CALF = {**GOOD, "red_flags": "swollen_tender_calf"}
HTMX = {"HX-Request": "true"}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def fieldset(page: str, field_id: str) -> str:
    """The rendered fieldset with this id (follow-ups nest no fieldsets of their own)."""
    return re.search(rf'<fieldset[^>]*id="{field_id}".*?</fieldset>', page, re.S).group(0)


def test_the_calf_follow_up_sits_right_under_the_calf_flag_without_javascript(client, athlete):
    page = text(client.get("/checkin"))
    flags = page[page.index('id="red_flags"'):]
    calf = flags.index('value="swollen_tender_calf"')
    follow_up = flags.index('id="calf_breathless"')
    next_flag = flags.index(f'value="{list(RED_FLAGS)[list(RED_FLAGS).index("swollen_tender_calf") + 1]}"')
    assert calf < follow_up < next_flag
    question = fieldset(page, "calf_breathless")
    assert f"<legend>{CALF_QUESTION}</legend>" in question
    assert [m for m in re.findall(r'name="calf_breathless"[^>]*value="(\w+)"', question)] == ["yes", "no"]
    assert 'for="calf_breathless-0"' in question and 'for="calf_breathless-1"' in question
    assert "hidden" not in question  # always in the page, reachable by keyboard and screen reader


def test_the_new_flag_is_offered_first(client, athlete):
    page = text(client.get("/checkin"))
    assert page.index('value="injury_pop_or_deformed"') < page.index('value="swollen_tender_calf"')
    assert "A serious injury with a crack or pop at the time, or the knee or leg has changed shape" in page
    assert "Can't bend or straighten the knee</span>" in page


@pytest.mark.parametrize("answer", [None, "", "maybe", "YES"])
def test_the_calf_flag_without_its_follow_up_is_refused_and_nothing_saved(client, rows, athlete, answer):
    data = CALF if answer is None else {**CALF, "calf_breathless": answer}
    response = client.post("/checkin", data=data)
    assert response.status_code == 422
    question = fieldset(text(response), "calf_breathless")
    assert 'class="field-error"' in question and CALF_BREATHLESS_MESSAGE in question
    assert rows.checkins(athlete) == []


@pytest.mark.parametrize("answer, stored, title, advice", [
    ("yes", True, "Emergency — now.", "Call your local emergency number now (999 in the UK, 112 in the EU, 911 in the US)"),
    ("no", False, "Urgent — today.", "Get an urgent appointment today: your GP, an urgent care centre, or NHS 111"),
])
def test_the_calf_follow_up_is_stored_and_sets_the_urgency(client, rows, athlete, answer, stored, title, advice):
    response = client.post("/checkin", data={**CALF, "calf_breathless": answer})
    assert response.status_code == 303
    [checkin] = rows.checkins(athlete)
    assert (checkin.status, checkin.calf_breathless) == ("red", stored)
    result = text(client.get("/checkin/result"))
    assert title in result and advice in result and "Possible blood clot." in result
    assert "GP or physio; urgent care" not in result
    assert f"<dt>Breathless or chest pain</dt><dd>{answer.capitalize()}</dd>" in result
    edit = fieldset(text(client.get("/checkin")), "calf_breathless")
    assert re.findall(r'<input checked[^>]*value="(\w+)"', edit) == [answer]


def test_the_follow_up_is_ignored_without_the_calf_flag(client, rows, athlete):
    response = client.post("/checkin", data={**GOOD, "calf_breathless": "yes"})
    assert response.status_code == 303
    [checkin] = rows.checkins(athlete)
    assert (checkin.status, checkin.calf_breathless) == ("green", None)


@pytest.mark.parametrize("flag, title, cause", [
    ("injury_pop_or_deformed", "Emergency — now.", None),
    ("hot_red_fever", "Urgent — today.", "Possible infection."),
    ("cannot_move_or_deformed", "Urgent — today.", None),
    ("bone_tenderness_or_hop_pain", "Soon — within a few days.", "Possible stress fracture."),
    ("constant_or_night_pain", "Soon — within a few days.", None),
])
def test_the_result_says_how_soon_and_where(client, athlete, flag, title, cause):
    assert client.post("/checkin", data={**GOOD, "red_flags": flag}).status_code == 303
    result = text(client.get("/checkin/result"))
    block = re.search(r'<div class="verdict-clinician urgency urgency-(\w+)">.*?</div>', result, re.S)
    assert block and title in block.group(0)
    assert (cause in block.group(0)) if cause else True
    assert "GP or physio; urgent care" not in result


@pytest.mark.parametrize("choice, breathless, title", [
    ("swollen_tender_calf_breathless", True, "Emergency — now."),
    ("swollen_tender_calf", False, "Urgent — today."),
])
def test_the_quick_check_asks_the_calf_question_as_its_own_choice(client, rows, athlete, choice, breathless, title):
    page = text(client.get("/warmup"))
    assert "Swollen, tender calf, with breathlessness or chest pain" in page
    assert "Swollen, tender calf, breathing normally" in page
    response = client.post("/warmup/check", data={"pain_now": "1", "swelling": "none", "red_flag": choice})
    assert response.status_code == 303
    [checkin] = rows.checkins(athlete)
    assert (checkin.red_flags, checkin.calf_breathless) == (["swollen_tender_calf"], breathless)
    assert title in text(client.get("/checkin/result"))


def test_the_export_carries_the_calf_answer(client, athlete):
    client.post("/checkin", data={**CALF, "calf_breathless": "yes"})
    data = json.loads(client.get("/account/export.json").get_data())
    [checkin] = data["checkins"]
    assert checkin["calf_breathless"] is True and checkin["local_date"] == TODAY.isoformat()
