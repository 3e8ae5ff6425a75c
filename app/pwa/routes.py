"""The installable app: web app manifest, service worker (root scope), offline page, and the
session check the phone's outbox makes before it replays queued writes."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.pwa import offline
from app.pwa.manifest import manifest_data
from app.web import NAV

bp = Blueprint("pwa", __name__)
PREFETCH_HEADER = "KneeReady-Prefetch"
OFFLINE_FOR_HEADER = "KneeReady-Offline-For"


@bp.get("/manifest.webmanifest")
def manifest():
    response = Response(json.dumps(manifest_data(), indent=1, ensure_ascii=False),
                        mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    """The hand-written worker in static/js/sw.js, led by this deployment's settings."""
    settings = {
        "version": offline.version(),
        "precache": offline.precache_urls(),
        "offlineUrl": url_for("pwa.offline"),
        "pages": offline.offline_endpoints(),
        "outboxScript": url_for("static", filename="js/outbox.js"),
        "sessionUrl": url_for("pwa.session"),
        "staticUrl": current_app.static_url_path + "/",
    }
    source = Path(current_app.static_folder, offline.SW_SOURCE).read_text(encoding="utf-8")
    response = Response(f"self.KNEEREADY = {json.dumps(settings)};\n{source}", mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    # The browser checks the worker for updates as pages open: unchanged, it gets an empty 304.
    # Weak, as the gzipped bytes differ from these (and Flask-Compress leaves a weak tag alone).
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:16], weak=True)
    return response.make_conditional(request)


@bp.get("/offline", endpoint="offline")
def offline_page():
    """Shown by the worker for a page it has no copy of; lists the pages it keeps (if signed in)."""
    pages = [{"url": url_for(endpoint), "label": label, "icon": icon}
             for endpoint, label, icon, _ in NAV if endpoint in offline.OFFLINE_ENDPOINTS
             and endpoint in current_app.view_functions]
    signed_in = current_user.is_authenticated
    response = Response(render_template("pwa/offline.html", pages=pages if signed_in else []))
    # Whose page this is (as the worker knows them): the copy kept at install needs no second
    # fetch when its owner is who the worker then adopts.
    response.headers[OFFLINE_FOR_HEADER] = str(current_user.id) if signed_in else ""
    return response


@bp.get("/pwa/session", endpoint="session")
def session_check():
    """Who is signed in and their CSRF token, so queued writes go out as them or not at all."""
    if not current_user.is_authenticated:
        response = jsonify(error="Sign in to sync what is saved on this phone.")
        response.status_code = 401
    else:
        response = jsonify(user=current_user.id, csrf=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_app_request
def prefetch_leaves_the_session_alone(response):
    """A page the worker fetches to keep sends no cookie: a flash it rendered stays for the
    person's next page, and the page's own writes to the session can't be overwritten."""
    if request.headers.get(PREFETCH_HEADER):
        session.modified = False
    return response


@bp.app_context_processor
def pwa_settings():
    """What static/js/pwa/ reads from the page (#pwa-settings)."""
    return {"offline_pages": offline.offline_pages}
