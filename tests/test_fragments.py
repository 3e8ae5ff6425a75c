"""Fragments rendered once per process (app/fragments.py): from their values alone, remembered."""
from __future__ import annotations

import pytest

from app.domain.warmup import RunnerProfile, build_warmup
from app.fragments import PURE_GLOBALS, fragment, render
from app.library import library

ITEM = build_warmup(RunnerProfile("general", frozenset()), "green", library()).items[0]
REASONS = (("", "Not skipped"), ("hurts", "It hurt"))


def values(**changes):
    return {"item": ITEM, "done": False, "skipped": None, "errors": (), "reasons": REASONS, **changes}


def test_a_fragment_sees_only_pure_helpers(app):
    from app.fragments import _of

    with app.test_request_context("/"):
        environment, _ = _of(app)
        assert set(environment.globals) <= PURE_GLOBALS and "url_for" in environment.globals
        for name in ("request", "session", "g", "current_user", "csrf_token", "config", "run_offer_today"):
            assert environment.from_string("{{ %s is defined }}" % name).render() == "False", name
        assert "csrf_token" in app.jinja_env.globals  # the page's own templates still have it


def test_equal_values_render_once_and_different_ones_apart(app, monkeypatch):
    from app.fragments import _of

    with app.test_request_context("/"):
        environment, _ = _of(app)
        rendered = []
        get_template = environment.get_template
        monkeypatch.setattr(environment, "get_template", lambda name, *args, **kwargs: (
            name == "warmup/_item.html" and rendered.append(name)) or get_template(name, *args, **kwargs))
        first = fragment("warmup/_item.html", **values())
        assert fragment("warmup/_item.html", **values()) is first and len(rendered) == 1
        ticked = fragment("warmup/_item.html", **values(done=True))
        skipped = fragment("warmup/_item.html", **values(skipped="hurts", errors=("Tick it done or skip it, not both.",)))
        assert len(rendered) == 3
        assert " checked>" not in first and " checked>" in ticked
        assert "Skipped: it hurt" in skipped and "not both." in skipped and "not both." not in first


def test_render_draws_in_the_same_pure_environment_every_time_and_keeps_nothing(app):
    """For a caller that keeps the HTML itself (the check-in history, remembered per athlete)."""
    from app.fragments import _of

    with app.test_request_context("/"):
        _, kept = _of(app)
        kept.clear()
        first = render("warmup/_item.html", **values())
        again = render("warmup/_item.html", **values())
        assert first == again == fragment("warmup/_item.html", **values()) and first is not again
        assert len(kept) == 1  # fragment's own, not render's
        with pytest.raises(Exception, match="is undefined"):
            render("checkin/form.html", form=None)  # a page's template needs more than pure helpers


def test_each_script_root_has_its_own_links(app):
    with app.test_request_context("/"):
        plain = fragment("warmup/_item.html", **values())
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/knee"}):
        mounted = fragment("warmup/_item.html", **values())
    assert f'href="/exercises/{ITEM.exercise.slug}"' in plain
    assert f'href="/knee/exercises/{ITEM.exercise.slug}"' in mounted


def test_debug_mode_renders_every_time(app, monkeypatch):
    from app.fragments import _of

    app.debug = True
    with app.test_request_context("/"):
        environment, kept = _of(app)
        fragment("warmup/_item.html", **values())
        assert kept == {}


@pytest.mark.parametrize("unhashable", [["a list"], {"a": "dict"}])
def test_values_that_cannot_be_a_key_are_refused(app, unhashable):
    with app.test_request_context("/"), pytest.raises(TypeError):
        fragment("warmup/_item.html", **values(errors=unhashable))


def test_a_token_hole_is_filled_with_this_requests_token_and_no_escaped_value_makes_one(app):
    """A form in a fragment writes `token_hole` where the CSRF token goes; `with_token` fills it
    with the token of the request that shows it. A value that spells the hole out is escaped,
    so it is shown as typed, never filled."""
    from flask_wtf.csrf import generate_csrf

    from app.fragments import TOKEN_HOLE, _of, with_token

    with app.test_request_context("/"):
        environment, _ = _of(app)
        html = environment.from_string(
            '<input name="csrf_token" value="{{ token_hole }}"><p>{{ name }}</p>').render(name=str(TOKEN_HOLE))
        assert html.count(str(TOKEN_HOLE)) == 1
        filled = with_token(html)
        token = generate_csrf()
        assert f'<input name="csrf_token" value="{token}">' in filled
        assert "<p>&lt;!--csrf-token--&gt;</p>" in filled and str(TOKEN_HOLE) not in filled
    with app.test_request_context("/"):
        assert generate_csrf() != token  # another visitor: another token, filled into the same HTML
        assert f'value="{generate_csrf()}"' in with_token(html)
