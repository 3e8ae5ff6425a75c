"""Training writes made offline are idempotent: replays store nothing twice."""
from __future__ import annotations

from app.extensions import db
from app.models import ExerciseLog, IdempotencyKey, TrainingSession
from tests.training.conftest import slugs, start


def keys(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(IdempotencyKey))


def test_a_session_log_and_finish_replayed_three_times_store_once(client, app, athlete):
    session_id = start(client)
    for slug in slugs(app, session_id):
        for _ in range(3):
            answer = client.post(f"/training/sessions/{session_id}/exercises/{slug}",
                                 data={"sets": "3", "reps": "10", "seconds": "30", "pain": "0"},
                                 headers={"Idempotency-Key": f"log-{slug}"})
            assert answer.status_code == 303
    finishes = [client.post(f"/training/sessions/{session_id}/finish", headers={"Idempotency-Key": "finish-0001"})
                for _ in range(3)]
    assert [answer.status_code for answer in finishes] == [303, 303, 303]
    assert [answer.headers.get("Idempotent-Replayed") for answer in finishes] == [None, "true", "true"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(TrainingSession)) == 1
        assert db.session.scalars(db.select(ExerciseLog.pain)).all() == [0] * len(slugs(app, session_id))
    assert keys(app) == len(slugs(app, session_id)) + 1


def test_an_unfinishable_session_keeps_no_key(client, app, athlete):
    session_id = start(client)
    answer = client.post(f"/training/sessions/{session_id}/finish", headers={"Idempotency-Key": "finish-0001"})
    assert answer.status_code == 422 and "Not finished yet" in answer.get_data(as_text=True)
    assert keys(app) == 0


def test_signed_out_training_writes_get_401(client, app, make_user):
    answer = client.post("/training/sessions/1/finish", headers={"Idempotency-Key": "finish-0001"})
    assert answer.status_code == 401


def test_the_open_session_is_kept_for_offline_use(client, app, athlete):
    assert 'data-pages="/today /warmup /checkin /training /runs"' in client.get("/today").get_data(as_text=True)
    session_id = start(client)
    listed = f'data-pages="/today /warmup /checkin /training /runs /training/sessions/{session_id}"'
    for path in ("/today", "/training"):  # the pages that show the open session list it
        assert listed in client.get(path).get_data(as_text=True), path
    # The others don't query for it only to list it: the worker keeps the copy it has.
    for path in ("/warmup", "/checkin", "/runs", "/checkin/history"):
        assert 'data-pages="/today /warmup /checkin /training /runs"' in client.get(path).get_data(as_text=True), path
