"""Password reset links: signed, one hour, single use, and silent about who has an account.

The token carries the user's id and a fingerprint of their password hash and session token.
Setting a new password changes both, so a link works once; so does any other password change
or a reset from a newer link. A deleted account has no row to match: the link is simply invalid.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.passwords import hash_password
from app.extensions import db
from app.models import User

MAX_AGE_SECONDS = 3600
SALT = "kneeready-password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash}\x00{user.session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for(token: str) -> tuple[User | None, str]:
    """The user a token resets, or None and why: 'expired' or 'invalid' (used, forged, deleted)."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None, "invalid"
    user = db.session.get(User, data["u"])
    if user is None or not hmac.compare_digest(str(data.get("f", "")), _fingerprint(user)):
        return None, "invalid"
    return user, "ok"


def reset_password(user: User, new_password: str) -> None:
    """Set the new password and a new session token: every other session is signed out."""
    user.password_hash = hash_password(new_password)
    user.rotate_session_token()
    db.session.commit()


def send_link(email: str) -> None:
    """Email a reset link when the address has an account; do nothing visible otherwise."""
    from app.auth.accounts import find_by_email
    from app.links import absolute_url
    from app.worker import send_email

    user = find_by_email(email)
    if user is None:
        return
    link = absolute_url("password.reset_form", token=make_token(user))
    send_email(user.email, "Reset your KneeReady password", "reset",
               {"name": user.display_name, "link": link, "minutes": MAX_AGE_SECONDS // 60})
