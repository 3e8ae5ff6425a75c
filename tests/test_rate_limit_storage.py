"""With RATELIMIT_STORAGE_URI pointing at Redis, every host counts against the same limit.

Two app instances, each with its own connection to the same Redis, stand for two hosts. The
machines this project runs on (developers' and CI) have Redis at 127.0.0.1:6379; without it
the test is skipped with a reason, except in CI, where it fails.
"""
from __future__ import annotations

import os
import socket
import uuid

import pytest

from tests.conftest import CsrfClient, _test_config

REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        socket.create_connection(REDIS, timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    if not redis_answers():
        message = f"Redis is not answering at {REDIS[0]}:{REDIS[1]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return "redis://127.0.0.1:6379/15"


def failed_sign_ins_on_two_hosts(schema: str, storage: dict) -> list[int]:
    """Six wrong-password sign-ins on one host, then six on another; their statuses."""
    from app import create_app
    from app.extensions import db, limiter

    config = {**_test_config(schema), "RATELIMIT_ENABLED": True, **storage}
    wrong = {"email": "runner@example.com", "password": "not the password"}
    statuses = []
    try:
        for _host in range(2):  # a fresh app (and storage connection) each time: another host
            host = create_app(config)
            host.test_client_class = CsrfClient
            client = host.test_client()
            statuses += [client.post("/signin", data=wrong).status_code for _ in range(6)]
            with host.app_context():
                db.engine.dispose()
    finally:
        limiter.reset()
        create_app(_test_config(schema))  # the shared limiter back to memory and off
    return statuses


def test_sign_in_attempts_on_two_hosts_share_one_limit(make_user, _schema, redis_url):
    make_user()
    statuses = failed_sign_ins_on_two_hosts(_schema, {
        "RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": f"kneeready-test-{uuid.uuid4().hex}"})
    assert statuses == [422] * 10 + [429] * 2  # 10 per minute, counted across both hosts


def test_memory_storage_is_per_process(make_user, _schema):
    """The default: each process counts on its own (why several hosts need Redis)."""
    make_user()
    assert failed_sign_ins_on_two_hosts(_schema, {"RATELIMIT_STORAGE_URI": "memory://"}) == [422] * 12
