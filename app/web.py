"""Request-wide behaviour: navigation, security headers, session lifetime."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from flask import Flask, abort, current_app, request, session
from flask_login import current_user
from markupsafe import Markup

from app.domain.content import dose_label
from app.fragments import TOKEN_HOLE, fragment, with_token
from app.htmx import is_htmx

# (endpoint, label, icon, who sees it). An entry shows only once its endpoint exists.
NAV = (
    ("main.today", "Today", "today", "athlete"),
    ("warmup.checklist", "Warm-up", "warmup", "athlete"),
    ("checkin.form", "Check-in", "checkin", "athlete"),
    ("training.overview", "Training", "training", "athlete"),
    ("coach.dashboard", "Coach", "coach", "coach"),
)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class NavItem(NamedTuple):
    endpoint: str
    label: str
    icon: str
    current: bool


def nav_items() -> tuple[NavItem, ...]:
    """The navigation entries this user should see, marking the current one: worked out once per
    app for each kind of user (athlete, coach, both) on each page."""
    if not current_user.is_authenticated:
        return ()
    key = (current_user.is_athlete, current_user.is_coach, request.blueprint, request.endpoint)
    kept = current_app.extensions.setdefault("kneeready.nav_items", {})  # at most 4 x the endpoints
    if key not in kept:
        kept[key] = _nav_items(current_app.view_functions, *key)
    return kept[key]


def _nav_items(views, is_athlete: bool, is_coach: bool, page_blueprint: str | None,
               page_endpoint: str | None) -> tuple[NavItem, ...]:
    items = []
    for endpoint, label, icon, role in NAV:
        if endpoint not in views:
            continue
        if role == "athlete" and not is_athlete:
            continue
        if role == "coach" and not is_coach:
            continue
        blueprint = endpoint.split(".")[0]
        current = page_blueprint == blueprint and (blueprint != "main" or page_endpoint == endpoint)
        items.append(NavItem(endpoint, label, icon, current))
    return tuple(items)


def dose(exercise) -> str:
    """An exercise's dose for people: "2 × 10 each side", "3 × 30 s"."""
    return dose_label(exercise.sets, exercise.reps, exercise.seconds, exercise.per_side)


def field_attrs(field, **extra) -> dict:
    """HTML attributes for a form control: its hint and error tied to it, None values left out."""
    described = [f"{field.id}-hint"] if field.description else []
    described += [f"{field.id}-error"] if field.errors else []
    attrs = {
        "aria-describedby": " ".join(described) or None,
        "aria-invalid": "true" if field.errors else None,
        "required": True if field.flags.required else None,
        **extra,
    }
    return {name: value for name, value in attrs.items() if value not in (None, False)}


@dataclass(frozen=True)
class ChoiceView:
    """A choice field (radio buttons or tick boxes) as its fieldset shows it: all of it, and
    nothing of the request, so a fieldset is rendered once per process for equal views
    (app/fragments.py). `options` holds each option's (id, value, label, input HTML), the input
    as the field's own widget renders it."""

    id: str
    label: str
    description: str
    errors: tuple[str, ...]
    described_by: str | None
    options: tuple[tuple[str, str, str, Markup], ...]


VIEWS_KEPT = 4096  # field states per process, far more than the forms' fields and answers; past it, start again
_views: dict[tuple, ChoiceView] = {}


def choice_view(field) -> ChoiceView:
    """What a choice field's fieldset shows, from the field as the form filled it: worked out once
    per process for each state of the field (its options' inputs are the costly part)."""
    state = _state(field)
    view = _views.get(state) if state is not None else None
    if view is None:
        view = ChoiceView(
            id=field.id, label=field.label.text, description=field.description, errors=tuple(field.errors),
            described_by=field_attrs(field).get("aria-describedby"),
            options=tuple((option.id, option.data, option.label.text, Markup(option())) for option in field),
        )
        if state is not None:
            if len(_views) >= VIEWS_KEPT:
                _views.clear()
            _views[state] = view
    return view


def _state(field) -> tuple | None:
    """Everything a choice field's view is drawn from, as a key; None when something can't be one
    (attributes given to the field or to a choice, an unhashable answer)."""
    if field.render_kw or any(choice.render_kw for choice in field.choices):
        return None
    data = tuple(field.data) if isinstance(field.data, list) else field.data
    state = (type(field), getattr(field, "coerce", None), field.id, field.name, field.label.text, field.description,
             tuple(field.errors), data, tuple((c.value, c.label, c.optgroup) for c in field.choices),
             tuple(sorted(vars(field.flags).items())))
    try:
        hash(state)
    except TypeError:
        return None
    return state


def choice_fieldset(kind: str, field, **options) -> Markup:
    """A choice field's fieldset: templates/_choices.html's macro `kind` with `options`, rendered
    once per process for what it shows. A dict option maps values to fields (a chip's follow-up
    question), each passed on as its ChoiceView."""
    shown = {name: tuple((key, choice_view(value)) for key, value in option.items()) if isinstance(option, dict)
             else option for name, option in options.items()}
    return fragment("_choices.html", kind=kind, field=choice_view(field), settings=tuple(sorted(shown.items())))


def _has_form() -> bool:
    return request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data")


def has_nameless_field() -> bool:
    """True when a multipart form has a part without a name: no browser sends one, and the
    None it becomes among the field names breaks code that expects text."""
    return _has_form() and None in request.form


def has_nul_byte() -> bool:
    """True when the path, query or form of this request carries a NUL byte."""
    pairs = list(request.args.items(multi=True))  # every value of a repeated field, not just the first
    if _has_form():
        pairs += request.form.items(multi=True)
    return any("\x00" in text for text in (request.path, *(text for pair in pairs for text in pair)))


def register(app: Flask) -> None:
    app.add_template_filter(dose)
    app.add_template_global(field_attrs)
    app.add_template_global(choice_fieldset)
    app.add_template_global(fragment)
    app.add_template_global(TOKEN_HOLE, "token_hole")
    app.add_template_filter(with_token)

    @app.context_processor
    def inject_nav():
        return {"nav_items": nav_items}

    @app.before_request
    def permanent_session():
        if not session.permanent:
            session.permanent = True

    @app.before_request
    def refuse_nameless_fields():
        if has_nameless_field():
            abort(400, "What you sent has a form field without a name. Reload the page and send it again.")

    @app.before_request
    def refuse_nul_bytes():
        """No person types a NUL byte, and PostgreSQL cannot store one: refuse it at the door."""
        if has_nul_byte():
            abort(400, "What you sent contains an invisible NUL character. Remove it and send it again.")

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("PRODUCTION"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if is_htmx():
            headers.add("Vary", "HX-Request")
        return response
