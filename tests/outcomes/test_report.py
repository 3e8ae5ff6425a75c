"""The physio report (page, PDF, FHIR) and the coach's side, through the routes."""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from app.extensions import db
from app.models import CheckIn, CoachAction
from tests.fixtures.coaching import add_link, add_user, sign_in_as
from tests.outcomes.conftest import START, add_pain, baseline_form, follow_up_form, stored

LATER = START + timedelta(weeks=4)


@pytest.fixture
def history(client, app, people, clock):
    """A baseline, a follow-up four weeks on, four weeks of pain, and one acknowledged red flag."""
    sign_in_as(client, app, people.athlete)
    client.post("/progress/questionnaire", data=baseline_form())
    clock.set(LATER)
    client.post("/progress/questionnaire", data=follow_up_form())
    add_pain(app, people.athlete, {START + timedelta(days=n): 4 if n < 14 else 2 for n in range(28)})
    with app.app_context():
        db.session.add(CheckIn(athlete_id=people.athlete, local_date=LATER, pain_now=3, status="red",
                               red_flags=["locks_or_gives_way"], acknowledged_at=datetime(2026, 3, 30, 12),
                               acknowledged_by_id=people.coach))
        db.session.add(CoachAction(athlete_id=people.athlete, coach_id=people.coach, coach_name="Coach Sam",
                                   kind="note", text="Keep going", created_at=datetime(2026, 3, 10, 8)))
        db.session.commit()
    return people


def test_the_report_page_has_every_section(client, history):
    page = client.get("/progress/report").get_data(as_text=True)
    for text in ("Knee report: Riley Runner", "2 Mar 2026 to 30 Mar 2026", "Stage 1", "Kujala AKPS",
                 "+14 <strong>(matters)</strong>", "Urgent, today</strong>: Knee locks or gives way",
                 "acknowledged by Coach Sam on 30 Mar 2026", "Coach Sam: Note: Keep going",
                 "Strength sessions per week: 0 (advised 2–3)", "PDF (A4)", "FHIR (JSON)"):
        assert text in page, text


def test_the_pdf_carries_the_scores(client, history):
    response = client.get("/progress/report?format=pdf&start=2026-03-02&end=2026-03-30&paper=letter")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Knee report: Riley Runner" in text
    assert "Kujala up 14 points since the start - a change that matters." in text
    for score in ("84", "98", "+14", "7.5", "+3.5", "+5"):
        assert score in text, score
    assert "Urgent, today" in text and "Keep going" in text
    assert round(float(reader.pages[0].mediabox.width)) == 612  # Letter


