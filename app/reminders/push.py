"""Web Push with VAPID: keys, subscriptions, and sending (pywebpush / py-vapid).

The VAPID private key is the base64url of the raw 32-byte P-256 key. Production reads it from
VAPID_PRIVATE_KEY (no key: push is off, email still works); development generates one once
into instance/vapid_private_key, like the secret key. VAPID_SUBJECT must be a mailto: or an
https: address that is not localhost: push services reject others, so the app refuses to start.
"""
from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

log = logging.getLogger("kneeready.push")

TTL_SECONDS = 4 * 3600  # a reminder older than this is no use
TIMEOUT_SECONDS = 10
MAX_ENDPOINT = 2048
LOCAL_HOSTS = {"localhost", "localhost.localdomain"}


class PushSetupError(RuntimeError):
    """The VAPID settings can't work: said at start-up, not at the first reminder."""


def check_subject(subject: str) -> None:
    """A mailto: with an address, or an https: URL, neither on localhost."""
    parts = urlsplit(subject or "")
    if parts.scheme == "mailto":
        host = parts.path.rpartition("@")[2]
        if "@" not in parts.path or not host or _is_local(host):
            raise PushSetupError(f"VAPID_SUBJECT {subject!r} needs a real address, like mailto:you@example.com")
        return
    if parts.scheme == "https" and parts.hostname and not _is_local(parts.hostname):
        return
    raise PushSetupError(f"VAPID_SUBJECT {subject!r} must be mailto:you@example.com or an https:// address "
                         "that isn't localhost (push services refuse others)")


def _is_local(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def configure(config: dict, instance: Path) -> None:
    """Check the subject at start-up; in development, make the key once if there is none."""
    if config.get("VAPID_PRIVATE_KEY") is None and not config.get("PRODUCTION"):
        config["VAPID_PRIVATE_KEY"] = _dev_key(instance)
    if config.get("VAPID_PRIVATE_KEY"):
        check_subject(config.get("VAPID_SUBJECT", ""))
        try:
            Vapid.from_string(config["VAPID_PRIVATE_KEY"])
        except Exception as error:
            raise PushSetupError("VAPID_PRIVATE_KEY is not a base64url P-256 private key") from error


def _dev_key(instance: Path) -> str:
    path = instance / "vapid_private_key"
    if not path.exists():
        instance.mkdir(exist_ok=True)
        path.write_text(new_private_key())
        path.chmod(0o600)
    return path.read_text().strip()


def new_private_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64(key.private_numbers().private_value.to_bytes(32, "big"))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def enabled() -> bool:
    return bool(current_app.config.get("VAPID_PRIVATE_KEY"))


def _vapid() -> Vapid:
    """The signing key, parsed once per app (and again only if the setting changes)."""
    key = current_app.config["VAPID_PRIVATE_KEY"]
    cached = current_app.extensions.get("kneeready_vapid")
    if cached is None or cached[0] != key:
        cached = current_app.extensions["kneeready_vapid"] = (key, Vapid.from_string(key))
    return cached[1]


def application_server_key() -> str:
    """The public key a browser subscribes with (base64url, uncompressed point)."""
    public = _vapid().public_key.public_bytes(serialization.Encoding.X962,
                                              serialization.PublicFormat.UncompressedPoint)
    return _b64(public)


# ── subscriptions sent by the page ──────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def parse_subscription(body) -> Subscription | str:
    """A PushSubscription's JSON as the browser gives it, or the reason it can't be used."""
    if not isinstance(body, dict):
        return "Send the subscription as a JSON object."
    endpoint, keys = body.get("endpoint"), body.get("keys")
    if not isinstance(endpoint, str) or not endpoint:
        return "The subscription has no endpoint."
    if len(endpoint) > MAX_ENDPOINT:
        return "The endpoint is too long."
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname or any(ord(c) < 33 or ord(c) > 126 for c in endpoint):
        return "The endpoint must be an https:// address."
    if not isinstance(keys, dict):
        return "The subscription has no keys."
    unknown = set(keys) - {"p256dh", "auth"}
    if unknown:
        return f"Unknown key type: {sorted(unknown)[0][:40]}."
    p256dh, auth = _decode(keys.get("p256dh")), _decode(keys.get("auth"))
    if p256dh is None or len(p256dh) != 65 or p256dh[0] != 4:
        return "The p256dh key must be a base64url P-256 public key."
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError:
        return "The p256dh key must be a base64url P-256 public key."
    if auth is None or len(auth) != 16:
        return "The auth key must be 16 bytes, base64url."
    return Subscription(endpoint, keys["p256dh"], keys["auth"])


def _decode(value) -> bytes | None:
    if not isinstance(value, str) or not value or len(value) > 200:
        return None
    if any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=" for c in value):
        return None
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


# ── sending ─────────────────────────────────────────────────────────────────────────────────

def payload(title: str, body: str, url: str, tag: str) -> bytes:
    """Declarative Web Push (Safari 18.4+ shows it with no worker code); our worker reads it too."""
    return json.dumps({
        "web_push": 8030,
        "notification": {"title": title, "body": body, "navigate": url, "tag": tag, "lang": "en-GB",
                         "silent": False},
    }, separators=(",", ":")).encode()


class Gone(Exception):
    """The push service says this subscription no longer exists (404/410)."""


def send(subscription, data: bytes, session: requests.Session) -> None:
    """One push; Gone for 404/410, WebPushException (or a network error) for anything else."""
    info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    try:
        webpush(info, data=data, vapid_private_key=_vapid(),
                vapid_claims={"sub": current_app.config["VAPID_SUBJECT"]}, ttl=TTL_SECONDS,
                timeout=TIMEOUT_SECONDS, requests_session=session, headers={"Urgency": "normal"})
    except WebPushException as error:
        if error.response is not None and error.response.status_code in (404, 410):
            raise Gone(str(error.response.status_code)) from error
        raise
