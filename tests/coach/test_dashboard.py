"""The coach's dashboard: who needs attention first, what each card says, polling, and a
constant number of queries whatever the number of athletes."""
from __future__ import annotations

import gzip
import re
from datetime import timedelta

import pytest

from app.clock import local_today
from app.extensions import db
from app.models import CheckIn, CoachAction, CoachLink, TrainingSession, User, WarmupLog
from tests.fixtures.coaching import add_checkin, add_link, add_user, at, log_session, sign_in_as, text
from tests.conftest import TEST_TODAY

TODAY = TEST_TODAY


def card_names(page: str) -> list[str]:
    return re.findall(r'<h3 id="athlete-\d+"><a id="athlete-link-\d+" href="/coach/athletes/\d+">([^<]+)</a>', page)


def card_of(page: str, name: str) -> str:
    """The HTML of one athlete's card."""
    start = page.index(f">{name}</a>")
    end = page.find('<li class="athlete', start)
    return page[start:end if end > 0 else None]


@pytest.fixture
def squad(app, cast, password_hash):
    """Coach Sam's athletes, one for each kind of day."""
    with app.app_context():
        names = {}
        for key, name in [("green", "Gus Green"), ("amber", "Amy Amber"), ("red_ack", "Rex Acked"),
                          ("red_new", "Ruby New"), ("quiet", "Quinn Quiet"), ("held", "Hal Held"),
                          ("none", "Nia Nothing")]:
            names[key] = add_user(password_hash, f"{key}@example.com", name)
            add_link(cast.coach, names[key])
        db.session.commit()
        add_checkin(names["green"], TODAY, pain_now=1)
        add_checkin(names["amber"], TODAY, pain_now=4)
        add_checkin(names["red_ack"], TODAY, pain_now=7, acknowledged_at=at(TODAY, 9), acknowledged_by_id=cast.coach)
        add_checkin(names["red_new"], TODAY - timedelta(days=1), pain_now=3, red_flags=["locks_or_gives_way"])
        add_checkin(names["quiet"], TODAY - timedelta(days=5), pain_now=2)
        log_session(names["held"], TODAY - timedelta(days=1), 1, [0, 3])
        add_checkin(names["held"], TODAY, pain_now=2)
        db.session.commit()
    return names


def test_athletes_who_need_attention_come_first(client, cast, squad, login):
    login(cast.coach)
    names = card_names(text(client.get("/coach")))
    assert names == ["Ruby New", "Rex Acked", "Amy Amber", "Hal Held", "Nia Nothing", "Olive Other",
                     "Quinn Quiet", "Riley Runner", "Gus Green"]


def test_each_card_says_how_the_athlete_is(client, app, cast, squad, login):
    with app.app_context():
        for offset in range(1, 14):
            add_checkin(squad["green"], TODAY - timedelta(days=offset), pain_now=offset % 3)
        db.session.add(WarmupLog(athlete_id=squad["green"], local_date=TODAY, built_for="green"))
        db.session.commit()
    login(cast.coach)
    page = text(client.get("/coach"))
    gus = card_of(page, "Gus Green")
    assert 'class="badge badge-green">Green' in gus
    assert "1/10" in gus and "7-day avg 1.0" in gus
    assert 'aria-label="Pain now, last 14 days: 14 check-ins, lowest 0/10, highest 2/10, latest 1/10."' in gus
    assert "<polyline" in gus
    assert "Stage 1 · 0 of 3 toward Stage 2" in gus
    assert "1 warm-up · " in gus and "0 of 2–3 strength sessions" in gus
    assert "Last activity</dt><dd>today" in gus
    nia = card_of(page, "Nia Nothing")
    assert "No check-in today" in nia and "7-day avg —" in nia and "never" in nia and "Nothing logged yet" in nia
    quinn = card_of(page, "Quinn Quiet")
    assert "Nothing logged for 5 days" in quinn and "2/10" in quinn
    hal = card_of(page, "Hal Held")
    assert ">Held</span>" in hal and "had pain 3/10" in hal
    this_week = 0 if TODAY.weekday() == 0 else 1  # on a Monday, yesterday's session was last week's
    assert f"{this_week} of 2–3 strength sessions" in hal


