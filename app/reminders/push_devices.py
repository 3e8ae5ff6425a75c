"""Storing and removing a person's push subscriptions (one per phone or browser)."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import PushSubscription
from app.reminders.push import Subscription


def save(user_id: int, subscription: Subscription, limit: int) -> bool:
    """Store (or refresh) this device's subscription for this person; False past the limit.

    An endpoint already stored for someone else moves to this person: it is the same browser,
    now signed in as them, and the other person must not get reminders on a phone they left."""
    existing = db.session.scalar(db.select(PushSubscription).where(PushSubscription.endpoint == subscription.endpoint))
    if existing is None:
        count = db.session.scalar(db.select(db.func.count()).where(PushSubscription.user_id == user_id))
        if count >= limit:
            return False
        existing = PushSubscription(endpoint=subscription.endpoint)
        db.session.add(existing)
    existing.user_id, existing.p256dh, existing.auth = user_id, subscription.p256dh, subscription.auth
    try:
        db.session.commit()
    except IntegrityError:  # the same endpoint sent twice at once: the other request stored it
        db.session.rollback()
    return True


def remove(user_id: int, endpoint: str) -> None:
    db.session.execute(db.delete(PushSubscription).where(PushSubscription.user_id == user_id,
                                                         PushSubscription.endpoint == endpoint)
                       .execution_options(board_athletes=[user_id]))
    db.session.commit()


def count(user_id: int) -> int:
    return db.session.scalar(db.select(db.func.count()).where(PushSubscription.user_id == user_id))
