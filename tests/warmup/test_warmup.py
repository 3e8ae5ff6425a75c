"""The pre-run warm-up: quick check, today's routine, ticks kept by htmx, and the log on finishing."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from app.domain.warmup import RunnerProfile, build_warmup
from app.library import library
from tests.conftest import TEST_TODAY as TODAY

HTMX = {"HX-Request": "true"}
QUICK = {"pain_now": "0", "red_flag": "none", "swelling": "none"}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def routine(status, runner_type="general", equipment=frozenset()):
    return build_warmup(RunnerProfile(runner_type, equipment), status, library())


def slugs(status, **profile) -> list[str]:
    return [item.exercise.slug for item in routine(status, **profile).items]


def inputs(page: str) -> list[dict]:
    """Every <input> of a page as its attributes, with `checked` as a flag."""
    tags = re.findall(r"<input\b[^>]*>", page)
    return [{**dict(re.findall(r'([\w-]+)="([^"]*)"', tag)), "checked": " checked" in tag} for tag in tags]


def listed(page: str) -> list[str]:
    return [i["value"] for i in inputs(page) if i.get("name") == "done"]


def ticked(page: str) -> list[str]:
    return [i["value"] for i in inputs(page) if i.get("name") == "done" and i["checked"]]


def skipped(page: str) -> dict[str, str]:
    return {i["name"][5:]: i["value"] for i in inputs(page)
            if i.get("name", "").startswith("skip-") and i["checked"] and i["value"]}


# ── quick check ──────────────────────────────────────────────────────────────────────────────

def test_without_a_checkin_the_warm_up_starts_with_three_questions(client, athlete):
    page = text(client.get("/warmup"))
    assert "Quick check first" in page and 'name="done"' not in page
    for legend in ("Knee pain right now", "Swelling", "Any of these warning signs?"):
        assert f"<legend>{legend}</legend>" in page
    assert 'value="none"' in page and 'value="cannot_bear_weight"' in page


@pytest.mark.parametrize("answers, status, flags", [
    (QUICK, "green", []),
    ({**QUICK, "pain_now": "4"}, "amber", []),
    ({**QUICK, "swelling": "mild"}, "amber", []),
    ({**QUICK, "red_flag": "swollen_tender_calf"}, "red", ["swollen_tender_calf"]),
])
def test_the_quick_check_is_todays_checkin(client, rows, athlete, answers, status, flags):
    response = client.post("/warmup/check", data=answers)
    assert response.status_code == 303 and response.headers["Location"] == "/warmup"
    [checkin] = rows.checkins(athlete)
    assert (checkin.local_date, checkin.status, checkin.red_flags) == (TODAY, status, flags)
    assert (checkin.stiffness, checkin.worst_pain) == ("none", None)
    page = text(client.get("/warmup"))
    assert ('name="done"' in page) is not bool(flags)
    assert ("Urgent — today." in page) is bool(flags)


def test_the_quick_check_never_overwrites_a_checkin(client, rows, athlete):
    rows.checkin(athlete, TODAY, pain_now=4, status="amber")
    response = client.post("/warmup/check", data=QUICK)
    assert response.status_code == 303
    [checkin] = rows.checkins(athlete)
    assert (checkin.pain_now, checkin.status) == (4, "amber")


QUICK_BAD = [
    ({"pain_now": "11"}, "pain_now"),
    ({"pain_now": "abc"}, "pain_now"),
    ({"red_flag": "bad_vibes"}, "red_flag"),
    ({"red_flag": ""}, "red_flag"),
    ({"swelling": "some"}, "swelling"),
    ({"local_date": (TODAY + timedelta(days=1)).isoformat()}, "local_date"),
]


@pytest.mark.parametrize("changes, field", QUICK_BAD, ids=[f for _, f in QUICK_BAD])
def test_the_quick_check_refuses_bad_input(client, rows, athlete, changes, field):
    response = client.post("/warmup/check", data={**QUICK, **changes})
    assert response.status_code == 422
    assert f'id="{field}-error"' in text(response)
    assert rows.checkins(athlete) == []


def test_the_quick_check_is_only_for_yourself(client, rows, athlete, make_user):
    other = make_user(email="other@example.com")
    response = client.post("/warmup/check", data={**QUICK, "athlete_id": str(other)})
    assert response.status_code == 422 and "You can only check in for yourself." in text(response)
    assert rows.checkins(athlete) == [] and rows.checkins(other) == []


# ── the routine ──────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("status", ["green", "amber"])
def test_the_checklist_is_the_routine_built_for_today(client, rows, athlete, status):
    rows.checkin(athlete, TODAY, pain_now=0 if status == "green" else 4, status=status)
    page = text(client.get("/warmup"))
    assert "Pre-run warm-up" in page
    assert listed(page) == slugs(status)
    built = routine(status)
    for item in built.items:
        assert item.cue in page and item.dose_label in page
    for note in built.notes:
        assert note in page
    assert f'data-planned="{built.total_seconds}"' in page and 'name="built_for" type="hidden" value' in page


def test_an_amber_day_leaves_out_high_impact_items(client, rows, make_user, auth, today):
    athlete = make_user(runner_type="trail", has_band=True, has_step=True)
    auth.signin()
    rows.checkin(athlete, TODAY, pain_now=4, status="amber")
    page = text(client.get("/warmup"))
    impact = {e.slug for e in library().warmup_items() if e.tags}
    assert impact and not impact & set(listed(page))
    assert "Keep knee bends shallow" in page


def test_a_red_day_shows_guidance_and_recovery_not_a_run(client, rows, athlete):
    rows.checkin(athlete, TODAY, pain_now=7, status="red")
    page = text(client.get("/warmup"))
    assert "No run today" in page and "Pre-run warm-up" not in page
    assert "Don't run today: rest the knee or do the recovery routine instead." in page
    assert "urgency-" not in page
    assert listed(page) == slugs("red") and "foam-roll-quads-recovery" not in slugs("red")
    assert "Finish recovery" in page


@pytest.mark.parametrize("flag", [{"red_flags": ["numbness_tingling_cold_foot"]}, {"swelling": "obvious"}])
def test_a_red_flag_stops_self_management_even_recovery(client, rows, athlete, flag):
    rows.checkin(athlete, TODAY, pain_now=2, status="red", **flag)
    page = text(client.get("/warmup"))
    assert "Urgent — today." in page and "Today's check-in has a red flag" in page
    assert listed(page) == [] and "Finish" not in page
    response = client.post("/warmup/progress", data={"built_for": "red", "done": slugs("red")})
    assert response.status_code == 303 and response.headers["Location"] == "/warmup"
    response = client.post("/warmup/finish", data={"built_for": "red", "done": slugs("red")})
    assert response.status_code == 422 and "no exercise and no run today" in text(response)
    response = client.post("/warmup/progress", headers=HTMX, data={"built_for": "red", "done": slugs("red")})
    assert response.status_code == 204 and response.headers["HX-Location"] == "/warmup"
    assert rows.warmups(athlete) == []
    today = text(client.get("/today"))
    status_card = today.split('class="card today-status"')[1].split("</section>")[0]
    assert "Urgent — today." in status_card and 'href="/warmup"' not in status_card


# ── ticking, skipping, finishing ─────────────────────────────────────────────────────────────

def test_ticks_and_skips_sent_by_htmx_are_kept_for_the_day(client, rows, athlete):
    rows.checkin(athlete, TODAY)
    items = slugs("green")
    response = client.post("/warmup/progress", headers=HTMX,
                           data={"built_for": "green", "done": items[:2], f"skip-{items[2]}": "no_kit"})
    assert response.status_code == 200
    assert "2 of" in text(response) and "1 skipped" in text(response) and "<html" not in text(response)
    page = text(client.get("/warmup"))
    assert ticked(page) == items[:2] and skipped(page) == {items[2]: "no_kit"}
    assert rows.warmups(athlete) == []


def test_one_runners_ticks_never_show_on_anothers_checklist(app, client, rows, athlete, make_user):
    """Items are rendered once per process for what they show (app/fragments.py): a runner
    with the same routine and nothing ticked gets untouched items, then the first one's page
    its own ticks, skips and messages again."""
    other_id = make_user(email="other@example.com")
    rows.checkin(athlete, TODAY)
    rows.checkin(other_id, TODAY)
    items = slugs("green")
    client.post("/warmup/progress", headers=HTMX,
                data={"built_for": "green", "done": items[:2], f"skip-{items[2]}": "no_kit"})
    refused = text(client.post("/warmup/finish", data={
        "built_for": "green", "done": items[3:4], f"skip-{items[3]}": "hurts"}))
    assert "Tick it done or skip it, not both." in refused
    assert ticked(text(client.get("/warmup"))) == items[:2]

    other = app.test_client()
    other.post("/signin", data={"email": "other@example.com", "password": "correct horse battery"})
    fresh = text(other.get("/warmup"))
    assert listed(fresh) == items and ticked(fresh) == [] and skipped(fresh) == {}
    assert "Skipped:" not in fresh and "has-error" not in fresh and " open>" not in fresh

    page = text(client.get("/warmup"))
    assert ticked(page) == items[:2] and skipped(page) == {items[2]: "no_kit"}
    assert "<summary>Skipped: no kit or space here</summary>" in page


def test_a_plain_progress_post_returns_to_the_checklist(client, rows, athlete):
    rows.checkin(athlete, TODAY)
    response = client.post("/warmup/progress", data={"built_for": "green", "done": slugs("green")[:1]})
    assert response.status_code == 303 and response.headers["Location"] == "/warmup"


def test_finishing_saves_the_warm_up_log(client, rows, athlete):
    rows.checkin(athlete, TODAY, pain_now=4, status="amber")
    items = slugs("amber")
    client.post("/warmup/progress", headers=HTMX, data={"built_for": "amber", "done": items[:1]})
    response = client.post("/warmup/finish", data={
        "built_for": "amber", "done": items[:-1], f"skip-{items[-1]}": "hurts", "duration_seconds": "412"})
    assert response.status_code == 303 and response.headers["Location"] == "/today"
    [log] = rows.warmups(athlete)
    assert (log.local_date, log.built_for, log.routine_kind) == (TODAY, "amber", "run")
    assert (log.duration_seconds, log.planned_seconds) == (412, routine("amber").total_seconds)
    assert log.items == [{"slug": s, "done": True, "skip_reason": None} for s in items[:-1]] + \
        [{"slug": items[-1], "done": False, "skip_reason": "hurts"}]
    assert f"Warm-up done: {len(items) - 1} of {len(items)} exercises." in text(client.get("/today"))
    page = text(client.get("/warmup"))
    assert ticked(page) == [] and skipped(page) == {}  # finishing cleared the day's ticks
    assert "You finished a warm-up today in 6:52" in page


def test_without_javascript_the_duration_is_the_time_since_the_page_opened(client, rows, athlete, monkeypatch):
    rows.checkin(athlete, TODAY)
    monkeypatch.setattr("app.warmup.routes._now", lambda: 1_800_000_000)
    opened = re.search(r'name="opened_at" value="(\d+)"', text(client.get("/warmup"))).group(1)
    assert opened == "1800000000"
    monkeypatch.setattr("app.warmup.routes._now", lambda: 1_800_000_000 + 365)
    client.post("/warmup/finish", data={"built_for": "green", "opened_at": opened, "done": slugs("green"),
                                        "duration_seconds": ""})
    assert rows.warmups(athlete)[0].duration_seconds == 365


def test_a_recovery_day_can_be_logged_too(client, rows, athlete):
    rows.checkin(athlete, TODAY, pain_now=7, status="red")
    items = slugs("red")
    assert client.post("/warmup/finish", data={"built_for": "red", "done": items}).status_code == 303
    [log] = rows.warmups(athlete)
    assert (log.built_for, log.routine_kind) == ("red", "recovery")
    assert f"Recovery done: {len(items)} of {len(items)} exercises. Rest well." in text(client.get("/today"))


BAD_LOGS = [
    ({"done": ["pogo-hops-warmup"]}, "checklist", "Not in today&#39;s routine: pogo-hops-warmup."),
    ({"done": ["no-such-exercise"]}, "checklist", "Not in today&#39;s routine: no-such-exercise."),
    ({"skip-no-such-exercise": "hurts"}, "checklist", "Not in today&#39;s routine: no-such-exercise."),
    ({"skip-FIRST": "bored"}, "skip-FIRST", "Choose a reason for skipping"),
    ({"skip-FIRST": "hurts"}, "skip-FIRST", "Tick it done or skip it, not both."),
    ({"duration_seconds": "-1"}, "checklist", "between 0 and 3 hours"),
    ({"duration_seconds": "abc"}, "checklist", "Enter a whole number, like 3."),
    ({"duration_seconds": "99999"}, "checklist", "between 0 and 3 hours"),
    ({"opened_at": "yesterday"}, "checklist", "Enter a whole number, like 3."),
    ({"built_for": "green"}, "checklist", "Your check-in changed since this warm-up was built."),
    ({"done": []}, "checklist", "Tick at least one exercise"),
]


@pytest.mark.parametrize("changes, error_id, message", BAD_LOGS, ids=[str(c)[:40] for c, _, _ in BAD_LOGS])
def test_a_bad_warm_up_log_is_refused(client, rows, athlete, changes, error_id, message):
    rows.checkin(athlete, TODAY, pain_now=4, status="amber")
    items = slugs("amber")
    changes = {key.replace("FIRST", items[0]): value for key, value in changes.items()}
    response = client.post("/warmup/finish", data={"built_for": "amber", "done": items, **changes})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{error_id.replace("FIRST", items[0])}-error"' in page and message in page
    assert rows.warmups(athlete) == []


def test_a_bad_tick_sent_by_htmx_gets_its_message_and_changes_nothing(client, rows, athlete):
    rows.checkin(athlete, TODAY)
    response = client.post("/warmup/progress", headers=HTMX, data={"built_for": "green", "done": ["pogo-hops"]})
    assert response.status_code == 422 and "Not in today&#39;s routine: pogo-hops." in response.get_data(as_text=True)
    assert ticked(text(client.get("/warmup"))) == []


@pytest.mark.parametrize("skip, message", [
    ("bogus", "Choose a reason for skipping from the list."),
    ("hurts", "Tick it done or skip it, not both."),
])
def test_a_bad_skip_sent_by_htmx_gets_its_message_naming_the_exercise(client, rows, athlete, skip, message):
    """The htmx answer replaces only the progress line, which once carried no word of it."""
    rows.checkin(athlete, TODAY)
    first = routine("green").items[0].exercise
    response = client.post("/warmup/progress", headers=HTMX,
                           data={"built_for": "green", "done": [first.slug], f"skip-{first.slug}": skip})
    assert response.status_code == 422 and f"{first.name}: {message}" in text(response)
    assert ticked(text(client.get("/warmup"))) == []


def test_finishing_without_a_checkin_saves_nothing_and_says_so(client, rows, athlete):
    response = client.post("/warmup/finish", data={"built_for": "green", "done": slugs("green")})
    assert response.status_code == 422 and "Warm-up not saved" in text(response)
    assert "Today's check-in isn't saved yet" in text(response)
    assert rows.warmups(athlete) == [] and rows.checkins(athlete) == []


def test_a_checklist_from_another_day_is_refused(client, rows, athlete):
    rows.checkin(athlete, TODAY)
    page = text(client.get("/warmup"))
    assert f'name="local_date" value="{TODAY.isoformat()}"' in page
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    response = client.post("/warmup/finish", data={"built_for": "green", "done": slugs("green"),
                                                   "local_date": yesterday})
    assert response.status_code == 422
    assert "This warm-up was for " in text(response) and "so it can't be logged today" in text(response)
    assert rows.warmups(athlete) == []


@pytest.mark.parametrize("path", ["/warmup/check", "/warmup/progress", "/warmup/finish"])
def test_a_forged_csrf_token_is_refused(client, rows, athlete, path):
    if path != "/warmup/check":
        rows.checkin(athlete, TODAY)
    data = {**QUICK, "built_for": "green", "done": slugs("green"), "csrf_token": "forged"}
    assert client.post(path, data=data).status_code == 400
    assert client.post(path, data={**data, "csrf_token": ""}, headers=HTMX).status_code == 400
    assert rows.warmups(athlete) == [] and len(rows.checkins(athlete)) == (0 if path == "/warmup/check" else 1)


def test_a_coach_only_account_has_no_warm_up(client, make_user, auth):
    make_user(athlete=False, coach=True)
    auth.signin()
    assert client.get("/warmup").status_code == 404
    assert client.post("/warmup/finish", data={}).status_code == 404


def test_a_green_day_with_pain_above_the_limit_gets_the_low_impact_warm_up(client, rows, athlete):
    """The safety gate, rule 3: hops only when pain now is within the threshold (0 by default)."""
    rows.checkin(athlete, TODAY, pain_now=1, status="green")
    page = text(client.get("/warmup"))
    assert listed(page) == slugs("amber")
    assert "Low-impact warm-up today. Hops and impact work come back once your pain now is 0/10" in page


@pytest.mark.parametrize("status", ["green", "amber", "red", None])
def test_todays_routine_is_built_once_per_runner_and_status_and_follows_the_profile(status):
    """routine_for remembers build_warmup's routine per runner (type, equipment) and status: the
    same routine for the same inputs, and another as soon as the profile or the status changes."""
    from app.models import AthleteProfile
    from app.warmup.service import routine_for

    profile = AthleteProfile(runner_type="general", knee_status="none", has_band=False)
    routine = routine_for(profile, status)
    assert routine == build_warmup(RunnerProfile("general", frozenset()), status, library())
    assert routine_for(profile, status) is routine
    profile.has_band = True
    banded = routine_for(profile, status)
    assert banded == build_warmup(RunnerProfile("general", frozenset({"band"})), status, library())
    profile.runner_type = "trail"
    assert routine_for(profile, status) == build_warmup(RunnerProfile("trail", frozenset({"band"})), status,
                                                          library())


def test_a_checklist_form_class_is_made_once_per_routine_with_exactly_its_items(app):
    """checklist_form makes the form class for a routine's items once (WTForms works a class's
    fields out on first use); another routine gets a class with its own skip fields, no more."""
    from app.warmup.forms import SKIP_PREFIX, checklist_form

    general = build_warmup(RunnerProfile("general", frozenset()), "green", library())
    recovery = build_warmup(RunnerProfile("general", frozenset()), "red", library())
    assert [i.exercise.slug for i in general.items] != [i.exercise.slug for i in recovery.items]
    with app.test_request_context("/warmup"):
        first, again, other = (checklist_form(routine, meta={"csrf": False})
                               for routine in (general, general, recovery))
        assert type(first) is type(again) and type(other) is not type(first)
        for form, routine in ((first, general), (other, recovery)):
            skips = sorted(field.name for field in form if field.name.startswith(SKIP_PREFIX))
            assert skips == sorted(SKIP_PREFIX + item.exercise.slug for item in routine.items)
            assert [choice.value for choice in form.done.choices] == [i.exercise.slug for i in routine.items]
