"""Wrong methods on every route, and writes without their CSRF token: refused, said, unchanged."""
from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from tests.security.attack import CSRF, NOT_ALLOWED, page_text

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HOSTILE_BODY = [("pain_now", "' OR 1=1 --"), ("text", "<script>alert(1)</script>"), ("stage", "5")]


def example_path(rule) -> str:
    """A URL the rule matches: a number for each integer part, a word for the others."""
    def value(match) -> str:
        return "1" if isinstance(rule._converters[match.group(1)], IntegerConverter) else "x"
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", value, rule.rule)


def test_every_route_refuses_the_methods_it_does_not_take(app, attack):
    attack.sign_in("bo")
    adapter = app.url_map.bind("localhost")
    refused = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        path = example_path(rule)
        allowed = adapter.allowed_methods(path)
        for method in METHODS:
            if method in allowed:
                continue
            response = attack.send(rule.rule, method, path, HOSTILE_BODY if method != "GET" else ())
            assert response.status_code == 405, f"{method} {path}: {response.status_code}"
            assert NOT_ALLOWED in page_text(response), f"{method} {path}"
            assert set(response.headers["Allow"].split(", ")) == set(allowed)
            refused += 1
    attack.assert_unchanged()
    assert refused > 100  # every route was tried, not just a few


def _valid_posts(world):
    """(who, path, body) of writes that would succeed with their token."""
    bo, slug = world.users["bo"], world.bo_reps_slug
    return [
        ("bo", "/checkin", [("pain_now", "2"), ("stiffness", "none"), ("swelling", "none"), ("after_session", "same")]),
        ("ada", "/profile", [("runner_type", "trail"), ("knee_status", "niggles"), ("timezone", "UTC")]),
        ("coach", f"/coach/athletes/{bo}/note", [("text", "Easy week.")]),
        ("coach", f"/coach/athletes/{bo}/stage", [("stage", "2")]),
        ("coach", "/coach/invitations", []),
        ("coach", "/coach/invitations/email", [("email", "runner@example.com")]),
        ("coach", "/account/digest", [("weekly_on", "y"), ("timezone", "UTC")]),
        ("bo", f"/training/sessions/{world.bo_session}/exercises/{slug}",
         [("sets", "3"), ("reps", "10"), ("pain", "0")]),
        ("bo", f"/training/sessions/{world.bo_session}/delete", []),
        ("ada", f"/coaches/{world.ada_link}/leave", []),
        ("ada", f"/invite/{world.codes['open']}/accept", []),
        ("ada", "/account/delete", [("del-password", world.password), ("del-confirm", "y")]),
        (None, "/signin", [("email", "ada@example.com"), ("password", world.password)]),
    ]


TOKENS = {
    "missing": None,
    "empty": "",
    "garbage": "' OR 1=1 --",
    "markup": "<script>alert(1)</script>",
    "huge": "A" * 5000,
}


@pytest.mark.parametrize("token", [*TOKENS, "another session's", "only in a wrong header"])
def test_a_write_without_its_own_csrf_token_is_refused_and_writes_nothing(app, attack, world, token):
    other = app.test_client()
    for who, path, body in _valid_posts(world):
        attack.sign_in(who)
        headers = {}
        if token == "another session's":
            pairs = [("csrf_token", other.csrf_token()), *body]
        elif token == "only in a wrong header":
            pairs, headers = body, {"X-CSRFToken": "x" + attack.token}
        else:
            pairs = body if TOKENS[token] is None else [("csrf_token", TOKENS[token]), *body]
        response = attack.send(path, "POST", path, pairs, headers, csrf=False)
        assert response.status_code == 400, f"{path}: {response.status_code}"
        assert CSRF in page_text(response), path
        attack.assert_unchanged()


def test_the_csrf_refusal_names_no_field_value(attack, world):
    """The 400 page never echoes what was posted."""
    attack.sign_in("coach")
    path = f"/coach/athletes/{world.users['bo']}/note"
    response = attack.send(path, "POST", path, [("text", "<script>alert('csrf')</script>")], csrf=False)
    assert response.status_code == 400 and "alert('csrf')" not in page_text(response)
