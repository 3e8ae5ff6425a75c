"""Why the server refused a write, said in a response header for the phone's outbox.

A write replayed from the outbox (sent with KneeReady-Sync) that gets a 4xx is dropped and
shown to the runner with its reason. The reason travels in the KneeReady-Refusal header, UTF-8
percent-encoded: the error page's title and message, or the form's own error messages. The
phone never reads it out of the HTML, so a template edit can't silently lose it.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Flask, Response, before_render_template, g, has_request_context, request

from app.idempotency import SYNC_HEADER

HEADER = "KneeReady-Refusal"
LONGEST = 300  # characters, as the phone shows it
ERROR_PAGE = "errors/error.html"


def register(app: Flask) -> None:
    before_render_template.connect(_note_error_page, app)
    app.after_request(_say_why)


def note_form(form) -> None:
    """Remember a form made for this request: its errors, if any, are the reason (app.forms.Form)."""
    if has_request_context():
        g.setdefault("forms", []).append(form)


def reason() -> str | None:
    """This request's refusal in words: the error page's, else every form error, once each."""
    if g.get("refusal"):
        return g.refusal
    said: list[str] = []
    for form in g.get("forms", ()):
        for message in _messages(form.errors):
            if message not in said:
                said.append(message)
    return " ".join(said) or None


def _messages(errors) -> list[str]:
    """Form errors flattened: WTForms nests them in dicts and lists for field lists."""
    if isinstance(errors, str):
        return [errors]
    values = errors.values() if isinstance(errors, dict) else errors
    return [message for value in values for message in _messages(value)]


def _note_error_page(_app, template, context, **_extra) -> None:
    if template.name == ERROR_PAGE and has_request_context():
        g.refusal = ". ".join(part for part in (context.get("title"), context.get("message")) if part)


def _say_why(response: Response) -> Response:
    if request.headers.get(SYNC_HEADER) and 400 <= response.status_code < 500:
        why = reason()
        if why:
            clipped = why if len(why) <= LONGEST else why[:LONGEST - 1] + "…"
            response.headers[HEADER] = quote(clipped, safe=" ,.:;!?'()/-")
    return response
