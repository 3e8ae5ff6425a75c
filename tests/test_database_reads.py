"""On PostgreSQL a request reads outside a transaction, and its first write begins one (app/database.py):
no BEGIN and ROLLBACK round trips for a page that only reads, and writes as atomic as ever. Saving a
check-in, one statement committed at once, is a transaction of its own: no BEGIN and COMMIT either."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func

from app.database import reads_only
from app.extensions import db
from app.per_page import only_reads
from app.models import WarmupLog
from tests.conftest import TEST_TODAY as TODAY


@pytest.mark.parametrize("statement, reads", [
    ("SELECT users.id FROM users WHERE users.session_token = %(token)s", True),
    ("SELECT reminders_due.id FROM reminders_due\n FOR UPDATE OF reminders_due SKIP LOCKED", False),
    ("INSERT INTO board_cards (athlete_id, generation) SELECT users.id, 1 FROM users", False),
    ("UPDATE checkins SET pain_now=%(pain_now)s", False),
    ("WITH gone AS (DELETE FROM runs RETURNING id) SELECT count(*) FROM gone", False),
    ("select 1", False),  # not how SQLAlchemy writes it: a transaction, to be safe
])
def test_only_a_plain_select_counts_as_a_read(statement, reads):
    assert reads_only(statement) is reads


@pytest.fixture
def autocommit_of_each_statement(app, backend):
    """For each statement the app's engine runs meanwhile: (its first word, whether it ran in autocommit)."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps its transactions as they were")
    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, bool]] = []

    def listener(connection, _cursor, statement, *_rest):
        seen.append((statement.split()[0], connection.connection.dbapi_connection.autocommit))

    event.listen(engine, "before_cursor_execute", listener)
    yield seen
    event.remove(engine, "before_cursor_execute", listener)


def test_a_page_reads_in_autocommit_and_a_checkin_saves_in_one_statement(client, rows, athlete,
                                                                          autocommit_of_each_statement):
    seen = autocommit_of_each_statement
    token = client.csrf_token()
    seen.clear()
    assert client.get("/today").status_code == 200
    assert seen and all(autocommit for _word, autocommit in seen), seen
    answers = {"pain_now": "1", "worst_pain": "1", "stiffness": "none", "swelling": "none", "csrf_token": token}
    for pain in ("1", "3"):  # the first save inserts, the second updates
        seen.clear()
        assert client.post("/checkin", data={**answers, "pain_now": pain}).status_code == 303
        # The user and the day, read; then the one INSERT … ON CONFLICT, which clears what is
        # kept in its WITH clause, committed by itself.
        assert seen == [("SELECT", True), ("SELECT", True), ("WITH", True)], seen
    [saved] = rows.checkins(athlete)
    assert (saved.pain_now, saved.status) == (3, "amber")


def test_a_save_sent_with_an_idempotency_key_shares_the_keys_transaction(client, rows, athlete,
                                                                         autocommit_of_each_statement):
    """The key row is written first (app/idempotency.py), so the save is no transaction of its
    own: the key and the check-in are committed together, or neither is."""
    seen = autocommit_of_each_statement
    answers = {"pain_now": "1", "worst_pain": "1", "stiffness": "none", "swelling": "none",
               "csrf_token": client.csrf_token()}
    seen.clear()
    response = client.post("/checkin", data=answers, headers={"Idempotency-Key": "checkin-key-0001"})
    assert response.status_code == 303
    first_write = next(index for index, (word, _autocommit) in enumerate(seen) if word != "SELECT")
    saved = seen.index(("WITH", False))  # the check-in, in the key's transaction
    assert seen[first_write][0] == "INSERT" and first_write < saved, seen
    assert not any(autocommit for _word, autocommit in seen[first_write:saved + 1]), seen
    assert len(rows.checkins(athlete)) == 1


def test_the_live_verdict_reads_in_autocommit(client, athlete, autocommit_of_each_statement):
    """A POST that only reads (app/per_page.py's only_reads) reads as a page does."""
    seen = autocommit_of_each_statement
    answers = {"pain_now": "1", "stiffness": "none", "swelling": "none", "csrf_token": client.csrf_token()}
    seen.clear()
    response = client.post("/checkin/verdict", data=answers, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "verdict" in response.get_data(as_text=True)
    assert seen and all(autocommit for _word, autocommit in seen), seen


def test_a_post_marked_only_reads_that_writes_after_all_writes_in_a_transaction(
        app, make_user, autocommit_of_each_statement):
    seen = autocommit_of_each_statement
    athlete = make_user()

    @app.post("/_test/preview-that-writes")
    @only_reads
    def preview_that_writes():
        db.session.scalar(db.select(func.count()).select_from(WarmupLog))
        db.session.add(WarmupLog(athlete_id=athlete, local_date=TODAY, built_for="green", items=[]))
        db.session.commit()
        return "written"

    app.config["WTF_CSRF_ENABLED"] = False
    seen.clear()
    assert app.test_client().post("/_test/preview-that-writes").get_data(as_text=True) == "written"
    assert seen[0] == ("SELECT", True) and ("INSERT", False) in seen, seen
    with app.app_context():
        assert db.session.scalar(db.select(func.count()).select_from(WarmupLog)) == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_request_that_writes_commits_or_rolls_back_its_writes_together(app, make_user, autocommit_of_each_statement,
                                                                        method):
    """Reads first, in autocommit; then two writes, in a transaction, which stand or fall together."""
    seen = autocommit_of_each_statement
    athlete = make_user()

    @app.route(f"/_test/{method.lower()}-reads-then-writes/<int:fail>", methods=[method])
    def reads_then_writes(fail: int):
        db.session.scalar(db.select(func.count()).select_from(WarmupLog))
        db.session.add(WarmupLog(athlete_id=athlete, local_date=TODAY, built_for="green", items=[]))
        db.session.flush()
        db.session.add(WarmupLog(athlete_id=athlete, local_date=TODAY - timedelta(days=1), built_for="green", items=[]))
        db.session.flush()
        if fail:
            raise RuntimeError("the second write's request failed")
        db.session.commit()
        return "written"

    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    path = f"/_test/{method.lower()}-reads-then-writes"
    seen.clear()
    with pytest.raises(RuntimeError):
        client.open(f"{path}/1", method=method)
    assert seen[0] == ("SELECT", True) and seen.count(("INSERT", False)) == 2, seen
    assert not any(autocommit for _word, autocommit in seen[1:]), seen
    with app.app_context():
        assert db.session.scalar(db.select(func.count()).select_from(WarmupLog)) == 0  # the first write too
    assert client.open(f"{path}/0", method=method).get_data(as_text=True) == "written"
    with app.app_context():
        assert db.session.scalar(db.select(func.count()).select_from(WarmupLog)) == 2


def test_a_connection_goes_back_to_the_pool_out_of_autocommit(app, client, athlete, autocommit_of_each_statement):
    with app.app_context():
        db.engine.dispose()
    assert client.get("/today").status_code == 200
    with app.app_context():
        assert db.engine.pool.checkedin() == 1
        with db.engine.connect() as connection:  # the same connection, lent outside a request
            assert connection.connection.dbapi_connection.autocommit is False
            connection.execute(db.text("SELECT 1"))
    assert autocommit_of_each_statement[-1] == ("SELECT", False)
