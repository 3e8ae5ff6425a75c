"""Exactly-once writes: a write sent with an `Idempotency-Key` is stored once, however often
it arrives (a phone that lost the answer, a queue replayed after a trail run).

The key row is inserted in the same transaction as the view's writes, so two copies of one
request racing each other meet the unique constraint: the loser rolls back and replays what
the winner stored. A view that fails (4xx) writes nothing and so leaves no key: the write
can be sent again.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from functools import wraps

from flask import Response, make_response, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.extensions import db
from app.htmx import is_htmx
from app.htmx import redirect as htmx_redirect
from app.models import IdempotencyKey

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Sent by the phone's outbox when it replays a queued write: its flash message would only
# surface later, on an unrelated page, so it is dropped (the outbox says "synced" itself).
SYNC_HEADER = "KneeReady-Sync"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,100}")
IN_FLIGHT = 0  # status stored with the key until the view's answer is known
ANSWER_LOST = 500  # the writes were stored, then the view failed before answering
SETTLE_TRIES, SETTLE_PAUSE = 40, 0.05  # a racing copy waits up to 2 s for the winner's answer
IGNORED_FIELDS = frozenset({"csrf_token"})


def request_hash() -> str:
    """What this write says: method, path, query and form fields (not the CSRF token)."""
    fields = [[name, request.form.getlist(name)] for name in sorted(request.form.keys())
              if name not in IGNORED_FIELDS]
    query = [[name, request.args.getlist(name)] for name in sorted(request.args.keys())]
    payload = json.dumps([request.method, request.path, query, fields], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def idempotent(view):
    """Store a POST carrying an Idempotency-Key once; replay its result for the same key.

    Apply under @login_required (or a gate that includes it): keys belong to a user.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = request.headers.get(KEY_HEADER)
        if request.method != "POST" or key is None:
            return view(*args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            return _bad_key()
        user_id, digest = current_user.id, request_hash()
        stored = _lookup(user_id, key)
        if stored is not None:
            return _replay(_settled(user_id, key) if stored.status_code == IN_FLIGHT else stored, digest)
        try:
            return _first_time(view, args, kwargs, user_id, key, digest)
        except IntegrityError:
            db.session.rollback()
            stored = _settled(user_id, key)
            if stored is None:
                raise
            return _replay(stored, digest)

    return wrapped


def _first_time(view, args, kwargs, user_id: int, key: str, digest: str) -> Response:
    """Run the view with the key row in its transaction; keep the key only if it succeeded."""
    row = IdempotencyKey(user_id=user_id, key=key, request_hash=digest, status_code=IN_FLIGHT)
    db.session.add(row)
    db.session.flush()  # takes the unique index now: a racing copy waits here, then fails
    flashes = list(session.get("_flashes", []))
    try:
        response = make_response(view(*args, **kwargs))
    except Exception:
        # Whatever the view committed keeps its key (so a resend cannot store it twice);
        # whatever it had not committed goes, key included.
        db.session.rollback()
        _answer_lost(user_id, key)
        raise
    if response.status_code >= 400:
        db.session.rollback()
        return response
    if request.headers.get(SYNC_HEADER):
        session["_flashes"] = flashes
    row.status_code, row.location = response.status_code, _location(response)
    db.session.commit()
    return response


def _lookup(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        db.select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )


def _answer_lost(user_id: int, key: str) -> None:
    """The view stored its writes, then failed: a replay says "stored" at once (204)."""
    try:
        db.session.execute(
            db.update(IdempotencyKey)
            .where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
                   IdempotencyKey.status_code == IN_FLIGHT)
            .values(status_code=ANSWER_LOST)
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()


def _settled(user_id: int, key: str) -> IdempotencyKey | None:
    """The key a racing copy just stored, once its answer is known.

    While that copy's view is still answering, its key reads IN_FLIGHT for a few milliseconds:
    wait that out, briefly (if that process died, its writes are stored: IN_FLIGHT replays as 204).
    """
    for _ in range(SETTLE_TRIES):
        stored = _lookup(user_id, key)
        if stored is None or stored.status_code != IN_FLIGHT:
            return stored
        db.session.rollback()  # a fresh snapshot next time round
        time.sleep(SETTLE_PAUSE)
    return _lookup(user_id, key)


def _location(response: Response) -> str | None:
    """Where the first answer sent the browser: a redirect, or htmx's client-side one."""
    for header in ("Location", "HX-Location", "HX-Redirect"):
        value = response.headers.get(header)
        if value:
            if value.startswith("{"):
                value = json.loads(value).get("path", "")
            return value[:500] or None
    return None


def _replay(stored: IdempotencyKey, digest: str) -> Response:
    """The same key again: the stored result for the same content, 422 for different content."""
    if stored.request_hash != digest:
        return _conflict()
    if stored.location is None:
        response = Response(status=204)
    elif is_htmx():
        response = htmx_redirect(stored.location)
    else:
        response = redirect(stored.location, 303)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _conflict() -> tuple[str, int]:
    return render_template(
        "errors/error.html", code=422, title="Already saved with different answers",
        message="This was sent before with different answers, so it was not saved again. "
                "Open the page, check what is saved, and change it there if you need to.",
    ), 422


def _bad_key() -> tuple[str, int]:
    return render_template(
        "errors/error.html", code=400, title="That request didn't make sense",
        message="Its Idempotency-Key must be 8 to 100 letters, digits, '-' or '_'.",
    ), 400
