"""The demo's four weeks of training: advances, holds and a step back, logged as the app would."""
from __future__ import annotations

from app.extensions import db
from app.models import AthleteProfile, TrainingSession, User
from app.progress import progress_for_many


def test_demo_training_history_has_advances_holds_and_a_step_back(app):
    result = app.test_cli_runner().invoke(args=["demo-data", "--password", "demo password 123"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        profiles = db.session.scalars(db.select(AthleteProfile).join(User)).all()
        states = progress_for_many(profiles)
        kinds = {p.user.email: [e.kind for e in states[p.user_id].events] for p in profiles}
        assert all("advance" in events for events in kinds.values())
        assert "step_back" in kinds["leo@demo.kneeready.app"]
        assert "hold" in kinds["maya@demo.kneeready.app"] and "hold" in kinds["ana@demo.kneeready.app"]
        days = db.session.scalars(db.select(TrainingSession.local_date)).all()
        assert (max(days) - min(days)).days >= 25 and len(days) >= 25
        verdicts = [v.outcome for s in states.values() for v in s.verdicts.values()]
        assert verdicts.count("counts") > verdicts.count("held") > 0
