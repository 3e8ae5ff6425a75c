"""Sending hostile requests and checking what came back: the status, the words, the database."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, unquote

from flask import Flask
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.test import encode_multipart

from tests.fixtures.coaching import sign_in_as
from tests.security import tally
from tests.security.snapshot import database_snapshot, differences
from tests.security.world import World

MAX_BODY = 256 * 1024  # the app's MAX_CONTENT_LENGTH
NUL = "What you sent contains an invisible NUL character"
TOO_LARGE = "What you sent was too large. Shorten it and try again."
NOT_FOUND = "There's nothing here — the link may be old or mistyped."
NOT_ALLOWED = "That page can't be used that way."
BAD_KEY = "Its Idempotency-Key must be 8 to 100 letters, digits, '-' or '_'."
CSRF = "For your security the form could not be accepted"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,100}")


def page_text(response) -> str:
    """The page as a person reads it: entities such as &#39; decoded."""
    return html.unescape(response.get_data(as_text=True))


def segment(value) -> str:
    """A value as one URL path segment, percent-encoded."""
    return quote(str(value), safe="")


def rule_of(app: Flask, path: str, default: str | None = None) -> str:
    """The URL rule a path falls under (what the count is kept by), or `default` when none does."""
    adapter = app.url_map.bind("localhost")
    for method in ("POST", "GET"):
        try:
            return adapter.match(unquote(path.split("?")[0]), method, return_rule=True)[0].rule
        except HTTPException:
            continue
    return default or path


def count(app: Flask, method: str, path: str, response) -> None:
    """Count a request sent without Attack.send."""
    tally.count(method, rule_of(app, path), response.status_code)


@dataclass
class Sent:
    """What a request carried that decides which refusal it must get first."""

    nul: bool
    size: int
    bad_key: bool
    routed: bool  # the URL names a route (the key is checked only by the view it leads to)

    def expected(self, messages: tuple[str, ...]) -> tuple[str, ...]:
        """The messages the person may see: the app's guards speak before the form does."""
        if self.size > MAX_BODY:
            return (TOO_LARGE,)
        if self.nul:
            return (NUL,)
        if self.bad_key and self.routed:
            return (BAD_KEY,)
        return messages


@dataclass
class Attack:
    """A signed-in (or signed-out) visitor sending hostile requests, and the checks on the answers."""

    app: Flask
    client: object
    world: World
    who: str | None = None
    token: str = ""
    baseline: dict = field(default_factory=dict)

    def sign_in(self, who: str | None) -> None:
        sign_in_as(self.client, self.app, self.world.users[who] if who else None)
        self.who = who
        self.token = self.client.csrf_token()
        self.remember()

    def remember(self) -> None:
        """Take the database as it is now as the state every refused request must leave."""
        self.baseline = database_snapshot(self.app)

    def send(self, route: str, method: str, path: str, pairs=(), headers=None, *, csrf: bool = True,
             multipart: bool = False, **kwargs):
        """Send one request (form `pairs`, the page's CSRF token first) and count it under its URL
        rule (`route` names it when the path matches none)."""
        data = kwargs.pop("data", None)
        if data is None and method != "GET":
            data = MultiDict(([("csrf_token", self.token)] if csrf else []) + list(pairs))
        if multipart:  # encoded here, in memory: the test client would spool a big body to a file it never closes
            boundary, data = encode_multipart(data)
            kwargs["content_type"] = f"multipart/form-data; boundary={boundary}"
        route = rule_of(self.app, path, route)
        try:
            response = self.client.open(path, method=method, data=data, headers=headers or {}, **kwargs)
        except Exception:
            tally.count(method, route, None)
            raise
        tally.count(method, route, response.status_code)
        return response

    def sent(self, path: str, pairs, headers, response) -> Sent:
        values = [unquote(path), *(text for pair in pairs for text in pair)]
        key = (headers or {}).get("Idempotency-Key")
        return Sent(nul=any("\x00" in value for value in values), size=response.request.content_length or 0,
                    bad_key=key is not None and not KEY_PATTERN.fullmatch(key),
                    routed=self.routed(path, response.request.method))

    def routed(self, path: str, method: str) -> bool:
        """Whether a route answers this method at this path."""
        try:
            self.app.url_map.bind("localhost").match(unquote(path.split("?")[0]), method)
        except HTTPException:
            return False
        return True

    def assert_refused(self, response, messages: tuple[str, ...], sent: Sent | None = None) -> None:
        """A 4xx that says why in words the person sees, and the database just as it was."""
        status, page = response.status_code, page_text(response)
        assert status < 500, page[:2000]
        assert 400 <= status < 500, f"{status} for a hostile request\n{page[:2000]}"
        expected = sent.expected(messages) if sent else messages
        assert any(message in page for message in expected), (
            f"{status} without any of {expected!r}\n{_visible(page)[:3000]}")
        self.assert_unchanged()

    def assert_unchanged(self) -> None:
        after = database_snapshot(self.app)
        assert after == self.baseline, "the database changed:\n" + "\n".join(differences(self.baseline, after))


def _visible(page: str) -> str:
    """The page without tags, for failure messages."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


class _Tags(HTMLParser):
    """Collects the tags and attributes a page really has (what a browser would build)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def injected_markup(page: str) -> list[str]:
    """Markup no template of ours writes: event-handler attributes, inline scripts, frames,
    javascript: links. Any of them in a page means text someone typed became HTML."""
    parser = _Tags()
    parser.feed(page)
    found = []
    for tag, attrs in parser.found:
        handlers = [name for name in attrs if name.startswith("on")]
        if handlers:
            found.append(f"<{tag} {' '.join(handlers)}>")
        if tag == "script" and "src" not in attrs:
            found.append("<script> without src")
        if tag in ("iframe", "object", "embed", "style", "base"):
            found.append(f"<{tag}>")
        if any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()):
            found.append(f"<{tag}> with a javascript: URL")
    return found
