"""Reminder fixtures (the real SMTP server: tests/fixtures/mail.py): athletes with settings, a fixed clock."""
from __future__ import annotations

from datetime import datetime

import pytest

# Monday 1 June 2026, 06:30 UTC = 07:30 in London (BST): the default check-in reminder time.
MONDAY_0730_LONDON = datetime(2026, 6, 1, 6, 30)


@pytest.fixture
def athlete(app, make_user):
    """An athlete in London, her reminder settings made with the defaults on Sunday evening."""
    from app.extensions import db
    from app.models import User
    from app.reminders.schedule import settings_for

    user_id = make_user(email="riley@example.com", name="Riley", timezone="Europe/London")
    with app.app_context():
        db.session.get(User, user_id).created_at = datetime(2026, 5, 30, 12)
        settings_for(user_id)
        from app.reminders.schedule import reschedule

        reschedule(settings_for(user_id), datetime(2026, 5, 31, 20))
        db.session.commit()
    return user_id


def run_sweep(app, now, **kwargs):
    from app.reminders.sweep import sweep

    with app.app_context():
        return sweep(now, **kwargs)


@pytest.fixture
def runner_cli():
    """Run `flask reminders <command>` against an app; its output."""
    def run(app, *args) -> str:
        result = app.test_cli_runner().invoke(args=["reminders", *args])
        assert result.exit_code == 0, result.output
        return result.output
    return run


@pytest.fixture
def push_service():
    from tests.reminders.push_service import PushService

    with PushService() as service:
        yield service
