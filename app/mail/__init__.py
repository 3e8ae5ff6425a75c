"""Email: SMTP from the environment, or one .eml file per message in instance/mail/.

Flask-Mailman sends; this module builds every message the same way: a plain-text part, an
HTML part, and for reminders the List-Unsubscribe headers of RFC 2369 and RFC 8058 (one-click).
Nothing here takes health data: callers pass only names, times and links.
"""
from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_mailman import EmailMultiAlternatives, Mail
from flask_mailman.backends.base import BaseEmailBackend

mail = Mail()
log = logging.getLogger("kneeready.mail")

ONE_CLICK = "List-Unsubscribe=One-Click"


class EmlEmailBackend(BaseEmailBackend):
    """Development without SMTP: each message becomes instance/mail/<time>-<id>.eml, logged once."""

    def send_messages(self, email_messages) -> int:
        folder = Path(current_app.config["MAIL_FILE_PATH"])
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            (folder / name).write_bytes(message.message().as_bytes())
            log.warning("Email to %s (%s) written to %s", ", ".join(message.recipients()),
                        message.subject, folder / name)
            sent += 1
        return sent


def configure(app: Flask) -> None:
    """SMTP when MAIL_SERVER is set; otherwise the .eml folder, so a fresh machine just works."""
    config = app.config
    config.setdefault("MAIL_FILE_PATH", str(Path(app.instance_path) / "mail"))
    if not config.get("MAIL_BACKEND"):
        config["MAIL_BACKEND"] = "smtp" if config.get("MAIL_SERVER") else "app.mail.EmlEmailBackend"
    mail.init_app(app)


def build(to: str, subject: str, template: str, unsubscribe_url: str | None = None,
          **context) -> EmailMultiAlternatives:
    """A message with text and HTML parts from templates/email/<template>.txt and .html."""
    text = render_template(f"email/{template}.txt", unsubscribe_url=unsubscribe_url, **context)
    html = render_template(f"email/{template}.html", subject=subject, unsubscribe_url=unsubscribe_url,
                           **context)
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = ONE_CLICK
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def send(message: EmailMultiAlternatives) -> None:
    """Send now; an SMTP failure raises, so the caller (a worker task) can retry it."""
    message.send(fail_silently=False)
