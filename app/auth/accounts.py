"""Account operations on the database; the views only parse and render."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.auth.passwords import hash_password, verify_password, waste_a_verification
from app.extensions import db
from app.models import User

ROLES = {"athlete": (True, False), "coach": (False, True), "both": (True, True)}


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def create_user(form) -> User | None:
    """Create the account from a valid sign-up form; None when the email is taken."""
    email = normalise_email(form.email.data)
    if find_by_email(email) is not None:
        return None
    is_athlete, is_coach = ROLES[form.role.data]
    user = User(email=email, display_name=form.display_name.data,
                password_hash=hash_password(form.password.data),
                is_athlete=is_athlete, is_coach=is_coach)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same email signed up at the same instant
        db.session.rollback()
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None:
        waste_a_verification()
        return None
    return user if verify_password(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password and a new session token, so every other session is signed out."""
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    user.rotate_session_token()
    db.session.commit()
    return True


def delete_user(user: User, password: str) -> bool:
    """Delete the user and, through the schema's cascades, every row of theirs."""
    if not verify_password(user.password_hash, password):
        return False
    db.session.delete(user)
    db.session.commit()
    return True
