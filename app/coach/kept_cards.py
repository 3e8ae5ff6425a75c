"""The board's cards, kept in the database: a coach with 10,000 athletes gets the first fifty from
one ordered query, instead of building 10,000 cards on every load.

Correctness rests on the same four things as the progress snapshots (app/progress/snapshots.py):
- A card is built by the dashboard itself (app.coach.dashboard.build_cards) for the athlete's own
  today, and kept until that day ends in the athlete's time zone (`valid_until`): after midnight
  the days since the last log, the 14 days an alert counts and today's status have moved on.
- Every write to anything a card shows, through the ORM session, bumps that athlete's
  `generation` and clears the card in the same transaction (app.kept's listeners). A bulk
  UPDATE or DELETE on those tables clears every card, unless it names the athletes it changes
  with `.execution_options(board_athletes=[...])`.
- A card is kept only if the generation read before it was built is still current (a
  compare-and-set), so a write racing a board load can't leave a stale card behind.
- It carries a fingerprint of the code that built it: after a deploy that changes it, old
  cards count as missing.
If the cards can't be stored (a busy database), the page is worked out in memory, as before.

The board's counts (how many athletes, how many need attention) are kept per coach the same way,
so a big roster's load makes no pass over every athlete: counted when every card was fit to show,
kept until the first of those cards expires, and cleared by every write that clears a card of
one of the coach's athletes (by any link), in the same transaction; a bulk write to the links
clears the counts of the coaches linked before it and after it. A deleted account or link can't
be traced to its coaches after the flush: it clears every coach's counts. A search by name
counts afresh.
"""
from __future__ import annotations

import hashlib
import sys
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import BindParameter, ColumnElement, Select, Text, and_, bindparam, case, cast, event, func, literal, or_
from sqlalchemy.orm import Session

from app import kept
from app.coach import board, dashboard
from app.coach.access import COACH_ID, active_athlete_ids, require_coach, seen_by, seen_by_at
from app.domain.coaching import NEEDS_ATTENTION
from app.extensions import db
from app.models import (
    AthleteProfile, BoardCard, BoardCount, CheckIn, CoachAction, CoachLink, Exercise, ExerciseLog, OutcomeResponse,
    PushSubscription, ReminderSettings, Run, TrainingSession, User, WarmupLog, utcnow,
)
from app.progress import snapshots

TABLE = BoardCard.__table__
COUNTS = BoardCount.__table__
BUILT_BY_LIST = 500  # stale cards up to this many are loaded by their ids; more, by the coach's links
WALKED_FROM = 500  # a roster bigger than this reads its page by walking the board's order (ix_board_cards_order)


