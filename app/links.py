"""Absolute links for emails and push messages, built from PUBLIC_URL, never the Host header
(a forged Host would otherwise put an attacker's site into a password-reset email)."""
from __future__ import annotations

from flask import current_app, url_for


def absolute_url(endpoint: str, **values) -> str:
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)
