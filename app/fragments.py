"""Fragments rendered once per process: parts of a page whose HTML is a function of a few values.

Some parts of a page come out the same for the same values on every load: a warm-up item for
its exercise, dose, cue and whether it is ticked or skipped. `fragment(name, **values)` renders
templates/<name> from exactly `values`, and remembers the HTML per script root, template and
values: the next page that asks with equal values gets the HTML without rendering it.

What makes that safe is that the template can read nothing else. It renders in an environment
of its own whose only globals are the pure helpers in PURE_GLOBALS: not the request, the
session, g, the signed-in user or the CSRF token, which a page's own templates see. So the HTML
depends only on the key (and on the deployed templates and static files, which do not change
under a running process). Values must be hashable and compare equal only when they render the
same (frozen dataclasses, tuples, strings, numbers). A fragment's links use full endpoint names,
never a blueprint-relative ".name". Debug mode renders every time, so an edited template shows.

A form in a fragment needs the viewer's CSRF token, which the fragment cannot see. It writes
`token_hole` where the token goes; the page passes the fragment's HTML through `with_token`,
which fills every hole with this request's token. The hole is a raw "<" sequence, which no
escaped value can contain, so only a template can make one. An unfilled hole sends no valid
token: the form is refused, never accepted for someone else.
"""
from __future__ import annotations

from flask import current_app, request
from flask_wtf.csrf import generate_csrf
from jinja2 import Environment
from markupsafe import Markup, escape

KEPT = 4096  # fragments per process, far more than the routines and states seen; past it, start again
PURE_GLOBALS = frozenset({
    "url_for", "exercise_figure",  # a route's URL, an exercise's drawing: fixed while the process runs
    "board_card",  # a coach's board card from its JSON text (app/coach/dashboard.card_from_text)
    "field_attrs", "choice_fieldset",  # a form control's attributes, a choice field's fieldset (app/web.py)
    "token_hole",  # where a form's CSRF token goes: filled by with_token
    "range", "dict", "lipsum", "cycler", "joiner", "namespace",  # Jinja's own
})


def fragment(name: str, **values) -> Markup:
    """templates/<name> rendered from `values` alone, once per process for equal values."""
    app = current_app._get_current_object()
    environment, kept = _of(app)
    if app.debug:
        return Markup(environment.get_template(name).render(values))
    key = (request.script_root, name, tuple(sorted(values.items())))
    html = kept.get(key)
    if html is None:
        html = Markup(environment.get_template(name).render(values))
        if len(kept) >= KEPT:
            kept.clear()
        kept[key] = html
    return html


def render(name: str, **values) -> Markup:
    """templates/<name> rendered from `values` alone, in the fragments' environment, every time:
    for a caller that keeps the HTML itself (an athlete's remembered page, app/progress)."""
    environment, _kept = _of(current_app._get_current_object())
    return Markup(environment.get_template(name).render(values))


TOKEN_HOLE = Markup("<!--csrf-token-->")


def with_token(html: str) -> Markup:
    """Fragments' HTML with every token hole filled with this request's CSRF token."""
    return Markup(str(html).replace(TOKEN_HOLE, str(escape(generate_csrf()))))


def _of(app) -> tuple[Environment, dict]:
    """The app's Jinja environment (its loader, filters, autoescape) with only the pure globals,
    and the fragments it rendered."""
    own = app.extensions.get("fragments")
    if own is None:
        environment = app.jinja_env.overlay()
        environment.globals = {k: v for k, v in app.jinja_env.globals.items() if k in PURE_GLOBALS}
        own = app.extensions["fragments"] = (environment, {})
    return own
