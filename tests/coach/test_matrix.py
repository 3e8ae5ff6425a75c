"""The authorization matrix: every coaching route × every kind of visitor, with the status each
must get — on SQLite and on PostgreSQL. A coach reaches an athlete only through an active link;
everyone else gets 404 (never 403) and changes nothing."""
from __future__ import annotations


import pytest

from app.coach import access, kept_cards
from app.extensions import db
from app.models import AthleteProfile, BoardCard, CheckIn, CoachAction, CoachLink, User
from tests.fixtures.coaching import add_checkin, add_link
from tests.conftest import TEST_TODAY

ACTORS = ("anonymous", "athlete", "other_athlete", "coach", "stranger", "former", "pending")
COACHES = ("coach", "stranger", "former", "pending")


def only(who: str, ok: int) -> dict[str, int]:
    """Signed-out visitors go to sign-in; `who` gets `ok`; everyone else 404."""
    return {actor: 302 if actor == "anonymous" else ok if actor == who else 404 for actor in ACTORS}


def coaches(ok: int) -> dict[str, int]:
    return {actor: 302 if actor == "anonymous" else ok if actor in COACHES else 404 for actor in ACTORS}


def athletes(ok: int) -> dict[str, int]:
    return {actor: 302 if actor == "anonymous" else ok if "athlete" in actor else 404 for actor in ACTORS}


ANSWER = {actor: 302 if actor == "anonymous" else 303 if "athlete" in actor else 409 for actor in ACTORS}
PUBLIC = dict.fromkeys(ACTORS, 200)

# (method, path, form data, expected status per actor). {athlete}, {checkin}, … come from the cast.
ROUTES = [
    ("GET", "/coach", None, coaches(200)),
    ("GET", "/coach?show=attention", None, coaches(200)),
    ("GET", "/coach/invitations", None, coaches(200)),
    ("POST", "/coach/invitations", {}, coaches(303)),
    ("POST", "/coach/invitations/{invitation}/revoke", {}, only("pending", 303)),
    ("GET", "/coach/athletes/{athlete}", None, only("coach", 200)),
    ("GET", "/coach/athletes/{athlete}?days=90", None, only("coach", 200)),
    ("POST", "/coach/athletes/{athlete}/checkins/{checkin}/acknowledge", {}, only("coach", 303)),
    ("POST", "/coach/athletes/{athlete}/pause", {}, only("coach", 303)),
    ("POST", "/coach/athletes/{athlete}/resume", {}, only("coach", 303)),
    ("POST", "/coach/athletes/{athlete}/stage", {"stage": "2"}, only("coach", 303)),
    ("POST", "/coach/athletes/{athlete}/threshold", {"threshold": "1"}, only("coach", 303)),
    ("POST", "/coach/athletes/{athlete}/sessions-to-advance", {"sessions_to_advance": "4"}, only("coach", 303)),
    ("POST", "/coach/athletes/{athlete}/note", {"text": "Easy week."}, only("coach", 303)),
    ("POST", "/coach/athletes/{athlete}/remove", {}, only("coach", 303)),
    ("GET", "/coaches", None, athletes(200)),
    ("POST", "/coaches/{link}/leave", {}, only("athlete", 303)),
    ("GET", "/invite", None, PUBLIC),
    ("POST", "/invite", {"code": "kr-7q4m-x2pd"}, dict.fromkeys(ACTORS, 303)),
    ("GET", "/invite/KR-7Q4M-X2PD", None, PUBLIC),
    ("POST", "/invite/KR-7Q4M-X2PD/accept", {}, ANSWER),
    ("POST", "/invite/KR-7Q4M-X2PD/decline", {}, ANSWER),
]
ATHLETE_ROUTES = [route for route in ROUTES if "{athlete}" in route[1]]


