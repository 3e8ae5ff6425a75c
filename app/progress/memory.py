"""The signed-in athlete's history, remembered by this process between their page loads.

Every page an athlete opens asks the safety gate, and the gate replays their whole history:
three tables read and the progression engine run on each load, though most loads follow no
change at all. This process remembers what a page read, and what the engine made of it, under
the athlete's generation: the random number on their board card (app/kept.py) that every write
to anything of theirs replaces, in the writer's own transaction, whichever process makes it.
The signed-in user's row is read with that generation, in the statement every request runs
anyway (load in app/auth/signed_in.py), and a page recalls only what was remembered under the
generation it read.

Never stale, because:
- the generation is read first (signing the request in), so what a page remembers under it is
  at least as new as the generation, and a generation is never given out twice;
- only a GET recalls or remembers (or a POST that only reads, app/per_page.py's only_reads: the
  check-in's live verdict): a write always reads afresh, and a GET that writes (any flush)
  reads afresh from then on;
- only the signed-in athlete's own generation is known: anyone else's history (a coach's pages)
  is read afresh, as is an athlete's who has no board card row yet;
- what is remembered is never changed: tuples of rows and frozen records.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.per_page import reading

T = TypeVar("T")
ATHLETES = 512  # remembered per process; the least recently seen athlete is forgotten first

_lock = Lock()
_remembered: OrderedDict[int, tuple[int, dict]] = OrderedDict()  # athlete -> (generation, parts)


def signed_in(athlete_id: int, generation: int | None) -> None:
    """The signed-in user and their generation as this request read them (None: no card row)."""
    if has_request_context() and generation is not None:
        g.history_generation = (athlete_id, generation)


def recall(athlete_id: int, part: Hashable, read: Callable[[], T]) -> T:
    """`read()`'s answer for one part of the athlete's history: remembered from an earlier page
    when nothing of theirs has been written since, else read now (and remembered)."""
    generation = _trusted(athlete_id)
    if generation is None:
        return read()
    with _lock:
        kept = _remembered.get(athlete_id)
        if kept is not None and kept[0] == generation and part in kept[1]:
            _remembered.move_to_end(athlete_id)
            return kept[1][part]
    answer = read()
    with _lock:
        kept = _remembered.get(athlete_id)
        if kept is None or kept[0] != generation:
            kept = _remembered[athlete_id] = (generation, {})
        kept[1][part] = answer
        _remembered.move_to_end(athlete_id)
        while len(_remembered) > ATHLETES:
            _remembered.popitem(last=False)
    return answer


def _trusted(athlete_id: int) -> int | None:
    """The generation this GET read for the athlete, unless it has written since (or is no GET)."""
    if not reading() or g.get("history_written"):
        return None
    signed = g.get("history_generation")
    return signed[1] if signed is not None and signed[0] == athlete_id else None


def _flushed(_session, _context) -> None:
    if has_request_context():
        g.history_written = True


def _executed(state) -> None:
    """A write through the session that is no flush (an INSERT … ON CONFLICT, a bulk UPDATE)."""
    if (state.is_insert or state.is_update or state.is_delete) and has_request_context():
        g.history_written = True


def listen() -> None:
    """Turn on the rule that a request which writes no longer recalls (idempotent)."""
    if not event.contains(Session, "after_flush", _flushed):
        event.listen(Session, "after_flush", _flushed)
        event.listen(Session, "do_orm_execute", _executed)


def forget() -> None:
    """Forget every athlete (tests that compare a remembered page with a fresh one)."""
    with _lock:
        _remembered.clear()
