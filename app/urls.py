"""The app's Flask class, which remembers the URLs it builds (and renders with app/templating.py's
Jinja environment).

A page builds thirty-odd URLs (static files, the navigation, its links), and werkzeug works each
one out again on every request, though a route's URL for the same values never changes while
the process runs. `App.url_for` keeps what it built, per script root and values, and builds only
what it has not seen. Debug mode, external URLs and anything unusual go the ordinary way.
"""
from __future__ import annotations

from operator import itemgetter

from flask import Flask, request
from flask.globals import request_ctx

from app.templating import Environment

URLS_KEPT = 4096  # far more than the app's pages link to; past it, start again


class App(Flask):
    """Flask, with URL building remembered."""

    jinja_environment = Environment

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple, str] = {}

    def url_for(self, endpoint: str, /, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values) -> str:
        if self.debug or _method or _scheme or _external or not request_ctx:
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                                   _external=_external, **values)
        try:
            key = (request.script_root, request.blueprint if endpoint[:1] == "." else None, endpoint, _anchor,
                   # the type too: 1, 1.0 and True are equal keys but not the same URL
                   tuple((name, value.__class__, value) for name, value in sorted(values.items(), key=itemgetter(0))))
            url = self._urls.get(key)
        except TypeError:  # a list of values: build it every time
            return super().url_for(endpoint, _anchor=_anchor, **values)
        if url is None:
            url = super().url_for(endpoint, _anchor=_anchor, **values)
            if len(self._urls) >= URLS_KEPT:
                self._urls.clear()
            self._urls[key] = url
        return url
