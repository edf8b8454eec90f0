"""Sign-in by the ICB's identity provider (OpenID Connect through Streamlit's st.login): which panel account an
identity belongs to, and whether its sign-in may stand.

`account_for_identity` is the one mapping rule: the provider's email, trimmed and compared without regard to
case, must be the email of exactly one active account; roles then come from that account's user_roles, as for
a password sign-in. The same `cookie_still_valid` check as the local cookie's refuses an identity issued
before the person last logged out, so a copy of Streamlit's identity cookie is useless after "Log out".

The configuration check is here too, as plain Python over the [auth] section of secrets.toml, so that a
half-configured provider stops the app with a sentence rather than failing at the first sign-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import User
from features.audit.audit import record_security_event
from features.people.sign_in import SignInResult, cookie_still_valid, utc
from features.people.users import record_login
from rules.identity import (
    ENDED_MESSAGE,
    OrganisationIdentity,
    email_key,
    identity_refusal,
    session_start,
    shared_email_message,
    switched_off_message,
    unknown_email_message,
)

PROVIDER = "icb"  # st.login("icb") reads [auth.icb]; Streamlit allows no underscore in the name
MIN_SECRET_CHARS = 32
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
CALLBACK_PATH = "/oauth2callback"  # the only path Streamlit's callback route answers


@dataclass(frozen=True)
class AccountMatch:
    """The one active account with this email, or why there is none."""

    username: str | None
    user_id: int | None
    refusal: str | None
    about_account: str | None = None  # an account the refusal concerns (audited), if there is one


def find_account_by_email(session: Session, email: str) -> AccountMatch:
    """Exact match on users.email, trimmed and without regard to case. Switched-off accounts never match;
    two active accounts with the same email are refused rather than one chosen."""
    key = email_key(email)
    rows = session.execute(
        select(User.id, User.username, User.is_active).where(func.lower(func.trim(User.email)) == key)
        .order_by(User.id)
    ).all()
    active = [row for row in rows if row.is_active]
    if len(active) == 1:
        return AccountMatch(username=active[0].username, user_id=active[0].id, refusal=None)
    if len(active) > 1:
        return AccountMatch(None, None, shared_email_message(email), about_account=active[0].username)
    if rows:
        return AccountMatch(None, None, switched_off_message(email), about_account=rows[0].username)
    return AccountMatch(None, None, unknown_email_message(email))


def account_for_identity(session: Session, identity: OrganisationIdentity, now: dt.datetime) -> SignInResult:
    """Map a provider's identity to a panel account, or refuse it in words. A sign-in is logged as a password
    one is; a refusal that concerns an account (switched off, shared email, made before a log-out) is logged
    against it, and one that names no account writes nothing."""
    moment = utc(now)
    refusal = identity_refusal(identity, moment)
    if refusal is not None or identity.email is None or identity.issued_at is None:
        return SignInResult(False, moment, message=refusal)
    match = find_account_by_email(session, identity.email)
    if match.username is None:
        if match.about_account:
            record_security_event(session, action="sign-in failed", username=match.about_account, at=moment,
                   description=f"A sign-in with the organisation's account was refused: {match.refusal}")
        return SignInResult(False, moment, message=match.refusal)
    started = session_start(identity.issued_at)
    if not cookie_still_valid(session, match.username, started):
        record_security_event(session, action="sign-in failed", username=match.username, at=moment,
               description="A sign-in with the organisation's account was refused: it was made before the "
                           "account last logged out (a copied or old sign-in).")
        return SignInResult(False, moment, message=ENDED_MESSAGE)
    record_login(session=session, username=match.username, at=moment)
    record_security_event(session, action="signed in", username=match.username, at=moment, actor_id=match.user_id,
           description="Signed in with the organisation's account.")
    return SignInResult(True, started, username=match.username)


# --- Configuration ----------------------------------------------------------------------------------------


def provider_configured(auth_section: Mapping[str, object]) -> bool:
    """Whether secrets.toml asks for sign-in by the organisation: an [auth.icb] section is there."""
    return isinstance(auth_section.get(PROVIDER), Mapping)


def configuration_problem(auth_section: Mapping[str, object]) -> str | None:
    """What is missing or wrong in a configured [auth] / [auth.icb], in one sentence, or None."""
    if not provider_configured(auth_section):
        return None
    provider = auth_section[PROVIDER]
    assert isinstance(provider, Mapping)
    missing = [f"[auth] {key}" for key in ("redirect_uri", "cookie_secret") if not auth_section.get(key)]
    missing += [f"[auth.{PROVIDER}] {key}" for key in PROVIDER_KEYS if not provider.get(key)]
    if missing:
        return ("Sign-in with the organisation's account is set up in .streamlit/secrets.toml, but "
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing.")
    redirect, secret = str(auth_section["redirect_uri"]), str(auth_section["cookie_secret"])
    if not redirect.startswith(("https://", "http://")) or not redirect.endswith(CALLBACK_PATH):
        return (f"[auth] redirect_uri must be the app's own address ending in {CALLBACK_PATH}, such as "
                f"https://leder.example.nhs.uk{CALLBACK_PATH}; it is '{redirect[:80]}'.")
    if len(secret) < MIN_SECRET_CHARS:
        return f"[auth] cookie_secret must be a random string of {MIN_SECRET_CHARS} or more characters."
    if not str(provider["server_metadata_url"]).startswith("https://") and not _local(provider):
        return f"[auth.{PROVIDER}] server_metadata_url must be an https:// address."
    return None


def _local(provider: Mapping[str, object]) -> bool:
    """A provider on this machine (a test's mock) may use plain http; nothing else may."""
    url = str(provider["server_metadata_url"])
    return url.startswith(("http://127.0.0.1:", "http://localhost:"))
