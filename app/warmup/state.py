"""A warm-up in progress, kept in the signed session cookie for the day it was started.

Ticks sent by htmx land here, so a reload keeps them; finishing or a new day clears them.
"""
from __future__ import annotations

from datetime import date

from flask import session

KEY = "warmup_in_progress"


def load(day: date, built_for: str) -> dict:
    """Today's ticks and skips for this routine, or an empty start."""
    state = session.get(KEY) or {}
    if state.get("day") != day.isoformat() or state.get("built_for") != built_for:
        return {"done": [], "skipped": {}}
    return {"done": list(state.get("done", [])), "skipped": dict(state.get("skipped", {}))}


def store(day: date, built_for: str, items: list[dict]) -> None:
    """Remember the ticks and skips of the routine built for `built_for` today."""
    session[KEY] = {
        "day": day.isoformat(), "built_for": built_for,
        "done": [item["slug"] for item in items if item["done"]],
        "skipped": {item["slug"]: item["skip_reason"] for item in items if item["skip_reason"]},
    }


def clear() -> None:
    session.pop(KEY, None)
