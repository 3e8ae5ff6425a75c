"""Our only contact with htmx-flask (0.1.0, unmaintained): swap it out here alone.

htmx-flask does what it is for: its extension reads the htmx request headers into
`request.htmx`, and its `make_response` writes the htmx response headers.
"""
from __future__ import annotations

from flask import Response, request
from htmx_flask import Htmx, make_response

htmx = Htmx()


def is_htmx() -> bool:
    """True when htmx sent this request (HX-Request: true), boosted or not."""
    return bool(getattr(request, "htmx", False))


def wants_fragment() -> bool:
    """An htmx request that targets part of a page, not a boosted page navigation."""
    return is_htmx() and not request.htmx.boosted


def redirect(location: str) -> Response:
    """A client-side redirect for htmx requests (a 303 is followed by XHR, not the page)."""
    return make_response("", 204, location=location)
