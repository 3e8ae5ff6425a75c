"""Answers kept for the rest of one GET request: a page that shows the same thing in several
places (Today's training card and its run guard, the offline-pages list) works it out once.
A write (POST) always asks afresh, so it never acts on what it is about to change.

A few views are asked by POST only because a form sends its answers that way, and write
nothing: the check-in's live verdict. Marked `only_reads`, their requests read like a GET's."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, g, has_request_context, request

T = TypeVar("T")
READING_METHODS = frozenset({"GET", "HEAD"})


def only_reads(view: Callable) -> Callable:
    """Mark a view that a form POSTs to but that writes nothing (a live preview of the answers
    so far): its requests read as a GET's do. Should it write after all, its first flush makes
    it read afresh (app/progress/memory.py) inside a transaction (app/database.py)."""
    view.only_reads = True
    return view


def reading() -> bool:
    """Whether this request only reads: a GET or HEAD, or a POST to a view marked only_reads."""
    if not has_request_context():
        return False
    if request.method in READING_METHODS:
        return True
    return getattr(current_app.view_functions.get(request.endpoint), "only_reads", False)


def once_per_page(key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s answer for `key`, worked out once per GET request (every time otherwise)."""
    if not reading():
        return compute()
    kept = g.setdefault("per_page", {})
    if key not in kept:
        kept[key] = compute()
    return kept[key]


_UNKNOWN = object()


def known_on_this_page(key: Hashable, default: T) -> T:
    """What once_per_page already worked out for `key` during this GET, else `default`: for
    something worth showing only where it was read anyway."""
    if not reading():
        return default
    kept = g.get("per_page", {}).get(key, _UNKNOWN)
    return default if kept is _UNKNOWN else kept
