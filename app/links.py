"""Absolute links for emails and push messages, built from PUBLIC_URL, never the Host header
(a forged Host would otherwise put an attacker's site into a password-reset email)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter


def _adapter() -> MapAdapter:
    """One URL builder per app and PUBLIC_URL: the sweep builds thousands of links."""
    public = current_app.config["PUBLIC_URL"]
    cached = current_app.extensions.get("kneeready_links")
    if cached is None or cached[0] != public:
        parts = urlsplit(public)
        adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
        cached = current_app.extensions["kneeready_links"] = (public, adapter)
    return cached[1]


def absolute_url(endpoint: str, **values) -> str:
    return _adapter().build(endpoint, values, force_external=True)
