"""The user's own data: download everything."""
from __future__ import annotations

from flask import Blueprint, Response
from flask_login import login_required

from app.account import export
from app.auth import signed_in
from app.models import utcnow

bp = Blueprint("account", __name__, url_prefix="/account")


def _attachment(body, mimetype: str, extension: str) -> Response:
    name = f"kneeready-{utcnow():%Y-%m-%d}.{extension}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export.json")
@login_required
def export_json():
    return _attachment(export.as_json(export.collect(signed_in.account())), "application/json", "json")


@bp.get("/export.zip")
@login_required
def export_csv():
    return _attachment(export.as_csv_zip(export.collect(signed_in.account())), "application/zip", "csv.zip")
