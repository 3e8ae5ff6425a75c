"""Configuration read from the environment, with safe development defaults."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _dev_secret_key() -> str:
    """A development secret generated once and kept in instance/, so sessions survive restarts."""
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def is_production() -> bool:
    return os.environ.get("KNEEREADY_ENV", "development").lower() == "production"


class Config:
    """Everything the app reads from the environment."""

    PRODUCTION = is_production()
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE / 'kneeready.sqlite3'}"
    )
    # No pool_pre_ping: app/database.py pings only a connection that sat idle.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SECRET_KEY = os.environ.get("SECRET_KEY")

    # The CSRF token lives as long as the session: htmx sends it from <body hx-headers>,
    # and boosted navigation never re-renders <body>, so a time limit would break forms.
    WTF_CSRF_TIME_LIMIT = None
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # Send the session cookie only when it changes, so cached static files carry no Set-Cookie.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = PRODUCTION
    REMEMBER_COOKIE_DURATION = timedelta(days=60)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = PRODUCTION

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_AUTH = os.environ.get("RATELIMIT_AUTH", "10 per minute;50 per hour")
    RATELIMIT_INVITE = os.environ.get("RATELIMIT_INVITE", "20 per minute;100 per hour")

    MAX_CONTENT_LENGTH = 256 * 1024

    # Email: SMTP when MAIL_SERVER is set, else one .eml file per message in instance/mail/.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _flag("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "KneeReady <no-reply@kneeready.invalid>")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND")
    # Links in emails are absolute: the public address of the site, e.g. https://kneeready.example.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
    RATELIMIT_RESET = os.environ.get("RATELIMIT_RESET", "5 per minute;20 per hour")
    # Web Push: base64url raw P-256 private key (development makes one in instance/), and the
    # contact push services see: a mailto: or an https: address that isn't localhost.
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:reminders@kneeready.example")

    # The service worker's version: by default a hash of what it caches; set it to force phones
    # to fetch everything again.
    PWA_VERSION = os.environ.get("PWA_VERSION")

    COMPRESS_ALGORITHM = "gzip"
    COMPRESS_MIN_SIZE = 512
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
        "application/manifest+json", "image/svg+xml",
    ]


def finalize(config: dict) -> None:
    """Fill in the secret key, refusing to run production without a real one."""
    if config.get("SECRET_KEY"):
        return
    if config.get("PRODUCTION"):
        raise RuntimeError(
            "SECRET_KEY is not set. Production refuses to start without one: "
            "export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    config["SECRET_KEY"] = _dev_secret_key()
