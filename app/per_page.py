"""Answers kept for the rest of one GET request: a page that shows the same thing in several
places (Today's training card and its run guard, the offline-pages list) works it out once.
A write (POST) always asks afresh, so it never acts on what it is about to change."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_request_context, request

T = TypeVar("T")


def once_per_page(key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s answer for `key`, worked out once per GET request (every time otherwise)."""
    if not (has_request_context() and request.method == "GET"):
        return compute()
    kept = g.setdefault("per_page", {})
    if key not in kept:
        kept[key] = compute()
    return kept[key]


_UNKNOWN = object()


def known_on_this_page(key: Hashable, default: T) -> T:
    """What once_per_page already worked out for `key` during this GET, else `default`: for
    something worth showing only where it was read anyway."""
    if not (has_request_context() and request.method == "GET"):
        return default
    kept = g.get("per_page", {}).get(key, _UNKNOWN)
    return default if kept is _UNKNOWN else kept
