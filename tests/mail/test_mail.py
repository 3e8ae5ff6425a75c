"""Email through a real SMTP server, and the .eml files development writes without one."""
from __future__ import annotations

import logging

from app import mail
from tests.fixtures.mail import parts


def test_a_message_reaches_the_smtp_server_with_both_parts_and_one_click_unsubscribe(mail_app, inbox):
    with mail_app.test_request_context():
        message = mail.build("riley@example.com", "Time for your 20-second knee check-in", "reset",
                             unsubscribe_url="https://kneeready.example/u/abc",
                             name="Riley", link="https://kneeready.example/x", minutes=60)
        mail.send(message)

    [received] = inbox.messages
    assert received.recipients == ["riley@example.com"]
    assert received.message["To"] == "riley@example.com"
    assert received.message["Subject"] == "Time for your 20-second knee check-in"
    assert received.message["List-Unsubscribe"] == "<https://kneeready.example/u/abc>"
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    bodies = parts(received.message)
    assert "https://kneeready.example/x" in bodies["text/plain"]
    assert '<a href="https://kneeready.example/x"' in bodies["text/html"]


def test_a_message_without_a_list_has_no_unsubscribe_headers(mail_app, inbox):
    with mail_app.test_request_context():
        mail.send(mail.build("riley@example.com", "Reset", "reset", name="R", link="https://k.example/r",
                             minutes=60))
    [received] = inbox.messages
    assert received.message["List-Unsubscribe"] is None
    assert received.message["List-Unsubscribe-Post"] is None


def test_without_smtp_development_writes_an_eml_file_and_logs_one_line(_schema, tmp_path, caplog):
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": _schema,
                      "MAIL_BACKEND": None, "MAIL_SERVER": None, "MAIL_FILE_PATH": str(tmp_path / "mail")})
    assert app.config["MAIL_BACKEND"] == "app.mail.EmlEmailBackend"
    with app.test_request_context(), caplog.at_level(logging.WARNING, logger="kneeready.mail"):
        mail.send(mail.build("riley@example.com", "Reset your password", "reset", name="Riley",
                             link="https://k.example/r", minutes=60))
    [written] = list((tmp_path / "mail").glob("*.eml"))
    assert b"riley@example.com" in written.read_bytes()
    assert [record.getMessage() for record in caplog.records] == [
        f"Email to riley@example.com (Reset your password) written to {written}"]


def test_smtp_is_chosen_when_a_server_is_configured(_schema):
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": _schema,
                      "MAIL_BACKEND": None, "MAIL_SERVER": "smtp.example.com"})
    assert app.config["MAIL_BACKEND"] == "smtp"