def test_the_fhir_bundle_validates_and_holds_every_answer(client, history):
    response = client.get("/progress/report?format=fhir&start=2026-03-02&end=2026-03-30")
    body = json.loads(response.data)
    Bundle.model_validate(body)  # raises on anything R4(B) does not allow
    kinds = [entry["resource"]["resourceType"] for entry in body["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("QuestionnaireResponse") == 5
    observations = [e["resource"] for e in body["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert len(observations) == 29  # one per check-in: 28 days from 2 Mar, and the red one on 30 Mar
    assert {o["code"]["coding"][0]["code"] for o in observations} == {"72514-3"}
    akps = [e["resource"] for e in body["entry"] if e["resource"].get("questionnaire", "").endswith("/akps")]
    assert [r["item"][0]["item"][-1]["answer"][0]["valueInteger"] for r in akps] == [84, 98]


@pytest.mark.parametrize("query, field, message", [
    ("start=2026-03-20&end=2026-03-10", "end", "The end date is before the start date."),
    ("start=2016-03-01&end=2026-03-30", "start", "A report covers two years at most"),
    ("start=yesterday", "start", "Enter a date, like 2026-11-24."),
    ("end=2026-04-30", "end", "The end date is after today"),
    ("start=" + "9" * 5000, "start", "Enter a date"),
])
def test_a_bad_period_is_refused_beside_its_field(client, history, query, field, message):
    for fmt in ("page", "pdf", "fhir"):
        response = client.get(f"/progress/report?format={fmt}&{query}")
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert f'<p class="field-error" id="{field}-error">' in page and message in page


# ── the coach ───────────────────────────────────────────────────────────────────────────────

def test_the_coach_sees_the_charts_sets_the_interval_and_asks_for_one(client, app, history, clock):
    sign_in_as(client, app, history.coach)
    page = client.get(f"/coach/athletes/{history.athlete}").get_data(as_text=True)
    assert "Outcome measures" in page and "Kujala up 14 points" in page and 'class="mcid-band"' in page
    base = f"/coach/athletes/{history.athlete}/outcomes"
    assert client.post(f"{base}/interval", data={"weeks": "7"}).status_code == 422
    assert client.post(f"{base}/interval", data={"weeks": "2"}).status_code == 303
    assert client.post(f"{base}/request").status_code == 303
    with app.app_context():
        kinds = [(a.kind, a.value) for a in db.session.scalars(
            db.select(CoachAction).where(CoachAction.kind.in_(("set_outcome_interval", "request_outcomes"))))]
    assert kinds == [("set_outcome_interval", 2), ("request_outcomes", None)]
    assert "Knee report: Riley Runner" in client.get(f"{base}/report?start=2026-03-02&end=2026-03-30").get_data(as_text=True)
    assert client.get(f"{base}/report?format=pdf").status_code == 200
    Bundle.model_validate(json.loads(client.get(f"{base}/report?format=fhir").data))


def test_a_request_makes_a_round_due_for_the_runner(client, app, history, clock):
    with app.app_context():
        db.session.add(CoachAction(athlete_id=history.athlete, coach_id=history.coach, coach_name="Coach Sam",
                                   kind="request_outcomes", created_at=datetime(2026, 4, 2, 9)))
        db.session.commit()
    clock.set(date(2026, 4, 2))
    sign_in_as(client, app, history.athlete)
    page = client.get("/today").get_data(as_text=True)
    assert "Time for a progress check" in page and "Your coach asked for one." in page


def test_the_interval_decides_when_the_next_round_is_due(client, app, history, clock):
    with app.app_context():
        db.session.add(CoachAction(athlete_id=history.athlete, coach_id=history.coach, coach_name="Coach Sam",
                                   kind="set_outcome_interval", value=2, created_at=datetime(2026, 3, 31, 9)))
        db.session.commit()
    sign_in_as(client, app, history.athlete)
    clock.set(LATER + timedelta(days=13))
    assert "Time for a progress check" not in client.get("/today").get_data(as_text=True)
    clock.set(LATER + timedelta(days=14))
    assert "Time for a progress check" in client.get("/today").get_data(as_text=True)


@pytest.mark.parametrize("who", ["stranger", "other_athlete", "nobody"])
def test_anyone_but_the_linked_coach_gets_404(client, app, history, make_user, who):
    if who == "stranger":
        sign_in_as(client, app, history.stranger)
    elif who == "other_athlete":
        sign_in_as(client, app, make_user(email="olive@example.com", name="Olive"))
    base = f"/coach/athletes/{history.athlete}/outcomes"
    for path in ("", "/report", "/report?format=pdf", "/report?format=fhir"):
        assert client.get(base + path).status_code in ((404,) if who != "nobody" else (302, 404))
    for path in ("/interval", "/request"):
        assert client.post(base + path, data={"weeks": "2"}).status_code in ((404,) if who != "nobody" else (302, 404))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CoachAction.id)).where(
            CoachAction.kind.in_(("set_outcome_interval", "request_outcomes")))) == 0
    assert len(stored(app, history.athlete)) == 5


def test_a_linked_athlete_without_a_profile_sends_the_coach_back_saying_so(client, app, people, password_hash):
    with app.app_context():
        newcomer = add_user(password_hash, "new@example.com", "Nell New", profile=False)
        add_link(people.coach, newcomer)
        db.session.commit()
    sign_in_as(client, app, people.coach)
    base = f"/coach/athletes/{newcomer}/outcomes"
    for answer in (client.get(base), client.get(base + "/report"),
                   client.post(base + "/interval", data={"weeks": "2"}), client.post(base + "/request")):
        assert answer.status_code == 303 and answer.headers["Location"] == f"/coach/athletes/{newcomer}"
    assert "Nell New hasn&#39;t set up their profile yet." in client.get(f"/coach/athletes/{newcomer}").get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CoachAction.id)).where(CoachAction.athlete_id == newcomer)) == 0


# ── the board ───────────────────────────────────────────────────────────────────────────────

def test_the_board_shows_the_change_since_baseline(client, app, history):
    sign_in_as(client, app, history.coach)
    page = client.get("/coach").get_data(as_text=True)
    assert "Kujala +14 · PSFS +3.5 since the start" in page
    assert "down" not in page.split("Riley Runner", 2)[-1].split("</article>")[0]


def test_a_drop_beyond_the_mcid_raises_the_attention_rank(client, app, people, clock):
    from app.coach.dashboard import dashboard_cards
    from app.models import OutcomeResponse, User

    with app.app_context():
        for day, score in ((START, 80), (LATER, 69)):  # a fall of 11: beyond the 10 that matters
            db.session.add(OutcomeResponse(athlete_id=people.athlete, kind="akps", local_date=day,
                                           answers={}, score=score))
        db.session.commit()
        [card] = dashboard_cards(db.session.get(User, people.coach))
        assert card.tier == 1 and "Kujala down 11 since the start" in card.reasons
        db.session.execute(db.update(OutcomeResponse).where(OutcomeResponse.local_date == LATER).values(score=71))
        db.session.commit()
        [card] = dashboard_cards(db.session.get(User, people.coach))
        assert card.tier > 1 and card.outcome == "Kujala −9 since the start"
