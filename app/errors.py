"""Error pages: every failure gets a page a runner can act on, never a stack trace."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: ("That request didn't make sense", "Something in what was sent was missing or malformed."),
    403: ("Not allowed", "You don't have permission to do that."),
    404: ("Page not found", "There's nothing here — the link may be old or mistyped."),
    405: ("Not allowed", "That page can't be used that way."),
    413: ("Too much data", "What you sent was too large. Shorten it and try again."),
    429: ("Slow down a moment", "Too many attempts in a short time. Wait a minute and try again."),
    500: ("Something went wrong on our side", "Nothing you did. Your saved data is safe; try again in a moment."),
}


def render_error(code: int, title: str | None = None, message: str | None = None):
    """Our error page for `code`, with its usual title and message unless others are given."""
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template("errors/error.html", code=code,
                        title=title or default_title, message=message or default_message),
        code,
    )


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        body, code = render_error(
            400, "Your form had expired",
            "For your security the form could not be accepted (its security token was missing "
            "or out of date). Go back, reload the page and send it again.",
        )
        # The phone's outbox keeps a write refused for its token and asks the runner to sign in.
        return body, code, {"KneeReady-Error": "csrf"}

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(
            code, lambda error, code=code: (*render_error(code, message=_said(error, code)), _kept_headers(error)))


def _kept_headers(error) -> dict:
    """The headers an HTTP error must keep on our page: Allow on a 405 (the methods that work),
    Retry-After where the error gives one."""
    get_headers = getattr(error, "get_headers", None)
    headers = dict(get_headers()) if get_headers else {}
    return {name: value for name, value in headers.items() if name in ("Allow", "Retry-After")}


def _said(error, code: int) -> str | None:
    """The message our own abort(400, "…") gave, rather than Werkzeug's default for 400."""
    description = getattr(error, "description", None)
    default = getattr(type(error), "description", None)
    return description if code == 400 and description and description != default else None
