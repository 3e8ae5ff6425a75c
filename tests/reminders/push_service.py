"""A local Web Push service for the tests: a small WSGI server on a free port.

It checks each push's VAPID JWT (ES256 under the key in `k=`, `aud`, `exp` within 24 h, `sub`)
and decrypts the aes128gcm body with http_ece and the keys the test's "browser" made. Each
endpoint answers what the test tells it (201 by default; 404/410/500 to drive cleanup and retry).
"""
from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from wsgiref.simple_server import WSGIRequestHandler, make_server

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """One subscribed device: its endpoint and the keys only it holds."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64(self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                              serialization.PublicFormat.UncompressedPoint))

    @property
    def keys(self) -> dict:
        return {"p256dh": self.p256dh, "auth": b64(self.auth)}


@dataclass
class Push:
    name: str
    claims: dict
    vapid_key: str
    ttl: str | None
    payload: dict


class PushService:
    def __init__(self):
        self.browsers: dict[str, Browser] = {}
        self.answers: dict[str, int] = {}
        self.received: list[Push] = []
        self.problems: list[str] = []
        self.server = make_server("127.0.0.1", 0, self.app, handler_class=_Quiet)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def browser(self, name: str, answer: int = 201) -> Browser:
        self.browsers[name] = Browser(f"{self.origin}/push/{name}")
        self.answers[name] = answer
        return self.browsers[name]

    def app(self, environ, start_response):
        name = environ["PATH_INFO"].rsplit("/", 1)[-1]
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        try:
            claims, key = self._check_vapid(environ.get("HTTP_AUTHORIZATION", ""))
            browser = self.browsers[name]
            clear = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth,
                                     version="aes128gcm")
            self.received.append(Push(name, claims, key, environ.get("HTTP_TTL"), json.loads(clear)))
        except Exception as error:  # a broken push is a test failure, reported by the test
            self.problems.append(f"{name}: {error!r}")
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"bad push"]
        status = self.answers.get(name, 201)
        start_response(f"{status} {'Created' if status == 201 else 'Answer'}", [("Content-Type", "text/plain")])
        return [b""]

    def _check_vapid(self, header: str) -> tuple[dict, str]:
        scheme, _, params = header.partition(" ")
        assert scheme == "vapid", f"Authorization scheme {scheme!r}"
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        token, key = fields["t"], fields["k"]
        signing_input, _, signature = token.rpartition(".")
        header_part, payload_part = signing_input.split(".")
        assert json.loads(unb64(header_part)) == {"typ": "JWT", "alg": "ES256"}
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
        raw = unb64(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
        claims = json.loads(unb64(payload_part))
        assert claims["aud"] == self.origin, claims
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600, claims
        return claims, key

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass
