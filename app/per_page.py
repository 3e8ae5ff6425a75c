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
