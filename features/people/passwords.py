"""Password rules and bcrypt hashing, compatible with streamlit-authenticator's Hasher (bcrypt $2b$)."""

from __future__ import annotations

import secrets
from functools import cache

import bcrypt

from rules.errors import Invalid

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; longer input raises in bcrypt 5


def validate_password(password: str) -> None:
    """Long passphrases welcome; refuse only what bcrypt cannot hold or what is too short to be safe."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise Invalid(f"The password must be at least {MIN_PASSWORD_CHARS} characters long.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise Invalid(
            f"The password is too long: at most {MAX_PASSWORD_BYTES} bytes "
            "(about 70 letters, fewer if it has accented letters or symbols)."
        )
    if password.strip() != password:
        raise Invalid("The password must not start or end with a space.")


def hash_password(password: str, *, rounds: int) -> str:
    validate_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True if the password matches. Never raises: too long a password, or a hash that is not bcrypt,
    is simply not a match (bcrypt 5 raises on both), so a sign-in form can never show a traceback."""
    data = password.encode("utf-8")
    if len(data) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(data, password_hash.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False


def dummy_hash(*, rounds: int) -> str:
    """A bcrypt hash of a random secret, at the cost new hashes get. Checking a password against it
    takes as long as checking a real one, so an unknown username costs the same time as a wrong password."""
    return _dummy_hash_at(rounds)


@cache
def _dummy_hash_at(rounds: int) -> str:
    return bcrypt.hashpw(secrets.token_urlsafe(32).encode("ascii"), bcrypt.gensalt(rounds)).decode("ascii")


def generate_password() -> str:
    """A random password that passes validate_password (for demo accounts when none is given)."""
    return secrets.token_urlsafe(15)
