"""Sending hostile requests and checking what came back: the status, the words, the database."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, unquote

from flask import Flask
from werkzeug.datastructures import MultiDict

from tests.coach.conftest import sign_in_as
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


@dataclass
class Sent:
    """What a request carried that decides which refusal it must get first."""

    nul: bool
    size: int
    bad_key: bool

    def expected(self, messages: tuple[str, ...]) -> tuple[str, ...]:
        """The messages the person may see: the app's guards speak before the form does."""
        if self.size > MAX_BODY:
            return (TOO_LARGE,)
        if self.nul:
            return (NUL,)
        if self.bad_key:
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
        """Send one request (form `pairs`, the page's CSRF token first) and count it."""
        data = kwargs.pop("data", None)
        if data is None and method != "GET":
            data = MultiDict(([("csrf_token", self.token)] if csrf else []) + list(pairs))
        if multipart:
            kwargs["content_type"] = "multipart/form-data"
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
                    bad_key=key is not None and not KEY_PATTERN.fullmatch(key))

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
