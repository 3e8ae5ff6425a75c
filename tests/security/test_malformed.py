"""Bodies no browser sends: multipart parts without a name, garbled part headers."""
from __future__ import annotations

import pytest

from tests.security.attack import page_text

NAMELESS = "What you sent has a form field without a name."


def multipart(token: str, *parts: bytes) -> bytes:
    """A multipart body: the CSRF token, then the raw `parts` (headers and content)."""
    body = b'--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode() + b"\r\n"
    for part in parts:
        body += b"--B\r\n" + part + b"\r\n"
    return body + b"--B--\r\n"


NAMELESS_PARTS = [
    b"Content-Disposition: form-data\r\n\r\n<script>alert(1)</script>",
    b"Content-Disposition: attachment\r\n\r\n' OR 1=1 --",
]
# Each of these once answered a part without a name with a 500: the NUL guard (every form),
# the idempotency hash (a write with a key), and the warm-up's stray-skip check.
POSTS = [("ada", "/profile", {}), ("bo", "/checkin", {"Idempotency-Key": "abcdefgh-1234"}),
         ("bo", "/warmup/progress", {"HX-Request": "true"}), ("bo", "/warmup/finish", {}), (None, "/signin", {})]


@pytest.mark.parametrize("who, path, headers", POSTS)
@pytest.mark.parametrize("part", NAMELESS_PARTS)
def test_a_form_part_without_a_name_is_refused_at_the_door(attack, who, path, headers, part):
    attack.sign_in(who)
    body = multipart(attack.token, b'Content-Disposition: form-data; name="pain_now"\r\n\r\n3', part)
    response = attack.send(path, "POST", path, data=body, headers=headers,
                           content_type="multipart/form-data; boundary=B")
    assert response.status_code == 400
    assert NAMELESS in page_text(response)
    attack.assert_unchanged()


@pytest.mark.parametrize("header", [
    b'Content-Disposition: form-data; name="pain_now\r\n\r\n3',
    b'Content-Disposition: form-data; name="a"b"; name="c"\r\n\r\n3',
    b"Content-Disposition: form-data; name=\r\n\r\n3",
    b"Content-Type: text/plain\r\n\r\n3",
    b'Content-Disposition: form-data; filename="x.txt"\r\n\r\nhello',
    b'Content-Disposition: form-data; name="\xff\xfe"\r\n\r\n\xff',
])
def test_a_garbled_part_header_is_never_a_server_error(attack, header):
    attack.sign_in("bo")
    response = attack.send("/checkin", "POST", "/checkin", data=multipart(attack.token, header),
                           content_type="multipart/form-data; boundary=B")
    assert 400 <= response.status_code < 500
    attack.assert_unchanged()


NUL = "What you sent contains an invisible NUL character."


@pytest.mark.parametrize("method, path, pairs", [
    ("POST", "/checkin", [("pain_now", "2"), ("red_flags", "cannot_bear_weight"), ("red_flags", "a\x00b")]),
    ("POST", "/coach/athletes/{bo}/note", [("text", "Easy week."), ("text", "\x00")]),
    ("GET", "/checkin/history?days=7&days=%00", []),
])
def test_a_nul_byte_in_a_repeated_field_is_refused_like_any_other(attack, world, method, path, pairs):
    """The NUL guard once read only the first value of each field, so a second one slipped by."""
    attack.sign_in("coach" if "coach" in path else "bo")
    path = path.format(bo=world.users["bo"])
    response = attack.send(path.split("?")[0], method, path, pairs)
    assert response.status_code == 400
    assert NUL in page_text(response)
    attack.assert_unchanged()
