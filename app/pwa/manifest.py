"""The web app manifest: what a phone needs to install KneeReady and start it like an app."""
from __future__ import annotations

from flask import current_app, url_for

NAME = "KneeReady"
# The light theme's page colour; base.html's theme-color meta tags switch it for dark mode.
THEME_COLOR = "#f6f7f9"
BACKGROUND_COLOR = "#f6f7f9"
SHORTCUTS = (  # (endpoint, name, short name, description, icon)
    ("checkin.form", "Check in", "Check-in", "How's your knee today? About 20 seconds.", "checkin"),
    ("warmup.checklist", "Pre-run warm-up", "Warm-up", "Today's 5–8 minute activation routine.", "warmup"),
)


def _icon(filename: str, size: int, purpose: str = "any") -> dict:
    return {"src": url_for("static", filename=f"icons/{filename}"), "sizes": f"{size}x{size}",
            "type": "image/png", "purpose": purpose}


def _shortcuts() -> list[dict]:
    views = current_app.view_functions
    return [{"name": name, "short_name": short, "description": description, "url": url_for(endpoint),
             "icons": [_icon(f"shortcut-{icon}-96.png", 96)]}
            for endpoint, name, short, description, icon in SHORTCUTS if endpoint in views]


def manifest_data() -> dict:
    """The web app manifest: what the phone needs to install KneeReady."""
    return {
        "id": url_for("main.index"),
        "name": f"{NAME} — run without knee pain",
        "short_name": NAME,
        "description": "Warm up, check in and build strength so you can run without knee pain.",
        "lang": "en",
        "dir": "ltr",
        "start_url": url_for("main.today"),
        "scope": url_for("main.index"),
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["health", "fitness", "sports"],
        "icons": [_icon("icon-192.png", 192), _icon("icon-512.png", 512),
                  _icon("icon-maskable-192.png", 192, "maskable"),
                  _icon("icon-maskable-512.png", 512, "maskable")],
        "shortcuts": _shortcuts(),
    }