def _fingerprint() -> str:
    """What built a card: the rules, the dashboard and this module. A card built by other code
    (before a deploy) counts as missing."""
    digest = hashlib.sha256(snapshots.RULES.encode())
    app_folder = Path(__file__).resolve().parent.parent
    for path in (*sorted((app_folder / "domain").glob("*.py")), Path(dashboard.__file__),
                 app_folder / "runs" / "service.py", Path(sys.modules[__name__].__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RULES = _fingerprint()


def board_page(coach: User, show: str | None = None, name: str | None = None, upto: int | None = None,
               now: datetime | None = None) -> board.BoardPage:
    """The page of the board a coach asked for (as of naive-UTC `now`, default now), from kept cards."""
    coach_id = require_coach(coach)
    asked, now = board.ask(show, name, upto), now or utcnow()
    for _attempt in range(2):  # a write landing between keeping the cards and reading them: once more
        counts = _counts(coach_id, asked, now)
        if counts.stale:
            if not _refresh(coach, now):
                break
            counts = _counts(coach_id, asked, now)
        if counts.stale:
            continue
        page = _kept_page(coach_id, asked, counts)
        if page is not None:
            return page
    return board.board_page(dashboard.dashboard_cards(coach, now), show, name, upto)


# The board's statements take what a load asks as parameters, so each is built once per shape
# (name filter or not, group, roster size): building one cost more than running it.
NOW, BUILT_BY, WANTED, UPTO = bindparam("now"), bindparam("rules"), bindparam("wanted"), bindparam("upto")
LIKE_ESCAPE = "/"


def _parameters(coach_id: int, asked: board.Asked, **more) -> dict:
    """A statement's parameters: the coach, and the name as a LIKE pattern's literal part."""
    wanted = asked.wanted.replace(LIKE_ESCAPE, 2 * LIKE_ESCAPE).replace("%", LIKE_ESCAPE + "%") \
        .replace("_", LIKE_ESCAPE + "_")
    return {"coach_id": coach_id, "wanted": wanted, **more}


class Counts(NamedTuple):
    """How many athletes the coach sees, how many of them match the name (`everyone`) and also
    need attention (`attention`), how many have no card fit to show (`stale`, `_unfit`), and when
    the first of their cards expires (`until`)."""
    total: int
    everyone: int
    attention: int
    stale: int
    until: datetime | None


def _counts(coach_id: int, asked: board.Asked, now: datetime) -> Counts:
    """The board's counts: kept ones while they are fit (the whole board only), else counted in
    one pass over the coach's athletes and, when every card is fit, kept."""
    def counted() -> Counts:
        parameters = _parameters(coach_id, asked, now=now, rules=RULES)
        return Counts._make(db.session.execute(_counting(bool(asked.wanted)), parameters).one())

    if asked.wanted:
        return counted()
    kept_counts = db.session.execute(READ_COUNTS, {"coach_id": coach_id}).one_or_none()
    if kept_counts is not None and _fit(kept_counts, now):
        return Counts(kept_counts.total, kept_counts.total, kept_counts.attention, 0, kept_counts.valid_until)
    counts = counted()
    if counts.stale == 0 and counts.until is not None:
        _keep_counts(coach_id, 0 if kept_counts is None else kept_counts.generation, counts)
    return counts


READ_COUNTS = db.select(COUNTS.c.generation, COUNTS.c.rules, COUNTS.c.valid_until, COUNTS.c.total,
                        COUNTS.c.attention).where(COUNTS.c.coach_id == COACH_ID)


def _fit(kept_counts, now: datetime) -> bool:
    """Kept counts fit to show: not cleared, counted by this code, and no card expired since."""
    return kept_counts.total is not None and kept_counts.rules == RULES and now < kept_counts.valid_until


@cache
def _counting(named: bool):
    name = _named(named)
    return (db.select(func.count().label("total"), func.count(case((name, 1))).label("everyone"),
                      func.count(case((and_(name, TABLE.c.tier <= NEEDS_ATTENTION), 1))).label("attention"),
                      func.count(case((_unfit(NOW, BUILT_BY), 1))).label("stale"),
                      func.min(TABLE.c.valid_until).label("until"))
            .select_from(User).outerjoin(TABLE, TABLE.c.athlete_id == User.id).where(seen_by(COACH_ID)))


def _keep_counts(coach_id: int, generation: int, counts: Counts) -> None:
    """Keep the whole board's counts if no write cleared them since `generation` was read."""
    KEPT_COUNTS.keep([{"coach_id": coach_id, "generation": generation, "rules": RULES, "valid_until": counts.until,
                       "total": counts.total, "attention": counts.attention}])


def _named(named: bool) -> ColumnElement[bool]:
    """The name filter, on the kept cards: their name contains `wanted` (or no filter)."""
    return TABLE.c.name_key.contains(WANTED, escape=LIKE_ESCAPE) if named else literal(True)


def _unfit(now, rules) -> ColumnElement[bool]:
    """A card not fit to show, on board_cards joined to the athletes: none kept (a missing row
    reads as NULL), cleared, built by other code than `rules`, or past the athlete's day."""
    return or_(TABLE.c.rules.is_(None), TABLE.c.rules != rules, TABLE.c.valid_until <= now)


def _kept_page(coach_id: int, asked: board.Asked, counts: Counts) -> board.BoardPage | None:
    """The page's cards, in the board's order; None if one of them was cleared since the counts."""
    upto = board.fit(asked.upto, counts.attention if asked.show == "attention" else counts.everyone)
    statement = _paging(bool(asked.wanted), asked.show == "attention", counts.total > WALKED_FROM)
    cards = db.session.scalars(statement, _parameters(coach_id, asked, upto=upto)).all()
    if any(card is None for card in cards):
        return None
    return board.page_of(asked, [dashboard.card_from_text(card) for card in cards], counts.total, counts.everyone,
                         counts.attention)


@cache
def _paging(named: bool, attention: bool, walked: bool):
    """A page of cards, in the board's order, as text (a card is parsed once per process:
    dashboard.card_from_text).

    A big roster's page (`walked`) walks the order's index until the page is full, asking of each
    card whether the coach sees its athlete (seen_by_at), so it costs its own cards, not every
    athlete's row; a small roster's cards are looked up by athlete and sorted, so it costs its own
    few rows, not a walk past other coaches' athletes."""
    mine = seen_by_at(COACH_ID, TABLE.c.athlete_id) if walked else \
        TABLE.c.athlete_id.in_(db.select(User.id).where(seen_by(COACH_ID)))
    name = _named(named)
    group = and_(mine, name, TABLE.c.tier <= NEEDS_ATTENTION) if attention else and_(mine, name)
    return (db.select(cast(TABLE.c.card, Text)).where(group)  # name_key compares byte by byte (models.py)
            .order_by(TABLE.c.tier, TABLE.c.urgency, TABLE.c.alerts.desc(), TABLE.c.name_key, TABLE.c.athlete_id)
            .limit(UPTO))


def _refresh(coach: User, now: datetime) -> bool:
    """Build and keep the cards of the coach's athletes that are missing, cleared or past their
    day; False when they could not be kept."""
    stale = db.session.execute(
        db.select(User.id, User.display_name, AthleteProfile.timezone, AthleteProfile.knee_status,
                  TABLE.c.generation)
        .outerjoin(AthleteProfile, AthleteProfile.user_id == User.id)
        .outerjoin(TABLE, TABLE.c.athlete_id == User.id)
        .where(seen_by(coach.id), _unfit(now, RULES))
    ).all()
    if not stale:
        return True
    ids = active_athlete_ids(coach.id) if len(stale) > BUILT_BY_LIST else [row.id for row in stale]
    cards = dashboard.build_cards(stale, ids, now)
    zones = {row.id: row.timezone for row in stale}
    generations = {row.id: row.generation or 0 for row in stale}
    rows = [{"athlete_id": card.athlete_id, "generation": generations[card.athlete_id], "rules": RULES,
             "valid_until": dashboard.day_ends(card.day.today, zones[card.athlete_id]), "tier": card.order[0],
             "urgency": card.order[1], "alerts": -card.order[2], "name_key": card.order[3],
             "card": dashboard.card_to_json(card)} for card in cards]
    return KEPT.keep(rows)  # False: the database was busy, the page is worked out in memory this time


# ── clearing ────────────────────────────────────────────────────────────────────────────────

# What each card-bearing model calls its athlete. A write to any of them also makes the athlete's
# pages forget what they remembered of the history (app/progress/memory.py): what those pages
# remember must be read from these tables only.
OWNERS = {User: "id", AthleteProfile: "user_id", CheckIn: "athlete_id", WarmupLog: "athlete_id", CoachLink: "athlete_id",
          TrainingSession: "athlete_id", CoachAction: "athlete_id", Run: "athlete_id",
          OutcomeResponse: "athlete_id", ReminderSettings: "user_id", PushSubscription: "user_id"}
CARD_TABLES = {model.__tablename__ for model in (*OWNERS, ExerciseLog, Exercise)}
USER_COLUMNS = {"display_name", "is_athlete"}  # of a user's own row, what a card shows


def _touched(session: Session) -> tuple[set[int], bool]:
    """Athletes whose card this flush changes, and whether it changes everyone's."""
    ids: set[int] = set()
    log_sessions: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        owner = OWNERS.get(type(obj))
        if owner is not None:
            if isinstance(obj, User) and obj not in session.new and obj not in session.deleted \
                    and not kept.changed(obj, USER_COLUMNS):
                continue
            ids.add(getattr(obj, owner))
        elif isinstance(obj, ExerciseLog):
            ids.add(kept.log_owner(obj, log_sessions))
        elif isinstance(obj, Exercise) and obj not in session.new and kept.changed(obj, {"name"}):
            return ids, True
    ids |= kept.athletes_of_sessions(session, log_sessions)
    return {athlete_id for athlete_id in ids if athlete_id is not None}, False


def _coaches_of(athletes: BindParameter | list[BindParameter]) -> Select:
    """The coaches linked to athletes, by a link of any status: whose counts their writes clear."""
    return (db.select(CoachLink.coach_id).where(CoachLink.athlete_id.in_(athletes))
            .group_by(CoachLink.coach_id).order_by(CoachLink.coach_id))


KEPT_COUNTS = kept.Kept(COUNTS, {"rules": None, "valid_until": None, "total": None, "attention": None},
                        "board_athletes", CARD_TABLES, _touched, key="coach_id", keys=_coaches_of)
# A write clears its athletes' cards and, with them, their coaches' counts.
KEPT = kept.Kept(TABLE, {"rules": None, "card": None}, "board_athletes", CARD_TABLES, _touched, also=KEPT_COUNTS)
clear = KEPT.clear  # clear athletes' cards and their coaches' counts (everyone's when given no ids)


def _deleted(session: Session, _context) -> None:
    """A deleted account or link has taken its links with it, so whose counts it changed can't be
    looked up after the flush: every coach's counts are cleared."""
    if any(isinstance(obj, (User, CoachLink)) for obj in session.deleted):
        KEPT_COUNTS.clear(session.connection(), None)


def _links_written(state):
    """A bulk write to the links: the cards' clearing before it cleared the counts of the coaches
    linked then; after it, those of the coaches linked now (an invitation accepted) too."""
    table = getattr(state.statement, "table", None)
    if not (state.is_insert or state.is_update or state.is_delete) or getattr(table, "name", None) != "coach_links":
        return None
    result = state.invoke_statement()
    KEPT_COUNTS.clear(state.session.connection(), state.execution_options.get(KEPT.option))
    return result


def listen() -> None:
    """Turn clearing on for every session of the process (idempotent)."""
    KEPT.listen()
    if not event.contains(Session, "after_flush", _deleted):
        event.listen(Session, "after_flush", _deleted)
        event.listen(Session, "do_orm_execute", _links_written)
