"""The runner's questionnaires, "Your progress" and Today's card, through the routes."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.fixtures.coaching import sign_in_as
from tests.outcomes.conftest import AKPS_84, START, add_pain, baseline_form, follow_up_form, stored


@pytest.fixture
def runner(client, app, people):
    sign_in_as(client, app, people.athlete)
    return people.athlete


def test_today_shows_the_baseline_card_until_it_is_answered(client, app, runner):
    assert "Your starting questionnaire" in client.get("/today").get_data(as_text=True)
    page = client.get("/progress/questionnaire").get_data(as_text=True)
    assert page.count('class="field choices') == 13 and "Activity 3 (optional)" in page
    assert "Compared with when you started" not in page  # no GROC at baseline
    response = client.post("/progress/questionnaire", data=baseline_form())
    assert response.status_code == 303 and response.headers["Location"].endswith("/progress")
    assert stored(app, runner) == [("akps", START, 84), ("psfs", START, 4.0)]
    assert "Your starting questionnaire" not in client.get("/today").get_data(as_text=True)
    assert client.get("/progress/questionnaire").status_code == 303  # nothing due now


@pytest.mark.parametrize("change, field, message", [
    ({"stairs": ""}, "stairs", "Choose an answer for “Going up and down stairs”."),
    ({"stairs": "4"}, "stairs", "Choose an answer for “Going up and down stairs”."),
    ({"limp": "-1"}, "limp", "Choose an answer for “Do you limp when you walk?”."),
    ({"activity_1": "x" * 10_000}, "activity_1", "Keep each activity to 80 characters or fewer."),
    ({"rating_2": "11"}, "rating_2", "Choose a rating from 0 (unable) to 10 (as before)."),
    ({"rating_2": ""}, "rating_2", "Rate this activity from 0 (unable) to 10 (as before)."),
    ({"rating_3": "4"}, "activity_3", "Name the activity you rated."),
    ({"activity_1": "", "activity_2": "", "rating_1": "", "rating_2": ""}, "activity_1", "Name at least one activity"),
])
def test_bad_answers_are_refused_beside_the_field_and_nothing_is_stored(client, app, runner, change, field, message):
    response = client.post("/progress/questionnaire", data={**baseline_form(), **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert error is not None and message in error.group(1).replace("&#34;", '"')
    assert stored(app, runner) == []


def test_a_follow_up_rates_the_baseline_activities_and_asks_the_groc(client, app, runner, clock):
    client.post("/progress/questionnaire", data=baseline_form())
    clock.set(START + timedelta(weeks=4) - timedelta(days=1))
    assert "Time for a progress check" not in client.get("/today").get_data(as_text=True)
    clock.set(START + timedelta(weeks=4))
    assert "Time for a progress check" in client.get("/today").get_data(as_text=True)
    page = client.get("/progress/questionnaire").get_data(as_text=True)
    assert "How well can you do this today: running downhill?" in page and "activity_1" not in page
    assert "Compared with when you started, your knee is…" in page
    # A posted activity name is ignored: PSFS activities are set at baseline only.
    response = client.post("/progress/questionnaire", data={**follow_up_form(), "activity_1": "swimming"})
    assert response.status_code == 303
    later = START + timedelta(weeks=4)
    assert stored(app, runner)[2:] == [("akps", later, 98), ("groc", later, 5), ("psfs", later, 7.5)]


def test_a_follow_up_without_the_groc_is_refused(client, app, runner, clock):
    client.post("/progress/questionnaire", data=baseline_form())
    clock.set(START + timedelta(weeks=4))
    data = follow_up_form()
    del data["groc"]
    response = client.post("/progress/questionnaire", data=data)
    assert response.status_code == 422 and 'id="groc-error"' in response.get_data(as_text=True)
    assert len(stored(app, runner)) == 2


def test_progress_reads_the_change_against_the_mcid_and_marks_it(client, app, runner, clock):
    client.post("/progress/questionnaire", data=baseline_form())
    clock.set(START + timedelta(weeks=4))
    client.post("/progress/questionnaire", data=follow_up_form())
    page = client.get("/progress").get_data(as_text=True)
    assert "Kujala up 14 points since you started — a change that matters." in page
    # PSFS: (3 + 5) / 2 = 4 → (7 + 8) / 2 = 7.5, up 3.5: beyond the 2 points that matter.
    assert "Your activities score up 3.5 points since you started — a change that matters." in page
    assert page.count('class="dot-marked"') == 2 and page.count('class="mcid-band"') == 2
    assert "<table>" in page


def test_a_small_change_is_not_marked(client, app, runner, clock):
    client.post("/progress/questionnaire", data=baseline_form(akps=AKPS_84))
    clock.set(START + timedelta(weeks=4))
    client.post("/progress/questionnaire", data=follow_up_form(akps={**AKPS_84, "limp": "1"}, ratings=("4", "5")))
    page = client.get("/progress").get_data(as_text=True)
    assert "Kujala down 2 points since you started — less than the 10 points that count as a real change." in page
    assert 'class="dot-marked"' not in page


def test_the_pain_trend_marks_a_fall_of_1_2(client, app, runner, clock):
    clock.set(START + timedelta(days=13))
    # Week 1 (2–8 Mar): 5,5,5,5,5,5,5 → 5. Week 2 (9–15 Mar): 4,4,4,4,3,4,3 → 26/7 ≈ 3.7, a fall of 1.3.
    pains = [5] * 7 + [4, 4, 4, 4, 3, 4, 3]
    add_pain(app, runner, {START + timedelta(days=n): p for n, p in enumerate(pains)})
    page = client.get("/progress").get_data(as_text=True)
    assert "Average pain down 1.3 points since you started — a change that matters." in page
    assert page.count('class="dot-marked"') == 1
    assert "<td>15 Mar 2026</td><td>3.7</td>\n        <td>-1.3 <strong>(matters)</strong></td>" in page


def test_the_same_post_sent_twice_with_one_key_is_stored_once(client, app, runner):
    headers = {"Idempotency-Key": "outcomes-key-0001"}
    first = client.post("/progress/questionnaire", data=baseline_form(), headers=headers)
    again = client.post("/progress/questionnaire", data=baseline_form(), headers=headers)
    assert first.status_code == again.status_code == 303
    assert len(stored(app, runner)) == 2


def test_a_coach_cannot_open_the_runner_pages(client, app, people):
    sign_in_as(client, app, people.coach)
    for url in ("/progress", "/progress/questionnaire", "/progress/report", "/progress/report?format=pdf"):
        assert client.get(url).status_code == 404


def test_an_activity_with_markup_or_any_script_is_kept_as_typed_and_shown_escaped(client, app, runner, clock):
    name = "<script>alert(1)</script> Bergablaufen 下り坂 🏃"
    client.post("/progress/questionnaire", data=baseline_form(activities=(name, "", ""), ratings=("3", "", "")))
    clock.set(START + timedelta(weeks=4))
    page = client.get("/progress/questionnaire").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Bergablaufen 下り坂 🏃" in page
    report = client.get("/progress/report").get_data(as_text=True)
    assert "&lt;script&gt;" in report and "<script>alert" not in report
    pdf = client.get("/progress/report?format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_pain_trend_starts_at_the_first_check_in_even_before_the_profile(client, app, runner, clock):
    # Check-ins imported from before the profile was made (as the demo's are) still make the trend.
    add_pain(app, runner, {START - timedelta(days=n): 3 for n in range(1, 15)})
    page = client.get("/progress").get_data(as_text=True)
    assert "Average pain is the same as when you started." in page  # two full weeks of 3s
