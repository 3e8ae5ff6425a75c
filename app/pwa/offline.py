"""What the phone keeps for offline use: the static files to precache, the pages an athlete
needs with no signal, and the service worker's version."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from flask import current_app, has_request_context, request, url_for
from flask_login import current_user

from app.assets import static_version
from app.training.service import open_session_if_shown

SW_SOURCE = "js/sw.js"  # served at /sw.js (root scope), never from /static/
# The pages a runner opens at the trailhead: Today, Warm-up, Check-in, Training, and the run log
# (a run typed in with no signal waits in the outbox).
OFFLINE_ENDPOINTS = ("main.today", "warmup.checklist", "checkin.form", "training.overview", "runs.page")
# The PNG icons are for installing: the manifest's icons, its shortcuts', the Apple touch icon.
# The browser fetches them itself when the app is installed and no page shows them, so the worker
# doesn't keep them — they weighed more than everything else it keeps together.
INSTALL_ONLY = re.compile(r"icons/.+\.png")


def static_files() -> list[str]:
    """Every file under static/, as names for url_for('static'), the worker's own source excepted."""
    root = Path(current_app.static_folder)
    names = (path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
    return sorted(name for name in names if name != SW_SOURCE and not name.startswith("."))


def precache_urls() -> list[str]:
    """Static files the pages use (versioned URLs), the manifest and the offline page."""
    kept = (name for name in static_files() if not INSTALL_ONLY.fullmatch(name))
    return [url_for("static", filename=name) for name in kept] + [
        url_for("pwa.manifest"), url_for("pwa.offline"),
    ]


def version() -> str:
    """Changes with any static file, the worker, the manifest or the offline pages (or PWA_VERSION)."""
    override = current_app.config.get("PWA_VERSION")
    if override:
        return str(override)
    from app.pwa.manifest import manifest_data

    app = current_app._get_current_object()
    hashes = [f"{name}={static_version(app, name)}" for name in [*static_files(), SW_SOURCE]]
    settings = json.dumps([hashes, manifest_data(), offline_endpoints()], sort_keys=True)
    return hashlib.sha256(settings.encode()).hexdigest()[:12]


def offline_endpoints() -> list[str]:
    """The offline pages' URLs, for the endpoints this app has: every athlete's page lists them,
    so each app works them out once for each root it is served under."""
    kept = current_app.extensions.setdefault("kneeready.offline_endpoints", {})
    root = request.script_root if has_request_context() else None
    if root not in kept:
        views = current_app.view_functions
        kept[root] = tuple(url_for(endpoint) for endpoint in OFFLINE_ENDPOINTS if endpoint in views)
    return list(kept[root])


def offline_pages() -> list[str]:
    """The pages this signed-in athlete needs offline; on the pages that show today's open
    training session (Today, Training), that session's page too. The others don't look it up
    only to list it: the worker keeps the copy it has (kept when the session's page was opened,
    refreshed whenever Today or Training is)."""
    if not (current_user.is_authenticated and current_user.is_athlete and current_user.profile):
        return []
    return offline_endpoints() + _open_session_pages()


def _open_session_pages() -> list[str]:
    if "training.session" not in current_app.view_functions:
        return []
    session = open_session_if_shown(current_user.id)
    return [url_for("training.session", session_id=session.id)] if session else []
