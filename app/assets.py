"""Versioned static URLs: `url_for('static', filename=…)` gains `?v=<content hash>`, and a
versioned file is cached for a year, so a repeat visit moves no static bytes and a deploy
that changes a file changes its URL."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

LONG_CACHE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def _content(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


@lru_cache(maxsize=512)
def _content_hash(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(_content(path, mtime_ns)).hexdigest()[:12]


_versions: dict[tuple[str, str], str | None] = {}
VERSIONS_KEPT = 1024  # far more than static/ holds


def static_version(app: Flask, filename: str) -> str | None:
    """A short hash of the static file's content, or None when there is no such file.

    A deployed file doesn't change under a running process, so each file is hashed once per
    process (a page asks for a dozen static URLs); in debug mode an edited file gets a new hash
    on the next request."""
    key = (app.static_folder, filename)
    if not app.debug and key in _versions:
        return _versions[key]
    path = Path(app.static_folder, filename)
    try:
        version = _content_hash(path, path.stat().st_mtime_ns)
    except (FileNotFoundError, NotADirectoryError):
        version = None
    if not app.debug and len(_versions) < VERSIONS_KEPT:
        _versions[key] = version
    return version


class SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, kept off static files: they are the same for everyone, so they
    carry no Set-Cookie and no "Vary: Cookie" (with it, a browser checks its cached copy with the
    server again each time the session cookie changes — after every flash message)."""

    def save_session(self, app, session, response):
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def register(app: Flask) -> None:
    app.session_interface = SessionInterface()

    @app.url_defaults
    def version_static_urls(endpoint, values):
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = static_version(app, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def serve_static_from_memory(response):
        """Static files are small: send them from memory so they can be gzipped, and give a
        versioned one a year-long lifetime."""
        if request.endpoint != "static" or response.status_code != 200:
            return response
        if response.direct_passthrough:
            path = Path(app.static_folder, request.view_args["filename"])
            response.close()
            response.direct_passthrough = False
            response.set_data(_content(path, path.stat().st_mtime_ns))
        if request.args.get("v"):
            response.headers["Cache-Control"] = LONG_CACHE
        return response
