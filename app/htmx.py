"""Our only contact with htmx-flask (0.1.0, unmaintained): swap it out here alone.

htmx-flask's own `reswap` rejects "beforebegin" and "afterbegin" (a missing comma in its
list of allowed values), so `reswap()` below sets the HX-Reswap header directly.
"""
from __future__ import annotations

from flask import Response, request
from htmx_flask import Htmx

htmx = Htmx()

RESWAPS = frozenset(
    {"innerHTML", "outerHTML", "beforebegin", "afterbegin", "beforeend", "afterend", "delete", "none"}
)


def is_htmx() -> bool:
    """True when htmx sent this request (HX-Request: true), boosted or not."""
    return bool(getattr(request, "htmx", False))


def is_boosted() -> bool:
    return is_htmx() and request.htmx.boosted


def wants_fragment() -> bool:
    """An htmx request that targets part of a page, not a boosted page navigation."""
    return is_htmx() and not request.htmx.boosted


def reswap(response: Response, swap: str) -> Response:
    """Tell htmx how to swap this response, whatever the target's hx-swap says."""
    if swap.split(" ", 1)[0] not in RESWAPS:
        raise ValueError(f"unknown swap style: {swap}")
    response.headers["HX-Reswap"] = swap
    return response


def retarget(response: Response, selector: str) -> Response:
    response.headers["HX-Retarget"] = selector
    return response


def trigger(response: Response, event: str) -> Response:
    response.headers["HX-Trigger"] = event
    return response


def redirect(location: str) -> Response:
    """A client-side redirect for htmx requests (a 303 is followed by XHR, not the page)."""
    response = Response(status=204)
    response.headers["HX-Location"] = location
    return response
