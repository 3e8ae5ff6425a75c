"""A real SMTP server (aiosmtpd) on a free local port, and an app that sends through it."""
from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """What the SMTP server was handed, message by message."""

    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def smtp_config(smtp_server):
    controller, _ = smtp_server
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
            "MAIL_USE_TLS": False, "MAIL_USE_SSL": False, "MAIL_TIMEOUT": 5,
            "PUBLIC_URL": "https://kneeready.example"}


@pytest.fixture
def inbox(smtp_server) -> Inbox:
    return smtp_server[1]


@pytest.fixture
def mail_app(app, smtp_config):
    """The test app, sending its mail to the local SMTP server."""
    from app import mail

    app.config.update(smtp_config)
    mail.mail.init_app(app)
    return app


def parts(message: EmailMessage) -> dict[str, str]:
    """The text/plain and text/html bodies of a message."""
    return {part.get_content_type(): part.get_content() for part in message.walk()
            if part.get_content_type() in ("text/plain", "text/html")}