def fingerprint() -> tuple:
    """Everything a coach's act could change about the athlete."""
    return (
        db.session.scalar(db.select(db.func.count()).select_from(CoachAction)),
        tuple(db.session.execute(db.select(CheckIn.id, CheckIn.acknowledged_at, CheckIn.acknowledged_by_id)
                                 .order_by(CheckIn.id)).all()),
        tuple(db.session.execute(db.select(AthleteProfile.user_id, AthleteProfile.pain_threshold,
                                           AthleteProfile.sessions_to_advance).order_by(AthleteProfile.user_id)).all()),
        tuple(db.session.execute(db.select(CoachLink.id, CoachLink.status, CoachLink.athlete_id)
                                 .order_by(CoachLink.id)).all()),
    )


@pytest.fixture
def world(app, cast):
    with app.app_context():
        checkin = add_checkin(cast.athlete, TEST_TODAY, pain_now=7, red_flags=["locks_or_gives_way"])
    return {"athlete": cast.athlete, "checkin": checkin, "invitation": cast.invitation, "link": cast.link}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("method, path, data, expected", ROUTES,
                         ids=[f"{method} {path}" for method, path, _, _ in ROUTES])
def test_authorization_matrix(client, app, cast, world, login, actor, method, path, data, expected):
    login(None if actor == "anonymous" else getattr(cast, actor))
    url = path.format(**world)
    with app.app_context():
        before = fingerprint()
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    assert response.status_code == expected[actor], response.get_data(as_text=True)[:500]
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/signin")
    if response.status_code in (302, 404, 409):
        with app.app_context():
            assert fingerprint() == before, "a refused request changed something"
    if response.status_code == 404:
        page = response.get_data(as_text=True)
        assert "Page not found" in page and "Riley" not in page


@pytest.mark.parametrize("method, path, data, expected", ATHLETE_ROUTES,
                         ids=[f"{method} {path}" for method, path, _, _ in ATHLETE_ROUTES])
def test_a_missing_or_deleted_athlete_is_404(client, app, cast, world, login, method, path, data, expected):
    login(cast.coach)
    for athlete_id in (999999, cast.other_athlete + 1000):
        url = path.format(**{**world, "athlete": athlete_id})
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        assert response.status_code == 404
    with app.app_context():
        db.session.delete(db.session.get(AthleteProfile, cast.athlete).user)
        db.session.commit()
    url = path.format(**world)
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    assert response.status_code == 404


@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", "99999999999999999999999"])
def test_ids_too_large_for_the_database_are_404_not_500(client, cast, world, login, number):
    login(cast.coach)
    assert client.get(f"/coach/athletes/{number}").status_code == 404
    for path in (f"/coach/athletes/{number}/note", f"/coach/invitations/{number}/revoke",
                 f"/coach/athletes/{cast.athlete}/checkins/{number}/acknowledge"):
        assert client.post(path, data={"text": "x"}).status_code == 404, path
    login(cast.athlete)
    assert client.post(f"/coaches/{number}/leave").status_code == 404


@pytest.mark.parametrize("coach", ["coach", "stranger", "former", "pending", "athlete", "other_athlete"])
def test_a_board_walk_asks_the_same_question_as_every_other_coaching_query(app, cast, coach):
    """seen_by (a condition on users) and seen_by_at (the same asked of a board card's athlete, row
    by row) let each coach see the same athletes: only the coach's, through its active link; nobody
    sees a user who is no athlete, nor anyone through an ended link or an invitation."""
    coach_id = getattr(cast, coach)
    with app.app_context():
        add_link(cast.coach, cast.stranger)  # an active link to someone who is no athlete
        # A card row for every user of the cast, coaches (who are no athletes) too.
        kept_cards.clear(db.session.connection(), list(db.session.scalars(db.select(User.id))))
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(BoardCard)) == 6
        seen = set(db.session.scalars(db.select(User.id).where(access.seen_by(coach_id))))
        walked = set(db.session.scalars(db.select(BoardCard.athlete_id)
                                        .where(access.seen_by_at(coach_id, BoardCard.athlete_id))))
        assert seen == walked == ({cast.athlete, cast.other_athlete} if coach == "coach" else set())
        with pytest.raises(ValueError):
            access.seen_by_at(None, BoardCard.athlete_id)
