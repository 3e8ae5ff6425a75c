"""Configuration, database set-up, migrations, the htmx wrapper and the CLI."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachLink, Exercise, User


def test_migrations_match_the_models(app):
    """Every schema change is a migration: the migrated database equals the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_sqlite_connections_enforce_foreign_keys_and_wait_for_locks(app, backend):
    if backend != "sqlite":
        pytest.skip("SQLite pragmas")
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.parametrize("field, value", [("pain_now", 11), ("pain_now", -1), ("worst_pain", 12)])
def test_schema_refuses_pain_outside_0_to_10(app, make_user, field, value):
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    athlete = make_user()
    with app.app_context():
        values = {"pain_now": 2, "worst_pain": 2, field: value}
        db.session.add(CheckIn(athlete_id=athlete, local_date=date(2026, 1, 1), status="green", **values))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_one_checkin_per_athlete_per_day_in_the_schema(app, make_user):
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    athlete = make_user()
    with app.app_context():
        for _ in range(2):
            db.session.add(CheckIn(athlete_id=athlete, local_date=date(2026, 1, 1), pain_now=0, status="green"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_deleting_a_user_cascades_to_their_rows(app, make_user):
    from datetime import date

    athlete = make_user()
    coach = make_user(email="coach@example.com", athlete=False, coach=True)
    with app.app_context():
        db.session.add(CheckIn(athlete_id=athlete, local_date=date(2026, 1, 1), pain_now=0, status="green"))
        db.session.add(CoachLink(coach_id=coach, athlete_id=athlete, status="active"))
        db.session.commit()
        db.session.delete(db.session.get(User, athlete))
        db.session.commit()
        for model in (AthleteProfile, CheckIn, CoachLink):
            assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0


def test_production_refuses_to_start_without_a_secret_key(_schema):
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"PRODUCTION": True, "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": _schema})


def test_production_cookies_are_secure(production_config):
    assert production_config.Config.SESSION_COOKIE_SECURE and production_config.Config.REMEMBER_COOKIE_SECURE


def test_development_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    from app import config

    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    first = config._dev_secret_key()
    assert len(first) == 64 and config._dev_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_htmx_redirect_is_a_204_with_hx_location(app):
    from app.htmx import redirect

    with app.test_request_context():
        response = redirect("/today")
    assert (response.status_code, response.headers["HX-Location"], response.get_data()) == (204, "/today", b"")


def test_load_exercises_is_idempotent(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-exercises"])
    assert result.exit_code == 0 and "0 added, 0 updated" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Exercise)) > 40


def test_demo_data_creates_a_coach_with_three_athletes(app):
    runner = app.test_cli_runner()
    for _ in range(2):  # running it twice gives the same demo, not duplicates
        result = runner.invoke(args=["demo-data", "--password", "demo password 123"])
        assert result.exit_code == 0, result.output
    assert "coach@demo.kneeready.app" in result.output and "demo password 123" in result.output
    with app.app_context():
        coach = db.session.scalar(db.select(User).where(User.is_coach))
        links = db.session.scalars(db.select(CoachLink).where(CoachLink.coach_id == coach.id)).all()
        assert len(links) == 3 and {link.status for link in links} == {"active"}
        assert db.session.scalar(db.select(db.func.count()).select_from(AthleteProfile)) == 3
    client = app.test_client()
    response = client.post("/signin", data={"email": "maya@demo.kneeready.app", "password": "demo password 123"})
    assert response.status_code == 303
