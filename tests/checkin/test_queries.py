"""The daily pages cost a fixed number of queries, however long the athlete's history."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.sql.selectable import Select

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
    assert short <= BUDGET[path], f"{path}: {short} queries"


# Today: the user, the day's check-in, the week's warm-ups, the coach's note, the triage baseline,
# the history read once for the page (check-ins, finished sessions, coach actions: the program,
# the safety gate, the streak and the questionnaire card share it), the open session, the run
# guard (runs, walk–runs) and the questionnaire rounds.
BUDGET = {"/today": 11, "/checkin": 5, "/checkin/result": 3, "/checkin/history": 2, "/warmup": 6,
          "/checkin/verdict": 6}


@pytest.mark.parametrize("method, path", [*PAGES, ("get", "/training"), ("get", "/training/timeline"),
                                          ("get", "/exercises/quad-sets")])
def test_daily_pages_build_no_statement_per_request(client, statements, rows, athlete, monkeypatch, method, path):
    """Every statement these pages run is built once, when its module loads: building one (and
    its cache key) each time cost more than running it (bench/pages.py --cpu)."""
    _history(rows, athlete, range(7))
    _cost(client, statements, method, path)  # warm: templates compiled, lazy imports done
    built = []
    build = Select.__init__

    def counting(select, *columns, **options):
        built.append(columns)
        build(select, *columns, **options)

    monkeypatch.setattr(Select, "__init__", counting)
    _cost(client, statements, method, path)
    assert built == []


def test_todays_verdict_reads_its_baseline_from_the_history_today_already_read(client, statements, rows, athlete):
    """Today reads every check-in once (the streak); the verdict's 7-day baseline comes from that
    read, and says what the check-in's own result page (which asks the database) says."""
    rows.checkin(athlete, TODAY - timedelta(days=8), pain_now=9)  # outside the 7 days: not counted
    for offset in range(1, 8):
        rows.checkin(athlete, TODAY - timedelta(days=offset), pain_now=0)
    rows.checkin(athlete, TODAY, pain_now=2, status="amber")
    rise = "Pain now 2/10 is up 2 on your 7-day average of 0/10"
    with statements() as seen:
        today = client.get("/today").get_data(as_text=True)
    # Amber only for the rise over the 7 days before today (day 8's 9/10 would hide it).
    assert "Run easy and short today." in today
    assert not [s for s in seen if "checkins.pain_now" in s and "checkins.local_date <" in s], \
        "Today asked for the baseline again"
    assert rise in client.get("/checkin/result").get_data(as_text=True)


def test_saving_a_checkin_runs_a_fixed_few_statements_built_once(client, statements, rows, athlete, monkeypatch,
                                                                  backend):
    """POST /checkin, changing the day's check-in: the user; what saving reads, in one query
    (app/checkin/service.py's day_to_change: yesterday's training, a finished session or a run, the
    7-day baseline and the day's check-in); the INSERT … ON CONFLICT and the athlete's fresh
    generations (app/kept.py): the progress snapshot's, the board card's and the coach's board
    counts', all in that one statement on PostgreSQL, where a statement is a round trip.
    None of them is built per request: building the generation's INSERT … ON CONFLICT on every
    write cost about 1 ms (bench/pages.py, POST /checkin)."""
    _history(rows, athlete, range(7))
    answers = {"pain_now": "1", "worst_pain": "2", "stiffness": "none", "swelling": "none"}
    client.get("/disclaimer")
    client.post("/checkin", data={**answers, "csrf_token": client.csrf_token()})  # warm
    built = []
    build = Select.__init__

    def counting(select, *columns, **options):
        built.append(columns)
        build(select, *columns, **options)

    changed = {**answers, "pain_now": "2", "csrf_token": client.csrf_token()}
    monkeypatch.setattr(Select, "__init__", counting)
    with statements() as seen:
        response = client.post("/checkin", data=changed)
    assert response.status_code == 303
    assert built == []
    saving = (["WITH kept_0 AS"] if backend == "postgresql" else
              ["INSERT INTO checkins", "INSERT INTO progress_snapshots", "INSERT INTO board_cards", "INSERT INTO board_counts"])
    assert [" ".join(statement.split()[:3]) for statement in seen] == [
        "SELECT users.id, users.email,", "SELECT trained.trained, week.local_date", *saving]
