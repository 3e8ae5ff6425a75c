"""The daily pages cost a fixed number of queries, however long the athlete's history."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import WarmupLog
from tests.conftest import TEST_TODAY as TODAY

PAGES = [("get", "/today"), ("get", "/checkin"), ("get", "/checkin/result"), ("get", "/checkin/history"),
         ("get", "/warmup"), ("post", "/checkin/verdict")]


def _history(rows, athlete, days: range) -> None:
    """Check-ins and warm-ups on each of `days` (days ago)."""
    for offset in days:
        day = TODAY - timedelta(days=offset)
        rows.checkin(athlete, day, pain_now=offset % 4)
        rows.add(WarmupLog(athlete_id=athlete, local_date=day, built_for="green", items=[]))


def _cost(client, statements, method: str, path: str) -> int:
    client.get("/disclaimer")  # warm the session's CSRF token outside the count
    data = {"pain_now": "2", "csrf_token": client.csrf_token()} if method == "post" else None
    headers = {"HX-Request": "true"} if method == "post" else None
    with statements() as seen:
        response = getattr(client, method)(path, data=data, headers=headers)
    assert response.status_code == 200, path
    return len(seen)


@pytest.mark.parametrize("method, path", PAGES)
def test_queries_do_not_grow_with_history(client, statements, rows, athlete, method, path):
    _history(rows, athlete, range(1))
    short = _cost(client, statements, method, path)
    _history(rows, athlete, range(1, 90))
    assert _cost(client, statements, method, path) == short
    # Today: the day, habits, coach note, the training card with the safety gate (history, latest
    # check-in, rest day: asked once for the page), the run guard and the questionnaire card
    assert short <= 20, f"{path}: {short} queries"
