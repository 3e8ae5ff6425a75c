"""The daily check-in: one per local day, triaged when saved, with a live verdict while answering."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from app.clock import local_today
from app.domain.triage import AFTER_SESSION, RED_FLAGS
from app.extensions import db
from app.models import AthleteProfile
from tests.conftest import TEST_TODAY as TODAY

GOOD = {"pain_now": "1", "worst_pain": "2", "stiffness": "none", "swelling": "none"}
HTMX = {"HX-Request": "true"}


def text(response) -> str:
    """The response body as a person reads it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def checked(page: str, name: str) -> list[str]:
    """The values of the ticked inputs called `name` in a rendered page."""
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"[^>]*checked', page) + \
        re.findall(rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="([^"]*)"', page)


def test_the_form_asks_every_question(client, athlete):
    page = text(client.get("/checkin"))
    for legend in ("Knee pain right now", "Worst pain in your last run or activity", "Morning stiffness",
                   "Swelling", "Any of these warning signs?", "Where does it hurt?", "What makes it worse?"):
        assert f"<legend>{legend}</legend>" in page
    for key in RED_FLAGS:
        assert f'value="{key}"' in page
    assert page.count('name="pain_now"') == 11 and page.count('name="worst_pain"') == 12
    assert 'name="note"' in page and 'name="all_good"' in page
    assert f'name="local_date" value="{TODAY.isoformat()}"' in page
    assert "after_session" not in page  # no session yesterday


def test_saving_stores_todays_checkin_with_its_status(client, rows, athlete):
    response = client.post("/checkin", data={**GOOD, "pain_now": "4", "locations": ["inner", "below_kneecap"],
                                             "aggravators": "stairs", "note": "  Sore on the stairs.  "})
    assert response.status_code == 303 and response.headers["Location"] == "/checkin/result"
    [checkin] = rows.checkins(athlete)
    assert (checkin.local_date, checkin.pain_now, checkin.worst_pain, checkin.status) == (TODAY, 4, 2, "amber")
    assert checkin.locations == ["below_kneecap", "inner"]  # in the questionnaire's order
    assert checkin.aggravators == ["stairs"] and checkin.note == "Sore on the stairs."
    result = text(client.get("/checkin/result"))
    assert "Check-in saved." in result and "Run easy and short today." in result
    assert "Pain now 4/10 (3–5 is the caution zone)" in result and "Inner side of the knee" in result


def test_a_second_save_the_same_day_updates_and_never_duplicates(client, rows, athlete):
    client.post("/checkin", data=GOOD)
    response = client.post("/checkin", data={**GOOD, "pain_now": "7", "red_flags": "swollen_tender_calf",
                                             "calf_breathless": "no"})
    assert response.status_code == 303
    [checkin] = rows.checkins(athlete)
    assert (checkin.pain_now, checkin.status, checkin.red_flags) == (7, "red", ["swollen_tender_calf"])
    assert checkin.calf_breathless is False
    assert "Check-in updated." in text(client.get("/checkin/result"))


def test_todays_answers_come_back_for_editing(client, rows, athlete):
    client.post("/checkin", data={**GOOD, "worst_pain": "", "aggravators": ["stairs", "running"]})
    page = text(client.get("/checkin"))
    assert "Edit today's check-in" in page and "Save changes" in page
    assert checked(page, "pain_now") == ["1"] and checked(page, "worst_pain") == [""]
    assert sorted(checked(page, "aggravators")) == ["running", "stairs"]


def test_one_runners_answers_and_errors_never_show_on_anothers_form(app, client, athlete, make_user):
    """Each fieldset is rendered once per process for what it shows (templates/_choices.html): a
    runner with nothing saved gets an empty form after another's answers and refused post, and
    the first gets their own answers and messages back."""
    make_user(email="other@example.com")
    client.post("/checkin", data={**GOOD, "pain_now": "3", "red_flags": "swollen_tender_calf",
                                  "calf_breathless": "no", "locations": ["inner"]})
    refused = text(client.post("/checkin", data={**GOOD, "pain_now": "12", "aggravators": "juggling"}))
    assert "Choose your pain right now, from 0 (none) to 10" in refused and "Not one of the choices: juggling." in refused
    assert 'id="pain_now" aria-describedby="pain_now-hint pain_now-error"' in refused

    other = app.test_client()
    other.post("/signin", data={"email": "other@example.com", "password": "correct horse battery"})
    fresh = text(other.get("/checkin"))
    for name in ("pain_now", "worst_pain", "stiffness", "swelling", "red_flags", "calf_breathless", "locations",
                 "aggravators"):
        assert checked(fresh, name) == [], name
    assert "has-error" not in fresh and "field-error" not in fresh
    assert 'id="pain_now" aria-describedby="pain_now-hint"' in fresh

    page = text(client.get("/checkin"))
    assert checked(page, "pain_now") == ["3"] and checked(page, "red_flags") == ["swollen_tender_calf"]
    assert checked(page, "calf_breathless") == ["no"] and checked(page, "locations") == ["inner"]
    assert "has-error" not in page


def test_the_remembered_form_carries_each_requests_own_token(app, client, rows, athlete):
    """The form a GET shows is drawn once and remembered for the athlete (templates/checkin/_form.html);
    its CSRF token is filled per request: a second device signed in as the same runner gets its
    own, which saves, and the first device's next page shows what the second saved."""
    rows.checkin(athlete, TODAY, pain_now=3)
    phone, tablet = client, app.test_client()
    tablet.post("/signin", data={"email": "runner@example.com", "password": "correct horse battery"})
    token = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')
    first = phone.get("/checkin").get_data(as_text=True)
    again = phone.get("/checkin").get_data(as_text=True)  # remembered
    theirs = tablet.get("/checkin").get_data(as_text=True)
    assert checked(first, "pain_now") == checked(theirs, "pain_now") == ["3"]
    def without_tokens(page: str) -> str:
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", token.sub("", page))

    assert without_tokens(first) == without_tokens(again) == without_tokens(theirs)
    assert len(token.findall(theirs)) == 1 and token.findall(theirs) != token.findall(first)
    saved = tablet.post("/checkin", data={**GOOD, "pain_now": "5", "csrf_token": token.findall(theirs)[0]})
    assert saved.status_code == 303
    assert checked(phone.get("/checkin").get_data(as_text=True), "pain_now") == ["5"]
    assert phone.post("/checkin", data={**GOOD, "csrf_token": token.findall(again)[0]}).status_code == 303


def test_all_good_fills_the_form_in_and_saves_nothing(client, rows, athlete):
    response = client.post("/checkin", data={"all_good": "1", "note": "Easy day"})
    assert response.status_code == 200
    page = text(response)
    assert checked(page, "pain_now") == ["0"] and checked(page, "worst_pain") == ["0"]
    assert checked(page, "stiffness") == ["none"] and checked(page, "swelling") == ["none"]
    assert "Good to go: warm up first." in page and "Filled in as all good" in page
    assert re.search(r'name="save" value="1"\s+autofocus', page)
    assert "Easy day" in page and 'class="field-error"' not in page
    assert rows.checkins(athlete) == []


@pytest.mark.parametrize("answers, shown, hidden", [
    ({}, ["Tap your pain right now"], ["badge"]),
    ({"red_flags": "locks_or_gives_way"}, ["Don't run today.", "Urgent — today.", "Verdict so far"], []),
    ({"swelling": "obvious"}, ["Urgent — today."], []),
    ({"red_flags": "injury_pop_or_deformed"}, ["Emergency — now.", "Call 999 (UK), 112 (EU) or 911 (US) now"], ["Urgent — today"]),
    ({"red_flags": "swollen_tender_calf"}, ["Urgent — today.", "Get an urgent appointment today.", "Verdict so far"], []),
    ({**GOOD, "red_flags": "swollen_tender_calf", "calf_breathless": "yes"}, ["Emergency — now."], ["Verdict so far"]),
    ({"red_flags": "constant_or_night_pain"}, ["Soon — within a few days."], ["urgent care"]),
    ({"pain_now": "7"}, ["Don't run today.", "Verdict so far"], ["urgency-"]),
    ({"pain_now": "4"}, ["Run easy and short today."], ["urgency-"]),
    (GOOD, ["Good to go: warm up first."], ["Verdict so far"]),
    ({**GOOD, "pain_now": "abc", "red_flags": "nonsense"}, ["Tap your pain right now"], ["badge"]),
])
def test_the_live_verdict_follows_the_answers(client, athlete, answers, shown, hidden):
    response = client.post("/checkin/verdict", data=answers, headers=HTMX)
    assert response.status_code == 200
    fragment = text(response)
    assert "<html" not in fragment
    for phrase in shown:
        assert phrase in fragment, phrase
    for phrase in hidden:
        assert phrase not in fragment, phrase


def test_the_verdict_endpoint_sends_a_plain_post_back_to_the_form(client, rows, athlete):
    response = client.post("/checkin/verdict", data=GOOD)
    assert response.status_code == 303 and response.headers["Location"] == "/checkin"
    assert rows.checkins(athlete) == []


def test_triage_compares_with_the_previous_seven_days(client, rows, athlete):
    rows.checkin(athlete, TODAY - timedelta(days=8), pain_now=9, status="red")  # outside the window
    for offset in range(1, 8):
        rows.checkin(athlete, TODAY - timedelta(days=offset), pain_now=0)
    client.post("/checkin", data={**GOOD, "pain_now": "2"})
    today = next(c for c in rows.checkins(athlete) if c.local_date == TODAY)
    assert today.status == "amber"  # up 2 on a 7-day average of 0
    fragment = text(client.post("/checkin/verdict", data={**GOOD, "pain_now": "2"}, headers=HTMX))
    assert "up 2 on your 7-day average of 0/10" in text(client.get("/checkin/result"))
    assert "Run easy and short today." in fragment


def test_changing_todays_checkin_leaves_it_out_of_its_own_baseline(client, rows, athlete):
    """Saving reads the day's check-in and the week before it in one query: the day's own pain,
    about to change, is never part of the average it is compared with."""
    for offset in range(1, 8):
        rows.checkin(athlete, TODAY - timedelta(days=offset), pain_now=0)
    rows.checkin(athlete, TODAY, pain_now=9, status="amber")
    assert client.post("/checkin", data={**GOOD, "pain_now": "2"}).status_code == 303
    today = [c for c in rows.checkins(athlete) if c.local_date == TODAY]
    assert [(c.pain_now, c.status) for c in today] == [(2, "amber")]  # up 2 on 0, not on (9 + 0) / 8
    assert "up 2 on your 7-day average of 0/10" in text(client.get("/checkin/result"))


@pytest.mark.parametrize("session_day, finished, asked", [
    (TODAY - timedelta(days=1), True, True),
    (TODAY - timedelta(days=1), False, False),
    (TODAY - timedelta(days=2), True, False),
    (TODAY, True, False),
])
def test_the_morning_after_a_session_asks_about_it(client, rows, athlete, session_day, finished, asked):
    rows.session(athlete, session_day, finished)
    page = text(client.get("/checkin"))
    assert ("You trained yesterday" in page) is asked
    assert (page.count('name="after_session"') == len(AFTER_SESSION)) is asked


def test_the_after_session_answer_is_required_and_stored(client, rows, athlete):
    rows.session(athlete, TODAY - timedelta(days=1))
    response = client.post("/checkin", data=GOOD)
    assert response.status_code == 422
    assert 'id="after_session-error"' in text(response)
    assert rows.checkins(athlete) == []
    assert client.post("/checkin", data={**GOOD, "after_session": "worse"}).status_code == 303
    assert rows.checkins(athlete)[0].after_session == "worse"


def test_an_after_session_answer_is_ignored_when_not_asked(client, rows, athlete):
    client.post("/checkin", data={**GOOD, "after_session": "worse"})
    assert rows.checkins(athlete)[0].after_session is None


def test_the_result_page_needs_a_checkin(client, athlete):
    response = client.get("/checkin/result")
    assert response.status_code == 302 and response.headers["Location"] == "/checkin"


def test_history_shows_thirty_days_with_gaps(client, rows, athlete, make_user):
    for offset, pain in ((0, 2), (1, 4), (3, 1), (29, 6), (30, 9)):
        rows.checkin(athlete, TODAY - timedelta(days=offset), pain_now=pain, worst_pain=pain + 1,
                    status="red" if pain >= 6 else "green", note="Stairs hurt" if offset == 1 else "")
    other = make_user(email="other@example.com")
    rows.checkin(other, TODAY - timedelta(days=2), pain_now=5, status="amber", note="Someone else's knee")
    page = text(client.get("/checkin/history"))
    assert "4 of 30 days checked in" in page
    assert page.count('class="day day-missing"') == 26
    assert "Someone else's knee" not in page and "Stairs hurt" in page
    assert '<svg class="pain-chart"' in page and 'role="img"' in page
    now_path = re.search(r'class="line-now" d="([^"]*)"', page).group(1)
    assert now_path.count("M") == 3  # broken at each gap: day 29 | days 3 | days 1–0
    assert page.count('class="gap"') == 26 + 1  # gaps in the chart plus the key's sample
    assert "7-day average pain 2.3/10" in page


def test_the_day_follows_the_athletes_time_zone(client, app, rows, make_user, auth):
    athlete = make_user(timezone="Pacific/Kiritimati")  # UTC+14: a day ahead of UTC half the time
    auth.signin()
    with app.app_context():
        profile = db.session.get(AthleteProfile, athlete)
        before = local_today(profile)
        client.post("/checkin", data=GOOD)
        after = local_today(profile)
    [checkin] = rows.checkins(athlete)
    assert checkin.local_date in {before, after}


# ── bad input: 4xx, the message next to the field, the database unchanged ───────────────────

BAD_INPUT = [
    ({"pain_now": "11"}, "pain_now"),
    ({"pain_now": "-1"}, "pain_now"),
    ({"pain_now": "abc"}, "pain_now"),
    ({"pain_now": ""}, "pain_now"),
    ({"pain_now": "3.5"}, "pain_now"),
    ({"worst_pain": "11"}, "worst_pain"),
    ({"stiffness": "all day"}, "stiffness"),
    ({"swelling": "huge"}, "swelling"),
    ({"locations": ["inner", "shin"]}, "locations"),
    ({"aggravators": "cycling"}, "aggravators"),
    ({"red_flags": "feels_weird"}, "red_flags"),
    ({"note": "x" * 2001}, "note"),
    ({"local_date": (TODAY + timedelta(days=1)).isoformat()}, "local_date"),
    ({"local_date": (TODAY - timedelta(days=1)).isoformat()}, "local_date"),
    ({"local_date": "tomorrow"}, "local_date"),
]


@pytest.mark.parametrize("changes, field", BAD_INPUT, ids=[f"{f}={str(c)[:30]}" for c, f in BAD_INPUT])
@pytest.mark.parametrize("already", [False, True], ids=["new", "edit"])
def test_bad_input_is_refused_next_to_its_field(client, rows, athlete, changes, field, already):
    if already:
        client.post("/checkin", data={**GOOD, "note": "kept"})
    before = [(c.pain_now, c.note, c.status, c.locations, c.updated_at) for c in rows.checkins(athlete)]
    response = client.post("/checkin", data={**GOOD, **changes})
    assert response.status_code == 422
    page = text(response)
    assert f'id="{field}-error"' in page
    assert [(c.pain_now, c.note, c.status, c.locations, c.updated_at) for c in rows.checkins(athlete)] == before


def test_a_nul_byte_in_the_note_is_refused_and_nothing_changes(client, rows, athlete):
    client.post("/checkin", data={**GOOD, "note": "kept"})
    response = client.post("/checkin", data={**GOOD, "note": "nul\x00byte"})
    assert response.status_code == 400
    assert [c.note for c in rows.checkins(athlete)] == ["kept"]


def test_the_note_may_be_exactly_2000_characters(client, rows, athlete):
    assert client.post("/checkin", data={**GOOD, "note": "x" * 2000}).status_code == 303
    assert len(rows.checkins(athlete)[0].note) == 2000


def test_a_checkin_for_another_athlete_is_refused(client, rows, athlete, make_user):
    other = make_user(email="other@example.com")
    response = client.post("/checkin", data={**GOOD, "athlete_id": str(other)})
    assert response.status_code == 422
    assert "You can only check in for yourself." in text(response)
    assert rows.checkins(other) == [] and rows.checkins(athlete) == []
    assert client.post("/checkin", data={**GOOD, "athlete_id": str(athlete)}).status_code == 303


@pytest.mark.parametrize("path, headers", [
    ("/checkin", {}),
    ("/checkin", {"HX-Request": "true", "X-CSRFToken": "forged"}),
    ("/checkin/verdict", {"HX-Request": "true", "X-CSRFToken": "forged"}),
])
def test_a_forged_csrf_token_is_refused(client, rows, athlete, path, headers):
    response = client.post(path, data={**GOOD, "csrf_token": "forged"}, headers=headers)
    assert response.status_code == 400
    assert "Your form had expired" in text(response)
    assert rows.checkins(athlete) == []
    assert client.post(path, data=GOOD, csrf=False).status_code == 400


# ── who may use it ───────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("path", ["/checkin", "/checkin/history", "/checkin/result"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin?next=")


@pytest.mark.parametrize("path", ["/checkin", "/checkin/history", "/checkin/result"])
def test_a_coach_only_account_has_no_checkin(client, make_user, auth, path):
    make_user(athlete=False, coach=True)
    auth.signin()
    assert client.get(path).status_code == 404
    assert client.post("/checkin", data=GOOD).status_code == 404


def test_an_athlete_without_a_profile_is_sent_to_onboarding(client, make_user, auth):
    make_user(profile=False)
    auth.signin()
    response = client.get("/checkin")
    assert response.status_code == 302 and response.headers["Location"].startswith("/profile")
