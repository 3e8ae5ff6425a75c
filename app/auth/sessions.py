"""Starting a signed-in session: the one way sign-up, sign-in and a password reset do it."""
from __future__ import annotations

from flask import current_app, g, session
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf


def start_session(user, remember: bool = False) -> None:
    """A new session, complete on the response that starts it. Nothing from before carries
    over (no session fixation). The pages the browser loads next, at once (the landing page,
    the service worker's session check), then only read it: none of them writes the cookie
    with a CSRF token of its own that would leave another page's form token stale."""
    logout_user()
    session.clear()
    login_user(user, remember=remember)
    session.permanent = True
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    g.pop(field, None)  # the token this request cached belongs to the session just cleared
    generate_csrf()  # a fresh one, stored in the new session