def test_an_unacknowledged_red_checkin_shows_its_red_flags_and_can_be_acknowledged(client, app, cast, squad, login):
    login(cast.coach)
    ruby = card_of(text(client.get("/coach")), "Ruby New")
    assert "1 red check-in to acknowledge" in ruby
    assert "Red check-in yesterday" in ruby and "Knee locks or gives way" in ruby
    with app.app_context():
        checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.athlete_id == squad["red_new"]))
    response = client.post(f"/coach/athletes/{squad['red_new']}/checkins/{checkin.id}/acknowledge",
                           data={"back": "dashboard", "show": "attention"})
    assert response.status_code == 303 and response.headers["Location"] == "/coach?show=attention"
    page = text(client.get("/coach"))
    assert "Acknowledged Ruby New's red check-in." in page
    assert "to acknowledge" not in card_of(page, "Ruby New")
    with app.app_context():
        stored = db.session.get(CheckIn, checkin.id)
        assert stored.acknowledged_at is not None and stored.acknowledged_by_id == cast.coach
        action = db.session.scalar(db.select(CoachAction).where(CoachAction.kind == "ack_red_flag"))
        assert (action.coach_id, action.coach_name, action.checkin_id) == (cast.coach, "Coach Sam", checkin.id)


URGENCY_SQUAD = [  # (name, red check-in fields): every one red and unacknowledged
    ("Sol Soon", {"red_flags": ["constant_or_night_pain"]}),
    ("Nell Noflag", {"pain_now": 8}),
    ("Emma Emergency", {"red_flags": ["injury_pop_or_deformed", "constant_or_night_pain"]}),
    ("Cleo Calf", {"red_flags": ["swollen_tender_calf"], "calf_breathless": True}),
    ("Carl Calf", {"red_flags": ["swollen_tender_calf"], "calf_breathless": False}),
]


def test_red_checkins_are_ordered_by_urgency_and_say_it(client, app, cast, squad, login, password_hash, statements):
    login(cast.coach)
    before = count_dashboard_queries(statements, client)
    with app.app_context():
        ids = {}
        for name, fields in URGENCY_SQUAD:
            ids[name] = add_user(password_hash, f"{name.split()[0].lower()}@example.com", name)
            add_link(cast.coach, ids[name])
            db.session.commit()
            add_checkin(ids[name], TODAY, **{"pain_now": 2, "status": "red", **fields})
    page = text(client.get("/coach"))
    # Emergency first (the calf with breathlessness is one), then urgent, then soon, then red without a flag;
    # an acknowledged red check-in (Rex) comes after every one still to acknowledge.
    assert card_names(page)[:7] == ["Cleo Calf", "Emma Emergency", "Carl Calf", "Ruby New", "Sol Soon",
                                    "Nell Noflag", "Rex Acked"]
    for name, title in [("Cleo Calf", "Emergency — now"), ("Emma Emergency", "Emergency — now"),
                        ("Carl Calf", "Urgent — today"), ("Ruby New", "Urgent — today"),
                        ("Sol Soon", "Soon — within a few days")]:
        card = card_of(page, name)
        urgency = {"E": "emergency", "U": "urgent", "S": "soon"}[title[0]]
        assert f'<span>{title} · 1 red check-in to acknowledge' in card, name
        assert re.search(f'<span class="badge badge-{urgency}">{title}</span> <strong>Red check-in (today|yesterday)</strong>',
                         card), name
    nell = card_of(page, "Nell Noflag")
    assert "<span>1 red check-in to acknowledge" in nell and "badge-emergency" not in nell and "badge-soon" not in nell
    # Ranking by urgency reads columns the alerts query already had: still the same number of queries.
    assert count_dashboard_queries(statements, client)[1] == before[1]  # warm board, same statements
    athlete_page = text(client.get(f"/coach/athletes/{ids['Cleo Calf']}"))
    assert '<span class="badge badge-emergency">Emergency — now</span> <strong>today</strong>' in athlete_page
    assert "Emergency — now · Red flags: Swollen, tender calf" in athlete_page


def test_red_checkins_older_than_two_weeks_are_history_not_alerts(client, app, cast, login):
    with app.app_context():
        add_checkin(cast.athlete, TODAY - timedelta(days=14), pain_now=8)
    login(cast.coach)
    assert "to acknowledge" not in card_of(text(client.get("/coach")), "Riley Runner")


def test_filters_show_who_needs_attention_or_everyone(client, cast, squad, login):
    login(cast.coach)
    page = text(client.get("/coach?show=attention"))
    assert card_names(page) == ["Ruby New", "Rex Acked", "Amy Amber", "Hal Held", "Nia Nothing", "Olive Other",
                                "Quinn Quiet", "Riley Runner"]
    assert re.search(r'aria-current="page">Needs attention <span class="count">8</span>', page)
    assert '<span class="count">9</span>' in page
    assert len(card_names(text(client.get("/coach?show=all")))) == 9
    assert len(card_names(text(client.get("/coach?show=<script>")))) == 9


