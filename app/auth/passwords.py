"""Password hashing (argon2id) and the rules a new password must meet."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 128
_hasher = PasswordHasher()
_COMMON_FILE = Path(__file__).resolve().parent.parent / "content" / "common_passwords.txt"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def waste_a_verification() -> None:
    """Spend the time a real check would, so a wrong email is not faster than a wrong password."""
    verify_password(_dummy_hash(), "not the password")


@cache
def _dummy_hash() -> str:
    return _hasher.hash("kneeready-dummy-password")


@cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str = "", display_name: str = "") -> str | None:
    """Why this password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        return "That password is too common — pick something harder to guess."
    personal = {email.lower(), email.lower().split("@")[0], display_name.lower()} - {""}
    if lowered in personal:
        return "Don't use your email or name as your password."
    return None
