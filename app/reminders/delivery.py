"""Turning a claimed reminder into an email (and, where set up, a push). No health data: the
words say what to do next, never how the knee was."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app import mail
from app.links import absolute_url

UNSUBSCRIBE_SALT = "kneeready-reminders-unsubscribe"


@dataclass(frozen=True)
class Wording:
    subject: str
    line: str
    button: str
    endpoint: str


WORDING = {
    "checkin": Wording("Time for your 20-second knee check-in",
                       "A quick check-in keeps today's warm-up and session right for you.",
                       "Check in now", "checkin.form"),
    "next_morning": Wording("Morning after: your 20-second knee check-in",
                            "You trained yesterday. This morning's check-in tells your plan how it went.",
                            "Check in now", "checkin.form"),
    "nudge": Wording("Pick up where you left off",
                     "A 20-second check-in is all it takes to get your plan going again.",
                     "Open KneeReady", "main.today"),
    # Sent without knowing today's knee: the Training page asks the safety gate what is offered,
    # so the reminder never promises a session (a red-flag day offers none).
    "training": Wording("Training day: see what your knee is ready for",
                        "Today is one of your training days. Check in, then see what today offers.",
                        "Open Training", "training.overview"),
}


class NoDevice(Exception):
    """Every push subscription of this person is gone: nothing to send to, nothing to retry."""


def channels(settings, has_device: bool = True) -> list[str]:
    """The channels a reminder goes on for these settings (push only to someone with a device)."""
    chosen = ["email"] if settings.email_on else []
    if settings.push_on and has_device:
        chosen.append("push")
    return chosen


def unsubscribe_token(user_id: int) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps(user_id)


def user_for_unsubscribe(token: str) -> int | None:
    try:
        value = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def email_for(claim):
    wording = WORDING[claim.message]
    return mail.build(
        claim.email, wording.subject, "reminder",
        unsubscribe_url=absolute_url("reminders.unsubscribe", token=unsubscribe_token(claim.user_id)),
        name=claim.name, wording=wording, link=absolute_url(wording.endpoint),
        settings_link=absolute_url("reminders.settings"),
    )


def send_all(claims) -> dict[int, Exception | None]:
    """Send every claim; the outcome per send id: None when it went, else the error."""
    outcomes: dict[int, Exception | None] = {}
    emails = [claim for claim in claims if claim.channel == "email"]
    if emails:
        _send_emails(emails, outcomes)
    pushes = [claim for claim in claims if claim.channel == "push"]
    if pushes:
        _send_pushes(pushes, outcomes)
    for claim in claims:
        outcomes.setdefault(claim.send_id, RuntimeError(f"no way to send by {claim.channel}"))
    return outcomes


def _send_emails(claims, outcomes) -> None:
    """One SMTP connection for the batch; a failure of one message fails only that one."""
    try:
        connection = mail.mail.get_connection(fail_silently=False)
        connection.open()
    except Exception as error:  # the server is down: every message waits for a retry
        for claim in claims:
            outcomes[claim.send_id] = error
        return
    try:
        for claim in claims:
            try:
                message = email_for(claim)
                message.connection = connection
                message.send(fail_silently=False)
                outcomes[claim.send_id] = None
            except Exception as error:
                outcomes[claim.send_id] = error
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide the outcomes
            pass


def _send_pushes(claims, outcomes) -> None:
    """Each claim to every device of its person. One live device is enough; a 404/410 removes
    that device's subscription and nothing else; any other failure is retried if none got it."""
    import requests

    from app.extensions import db
    from app.models import PushSubscription
    from app.reminders import push

    if not push.enabled():
        for claim in claims:
            outcomes[claim.send_id] = RuntimeError("Web Push is not configured (VAPID_PRIVATE_KEY)")
        return
    devices: dict[int, list] = {}
    for subscription in db.session.scalars(db.select(PushSubscription).where(
            PushSubscription.user_id.in_({claim.user_id for claim in claims}))):
        devices.setdefault(subscription.user_id, []).append(subscription)
    gone = []
    with requests.Session() as session:
        for claim in claims:
            wording = WORDING[claim.message]
            data = push.payload(wording.subject, wording.line, absolute_url(wording.endpoint), claim.kind)
            delivered, error = False, None
            for subscription in devices.get(claim.user_id, []):
                try:
                    push.send(subscription, data, session)
                    delivered = True
                except push.Gone:
                    gone.append(subscription.id)
                except Exception as failure:  # 5xx, 429, timeouts: retried later
                    error = failure
            outcomes[claim.send_id] = None if delivered else (error or NoDevice("no device is subscribed"))
    if gone:
        owners = [subscription.user_id for subscriptions in devices.values() for subscription in subscriptions
                  if subscription.id in gone]
        db.session.execute(db.delete(PushSubscription).where(PushSubscription.id.in_(gone))
                           .execution_options(board_athletes=owners))
        db.session.commit()
