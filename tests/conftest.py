"""Fixtures: `app`, `client`, `auth`, `make_user`, on SQLite or PostgreSQL.

The suite runs on SQLite by default. `make test` runs it again with
KNEEREADY_TEST_DB set to TEST_DATABASE_URL, so every database test runs on both.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
import time_machine
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings

# Background tasks run in the test's own process, at once (set before app.worker is imported).
os.environ.setdefault("HUEY_IMMEDIATE", "1")

# Fixtures every area shares (tests/fixtures/): registered here, never imported across modules.
pytest_plugins = ["tests.fixtures.day", "tests.fixtures.coaching", "tests.fixtures.mail", "tests.fixtures.queries"]

# Property tests draw the same cases every run, so a run passes or fails on the code alone.
# HYPOTHESIS_PROFILE=thorough draws fresh ones, to hunt for bugs by hand (then pin what it finds
# as a named test).
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("thorough", derandomize=False)
hypothesis_settings.load_profile("thorough" if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else "repeatable")

CSRF_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
# A VAPID key of the test run's own (development would write one into instance/).
TEST_VAPID_KEY = "Y3eGfKYA0jO8MKvDvjZ5r4Xl1b5x2bK9hX9m3kQ9wq4"


# Every test starts at one fixed instant and ticks on from it, so no test depends on today's
# date, the weekday, the hour or the machine's time zone. KNEEREADY_TEST_NOW moves that instant,
# e.g. to a Monday just before midnight UTC. Browser tests freeze the app they drive too: its
# server thread shares this process's clock (the browser keeps the real one, see
# tests/e2e/conftest.py for cookies). A test marked `real_clock` keeps the machine's clock (it
# shares time with another process that can't be frozen).
TEST_NOW = datetime.fromisoformat(os.environ.get("KNEEREADY_TEST_NOW", "2026-06-10T12:00:00+00:00"))
TEST_TODAY = TEST_NOW.astimezone(timezone.utc).date()  # a new athlete's today (their zone is UTC)


def pytest_report_header(config):
    return f"database: {_backend_label(os.environ.get('KNEEREADY_TEST_DB', ''))}; clock starts at {TEST_NOW.isoformat()}"


@pytest.fixture(autouse=True)
def frozen_clock(request):
    """The test's clock: TEST_NOW, ticking (see above); None for real_clock tests."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield traveller


def _backend_label(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("KNEEREADY_TEST_DB")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def backend(database_url) -> str:
    return _backend_label(database_url)


def _test_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        "MAIL_BACKEND": "locmem",  # mail.outbox; tests/mail/ sends through a real SMTP server
        "VAPID_PRIVATE_KEY": TEST_VAPID_KEY,
        "VAPID_SUBJECT": "mailto:tests@kneeready.example",
    }


@pytest.fixture(scope="session")
def _schema(database_url):
    """Build the schema once per run through the real migrations, then load the library."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db
    from app.library.loader import sync_exercises

    app = create_app(_test_config(database_url))
    with app.app_context():
        if database_url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        else:
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()
        sync_exercises()
        db.engine.dispose()
    return database_url


def _empty_user_data(db) -> None:
    """Remove every user and, through the cascades, all their data; keep the library."""
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE users RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("DELETE FROM users"))
    db.session.commit()


class CsrfClient(FlaskClient):
    """A test client that sends the page's CSRF token with every POST, as a browser form does.

    Pass `csrf=False` to send none, or put your own `csrf_token` in `data`.
    """

    def csrf_token(self) -> str:
        page = super().get("/disclaimer").get_data(as_text=True)
        return CSRF_IN_PAGE.search(page).group(1)

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)) and "json" not in kwargs:
            data = dict(data or {})
            if "csrf_token" not in data:  # (setdefault would fetch a token even when one is given)
                data["csrf_token"] = self.csrf_token()
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def app(_schema):
    from app import create_app
    from app.extensions import db

    app = create_app(_test_config(_schema))
    app.test_client_class = CsrfClient
    with app.app_context():
        _empty_user_data(db)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def production_config(monkeypatch):
    """app.config as read with KNEEREADY_ENV=production (apps created now get it); put back after."""
    import importlib

    from app import config

    monkeypatch.setenv("KNEEREADY_ENV", "production")
    yield importlib.reload(config)
    monkeypatch.delenv("KNEEREADY_ENV")
    importlib.reload(config)


@pytest.fixture
def limited_app(app, _schema):
    """The app with rate limiting on (it is off elsewhere so tests can sign in freely)."""
    from app import create_app
    from app.extensions import db, limiter

    limited = create_app({**_test_config(_schema), "RATELIMIT_ENABLED": True})
    limited.test_client_class = CsrfClient
    limiter.reset()
    yield limited
    limiter.reset()
    with limited.app_context():
        db.engine.dispose()
    create_app(_test_config(_schema))  # switch the shared limiter back off


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a user (and athlete profile) straight in the database."""
    from app.auth.passwords import hash_password
    from app.extensions import db
    from app.models import AthleteProfile, User

    def make(email="runner@example.com", password="correct horse battery", name="Riley Runner",
             athlete=True, coach=False, profile=True, **profile_fields):
        with app.app_context():
            user = User(email=email, display_name=name, password_hash=hash_password(password),
                        is_athlete=athlete, is_coach=coach)
            db.session.add(user)
            db.session.flush()
            if athlete and profile:
                fields = {"runner_type": "general", "knee_status": "none", "timezone": "UTC"}
                fields.update(profile_fields)
                db.session.add(AthleteProfile(user_id=user.id, **fields))
            db.session.commit()
            return user.id

    return make


@dataclass
class AuthActions:
    client: CsrfClient

    def signin(self, email="runner@example.com", password="correct horse battery", remember=False):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post("/signin", data=data)

    def signout(self):
        return self.client.post("/signout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def db_session(app):
    """The app's database session inside an app context, for asserting what was stored."""
    from app.extensions import db

    with app.app_context():
        yield db.session
