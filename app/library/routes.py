"""The exercise library: every exercise with its dose and cues."""
from __future__ import annotations

import re
from itertools import groupby

from flask import Blueprint, abort, current_app, render_template, request, url_for
from sqlalchemy import bindparam

from app.domain.progression import STAGES
from app.extensions import db
from app.library.figures import drawing_info
from app.models import Exercise

bp = Blueprint("library", __name__, url_prefix="/exercises")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A drawing is a document of its own: its inline style may apply, nothing else may load or run.
FIGURE_CSP = "default-src 'none'; style-src 'unsafe-inline'"
KIND_TITLES = {"warmup": "Pre-run warm-up", "recovery": "Recovery (for sore days)", "test": "Tests"}


@bp.get("/")
def index():
    exercises = db.session.scalars(
        db.select(Exercise).order_by(Exercise.kind, Exercise.stage, Exercise.position)
    ).all()
    strength = [e for e in exercises if e.kind == "strength"]
    stages = [(STAGES[stage], list(items)) for stage, items in groupby(strength, key=lambda e: e.stage)]
    others = [(KIND_TITLES[kind], [e for e in exercises if e.kind == kind]) for kind in KIND_TITLES]
    return render_template("library/index.html", stages=stages, others=others)


@bp.get("/<slug>")
def detail(slug: str):
    if not SLUG.fullmatch(slug):  # never send a malformed slug (a NUL byte breaks PostgreSQL) to the database
        abort(404)
    exercise = db.session.scalar(EXERCISE_OF_SLUG, {"slug": slug})
    if exercise is None:
        abort(404)
    stage = STAGES.get(exercise.stage) if exercise.stage else None
    return render_template("library/detail.html", exercise=exercise, stage=stage)


EXERCISE_OF_SLUG = db.select(Exercise).where(Exercise.slug == bindparam("slug"))  # built once


@bp.app_template_global("exercise_figure")
def exercise_figure(slug: str) -> dict | None:
    """The drawing of an exercise for templates/_figure.html: URL, text alternative and size;
    None for an exercise that has no drawing (one that left the library keeps its logs)."""
    key = (current_app.static_folder, slug)
    if current_app.debug or key not in _drawings:
        # A deployed drawing doesn't change under a running process (as static_version in
        # app/assets.py): read once per process; in debug mode a rewritten one shows at once.
        _drawings[key] = drawing_info(current_app.static_folder, slug)
    info = _drawings[key]
    return info and {**info, "url": url_for("static", filename=info["filename"])}


_drawings: dict[tuple[str, str], dict | None] = {}  # the slugs are the library's: a bounded set


@bp.after_app_request
def drawings_run_nothing(response):
    """The drawings' own policy: inline style only, so one opened on its own shows its poses."""
    if request.endpoint == "static" and (request.view_args or {}).get("filename", "").startswith("figures/"):
        response.headers["Content-Security-Policy"] = FIGURE_CSP
    return response