def test_nobody_needing_attention_says_so(client, app, cast, login):
    with app.app_context():
        for athlete in (cast.athlete, cast.other_athlete):
            add_checkin(athlete, TODAY, pain_now=0)
    login(cast.coach)
    assert "Nobody needs your attention right now." in text(client.get("/coach?show=attention"))


def test_a_coach_without_athletes_is_invited_to_invite(client, cast, login):
    login(cast.stranger)
    page = text(client.get("/coach"))
    assert "No athletes yet" in page and 'href="/coach/invitations"' in page


def test_an_athlete_without_a_profile_still_appears(client, app, cast, password_hash, login):
    with app.app_context():
        newbie = add_user(password_hash, "newbie@example.com", "Nell Newbie", profile=False)
        add_link(cast.coach, newbie)
        db.session.commit()
    login(cast.coach)
    assert "No running profile yet" in card_of(text(client.get("/coach")), "Nell Newbie")
    page = text(client.get(f"/coach/athletes/{newbie}"))
    assert "hasn't set up a running profile yet" in page and "Send note" in page


def test_today_is_the_athletes_own_day(client, app, cast, password_hash, login):
    with app.app_context():
        kiwi = add_user(password_hash, "kiwi@example.com", "Kiri Kiwi", timezone="Pacific/Kiritimati")
        add_link(cast.coach, kiwi)
        db.session.commit()
        from app.models import AthleteProfile

        kiwi_today = local_today(db.session.get(AthleteProfile, kiwi))
        add_checkin(kiwi, kiwi_today, pain_now=4)
    login(cast.coach)
    assert "Amber today" in card_of(text(client.get("/coach")), "Kiri Kiwi")


# ── polling ──────────────────────────────────────────────────────────────────────────────────

