"""A stand-in write for the idempotency tests: it stores one warm-up log per request."""
from __future__ import annotations

from datetime import date

import pytest
from flask import Blueprint, abort, flash, redirect, request
from flask_login import current_user, login_required

from app.extensions import db
from app.models import WarmupLog
from app.idempotency import idempotent

KEY = "7f1c2a9e-4b7d-4c55-9d0e-2f3a8b6c1d42"


def _writes_blueprint() -> Blueprint:
    bp = Blueprint("test_writes", __name__)

    @bp.post("/test-writes")
    @login_required
    @idempotent
    def create():
        """Store a warm-up log of `seconds`; 422 (nothing stored) when it isn't a number."""
        seconds = request.form.get("seconds", "")
        if not seconds.isdigit():
            return "Enter the seconds as a number.", 422
        db.session.add(WarmupLog(athlete_id=current_user.id, local_date=date(2026, 6, 1),
                                 built_for="green", duration_seconds=int(seconds)))
        db.session.commit()
        if request.form.get("explode"):
            abort(500)  # after the commit: the write is stored, the answer is lost
        flash("Warm-up saved.", "success")
        return redirect("/today", 303)

    return bp


@pytest.fixture
def writes_app(app):
    """The app with POST /test-writes, an idempotent write that adds a row."""
    app.register_blueprint(_writes_blueprint())
    return app


@pytest.fixture
def log_count(app):
    def count() -> int:
        with app.app_context():
            return db.session.scalar(db.select(db.func.count()).select_from(WarmupLog))

    return count


@pytest.fixture
def key_rows(app):
    def rows() -> list[tuple]:
        from app.models import IdempotencyKey

        with app.app_context():
            return db.session.execute(
                db.select(IdempotencyKey.user_id, IdempotencyKey.key, IdempotencyKey.status_code,
                          IdempotencyKey.location)
            ).all()

    return rows
