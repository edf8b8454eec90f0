"""What an organisation's identity provider tells us about the person, and when we refuse it before any
account is looked up. Plain Python: the claims arrive as a mapping (Streamlit's st.user), the clock is passed in.

An account is matched by email alone, so the email must be one the provider vouches for: a claim
`email_verified` that is present and not true refuses the sign-in. The issue time (`iat`, which every
OpenID Connect ID token carries) is what a log-out is checked against, as the local cookie's issue time is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from rules.limits import MAX_EMAIL_CHARS

# As long as a local sign-in cookie lasts (components/auth.py COOKIE_EXPIRY_DAYS), rather than the 30 days
# Streamlit's own identity cookie is kept for.
LONGEST_IDENTITY_AGE = dt.timedelta(days=1)
# A provider whose clock runs a little ahead is not refused for it; more than this is not a real sign-in.
CLOCK_AHEAD_ALLOWED = dt.timedelta(minutes=5)

NO_EMAIL = ("Your organisation's account did not tell the panel app your email address, so it cannot "
            "find your panel account. Ask the secretariat.")
EMAIL_NOT_VERIFIED = ("Your organisation has not confirmed the email address {email}, so it cannot be used to "
                      "sign in to the panel. Ask the secretariat.")
NO_ISSUE_TIME = ("Your organisation's sign-in did not say when it was made, so the panel app cannot use it. "
                 "Sign in again, or ask the secretariat.")
# JSON Web Tokens write times in whole seconds; a log-out is stored to the microsecond.
WHOLE_SECOND = dt.timedelta(seconds=1) - dt.timedelta(microseconds=1)
TOO_OLD = "Your sign-in with your organisation's account has expired. Sign in again."


@dataclass(frozen=True)
class OrganisationIdentity:
    """The claims the app uses, checked for type; anything missing or malformed is None."""

    email: str | None
    email_verified: bool | None  # None: the provider did not say
    issued_at: dt.datetime | None
    subject: str | None


def email_key(email: str) -> str:
    """Emails are compared trimmed and in lower case: providers and the secretariat write them differently."""
    return email.strip().lower()


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = value.strip()
    return cleaned if cleaned and len(cleaned) <= MAX_EMAIL_CHARS else None


def _verified(value: object) -> bool | None:
    """True or False as sent; some providers send the strings "true" and "false"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return None if value is None else False  # anything else is not a confirmation


def _moment(value: object) -> dt.datetime | None:
    """A NumericDate (seconds since 1970, UTC), as JSON Web Tokens write times."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def identity_from_claims(claims: Mapping[str, object]) -> OrganisationIdentity:
    """The identity in a provider's claims (st.user), whatever else they hold."""
    verified = _verified(claims["email_verified"]) if "email_verified" in claims else None
    return OrganisationIdentity(email=_text(claims.get("email")), email_verified=verified,
                                issued_at=_moment(claims.get("iat")), subject=_text(claims.get("sub")))


def identity_refusal(identity: OrganisationIdentity, now: dt.datetime) -> str | None:
    """Why this identity cannot sign anyone in, whoever it names, or None if an account may be looked up."""
    if identity.email is None:
        return NO_EMAIL
    if identity.email_verified is False:
        return EMAIL_NOT_VERIFIED.format(email=identity.email)
    if identity.issued_at is None or identity.issued_at > now + CLOCK_AHEAD_ALLOWED:
        return NO_ISSUE_TIME
    if now - identity.issued_at > LONGEST_IDENTITY_AGE:
        return TOO_OLD
    return None


def session_start(issued_at: dt.datetime) -> dt.datetime:
    """When a session begun with this identity counts as begun, for the log-out check: the end of the second
    the provider wrote, so signing in again in the same second as logging out is not refused. (A copy made in
    the fraction of a second before a log-out would pass; anything earlier fails.)"""
    return issued_at + WHOLE_SECOND


def unknown_email_message(email: str) -> str:
    return f"No panel account uses the email {email}. Ask the secretariat to add you."


def switched_off_message(email: str) -> str:
    return (f"The panel account that uses the email {email} is switched off. "
            "Ask the secretariat if you should still have one.")


def shared_email_message(email: str) -> str:
    return (f"More than one panel account uses the email {email}, so the panel app cannot tell which is yours. "
            "Ask the secretariat to give each account its own email, or sign in with your username and password.")


ENDED_MESSAGE = ("This sign-in with your organisation's account has ended: the account logged out after it was "
                 "made. Sign in again.")