def test_the_board_polls_and_htmx_gets_the_same_fragment(client, cast, login):
    login(cast.coach)
    page = client.get("/coach?show=attention").get_data(as_text=True)
    board = re.search(r'<section id="coach-board"[^>]*>', page).group(0)
    assert 'hx-get="/coach?show=attention"' in board and 'hx-trigger="every 30s, focus from:window"' in board
    assert 'hx-swap="outerHTML"' in board
    response = client.get("/coach?show=attention", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="coach-board"') and "<html" not in fragment
    assert response.headers["Cache-Control"] == "no-store" and "HX-Request" in response.headers["Vary"]


def test_a_red_checkin_reaches_the_top_of_the_board_on_the_next_poll(client, app, cast, squad, login):
    login(cast.coach)
    assert card_names(text(client.get("/coach")))[0] == "Ruby New"
    with app.app_context():
        add_checkin(cast.athlete, TODAY, pain_now=8)
    fragment = text(client.get("/coach", headers={"HX-Request": "true"}))
    # Both red and unacknowledged: Ruby's red flag is urgent, Riley's pain alone has no urgency.
    assert card_names(fragment)[:2] == ["Ruby New", "Riley Runner"]
    assert "Red today" in card_of(fragment, "Riley Runner")
    with app.app_context():
        add_checkin(cast.athlete, TODAY - timedelta(days=1), pain_now=2, red_flags=["injury_pop_or_deformed"])
    fragment = text(client.get("/coach", headers={"HX-Request": "true"}))
    assert card_names(fragment)[:2] == ["Riley Runner", "Ruby New"]  # an emergency goes above an urgent one


def test_an_unchanged_board_answers_a_poll_with_304_and_no_body(client, app, cast, squad, login):
    login(cast.coach)
    poll = {"HX-Request": "true", "Accept-Encoding": "gzip"}
    first = client.get("/coach", headers=poll)
    tag = first.headers["ETag"]
    again = client.get("/coach", headers={**poll, "If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["Cache-Control"] == "no-store"
    with app.app_context():
        add_checkin(cast.athlete, TODAY, pain_now=8)
    changed = client.get("/coach", headers={**poll, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert changed.headers["Content-Encoding"] == "gzip"
    assert "Red today" in card_of(gzip.decompress(changed.get_data()).decode(), "Riley Runner")


def test_a_new_red_checkin_is_marked_for_the_screen_reader_announcement(client, app, cast, squad, login):
    login(cast.coach)
    page = text(client.get("/coach"))
    assert '<p id="board-news" class="visually-hidden" role="status" aria-live="polite"></p>' in page
    assert page.index('id="board-news"') < page.index('id="coach-board"')  # outside what a poll replaces
    assert "js/coach.js" in page
    with app.app_context():
        add_checkin(cast.athlete, TODAY, pain_now=8)
    card = card_of(text(client.get("/coach", headers={"HX-Request": "true"})), "Riley Runner")
    assert re.search(r'data-alert="\d+" data-name="Riley Runner"', card)

# ── performance ──────────────────────────────────────────────────────────────────────────────

def count_dashboard_queries(statements, client) -> tuple[int, int]:
    """(statements on a cold load with no snapshots, statements on the next load)."""
    counts = []
    for _ in range(2):
        with statements() as seen:
            response = client.get("/coach")
        assert response.status_code == 200
        counts.append(len(seen))
    return counts[0], counts[1]


def test_the_dashboard_issues_a_constant_number_of_queries(client, app, password_hash, statements):
    from bench.history import build

    results = {}
    for athletes in (3, 300):
        with app.app_context():
            coach = build(athletes=athletes, days=20, today=TODAY, tag=f"q{athletes}", password_hash=password_hash)
            assert db.session.scalar(db.select(db.func.count()).select_from(TrainingSession)) > 0
        sign_in_as(client, app, coach)
        page = client.get("/coach").get_data(as_text=True)  # also checks every athlete is counted
        assert len(card_names(page)) == min(athletes, 50)  # the first page of the board
        assert f'All <span class="count">{athletes}</span>' in page
        with app.app_context():  # forget the snapshots and the kept cards so the next load is cold again
            db.session.execute(db.text("DELETE FROM progress_snapshots"))
            db.session.execute(db.text("DELETE FROM board_cards"))
            db.session.commit()
        results[athletes] = count_dashboard_queries(statements, client)
    assert results[3] == results[300], results
    cold, warm = results[3]
    # Warm: the coach, the counts (which also tell that no card is stale), the page. Cold: which
    # cards are stale, the snapshots (5), the board's eight loaders, keeping the cards, the counts again.
    assert warm == 3 and cold <= warm + 15, results


def test_deleted_and_unlinked_athletes_never_reach_the_board(client, app, cast, login):
    with app.app_context():
        db.session.execute(db.update(CoachLink).where(CoachLink.id == cast.other_link).values(status="ended"))
        db.session.delete(db.session.get(User, cast.athlete))
        db.session.commit()
    login(cast.coach)
    assert card_names(text(client.get("/coach"))) == []


def test_the_demo_coach_has_a_red_checkin_to_acknowledge_and_a_note_on_record(app, client):
    from tests.fixtures.coaching import sign_in_as

    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["demo-data", "--password", "demo password 123"]).exit_code == 0
    with app.app_context():
        coach = db.session.scalar(db.select(User).where(User.email == "coach@demo.kneeready.app"))
        assert db.session.scalar(db.select(CoachAction.text).where(CoachAction.kind == "note")).startswith("Nice")
    sign_in_as(client, app, coach.id)
    page = text(client.get("/coach"))
    assert card_names(page)[0] == "Leo Martins"
    assert "Knee locks or gives way" in card_of(page, "Leo Martins")


def test_a_poll_after_the_session_ended_sends_the_page_to_sign_in(client):
    response = client.get("/coach", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Location"] == "/signin?next=/coach"
    assert client.get("/coach").status_code == 302


def test_two_coaches_of_one_athlete_share_a_cards_html_but_acknowledge_with_their_own_token(app, client, cast):
    """A card's head and facts are rendered once per process for the card as kept (app/fragments.py);
    its red alert carries the viewer's own CSRF token, drawn for each page, so either coach can
    acknowledge it."""
    with app.app_context():
        add_link(cast.stranger, cast.athlete)
        db.session.commit()
        checkin_id = add_checkin(cast.athlete, TODAY - timedelta(days=1), pain_now=8)
    other = app.test_client()
    sign_in_as(client, app, cast.coach)
    sign_in_as(other, app, cast.stranger)
    pages = [client.get("/coach").get_data(as_text=True), other.get("/coach").get_data(as_text=True)]
    tokens = [re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1) for page in pages]
    acknowledge = f"/coach/athletes/{cast.athlete}/checkins/{checkin_id}/acknowledge"
    in_forms = [re.search(rf'action="{acknowledge}"><input type="hidden" name="csrf_token" value="([^"]+)"',
                          page).group(1) for page in pages]
    assert in_forms == tokens and tokens[0] != tokens[1]
    cards = [card_of(page, "Riley Runner").split("</article>")[0].replace(token, "")
             for page, token in zip(pages, tokens)]
    assert cards[0] == cards[1] and "Red check-in yesterday" in cards[0]
    response = other.post(acknowledge, data={"back": "dashboard", "csrf_token": in_forms[1]})
    assert response.status_code == 303
    assert "Red check-in yesterday" not in card_of(text(client.get("/coach")), "Riley Runner")
