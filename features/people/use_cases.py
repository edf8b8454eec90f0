"""What sign-in, the people page and reading settings ask, one function per intent. Each opens and commits
its own unit of work (rolled back if anything raises), so no page or component holds a session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from db.session import Database
from features.people.actors import load_actor
from features.people.organisation_sign_in import account_for_identity
from features.people.preferences import ReadingPreferences, reading_preferences, save_reading_preferences
from features.people.sign_in import (
    SignInResult,
    cookie_still_valid,
    end_all_sessions,
    finish_sign_in,
    password_matches,
    record_idle_sign_out,
    start_sign_in,
)
from features.people.users import UserRow, create_user, credentials_for_authenticator, credentials_stamp, list_users
from features.people.users import set_roles as _set_roles
from rules.actors import Actor
from rules.errors import NotFound
from rules.identity import identity_from_claims
from rules.vocabulary import Role

Credentials = dict[str, dict[str, object]]


@dataclass(frozen=True)
class SignedIn:
    """Who a signed-in session belongs to, and whether it began after the person last logged out."""

    actor: Actor | None  # None: the account is gone or switched off
    current: bool


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def credentials_if_changed(db: Database, *, known_stamp: tuple[object, ...] | None
                           ) -> tuple[tuple[object, ...], Credentials | None]:
    """The users' fingerprint, and the credentials for the sign-in form only when it differs from the one
    known: one small query on most runs, the full list only after a change."""
    with db.unit_of_work(read_only=True) as session:
        stamp = credentials_stamp(session=session)
        if stamp == known_stamp:
            return stamp, None
        return stamp, credentials_for_authenticator(session=session)["usernames"]


def check_password(db: Database, *, username: str, password: str, bcrypt_rounds: int) -> SignInResult:
    """Read, check, write: bcrypt runs between two units of work, never inside the write transaction."""
    with db.unit_of_work(read_only=True) as session:
        attempt = start_sign_in(session, username=username, password=password, now=now_utc(),
                                bcrypt_rounds=bcrypt_rounds)
    matched = password_matches(attempt, password)
    with db.unit_of_work() as session:
        return finish_sign_in(session, attempt, matched=matched, now=now_utc())


def sign_in_with_organisation(db: Database, *, claims: Mapping[str, object]) -> SignInResult:
    """The provider's claims (st.user) mapped to a panel account, or refused in words; written and audited."""
    with db.unit_of_work() as session:
        return account_for_identity(session, identity_from_claims(claims), now_utc())


def cookie_valid(db: Database, *, username: str, issued_at: dt.datetime) -> bool:
    with db.unit_of_work(read_only=True) as session:
        return cookie_still_valid(session, username, issued_at)


def signed_in_person(db: Database, *, username: str, session_started: dt.datetime | None) -> SignedIn:
    with db.unit_of_work(read_only=True) as session:
        try:
            actor = load_actor(session=session, username=username)
        except NotFound:
            return SignedIn(actor=None, current=False)
        current = session_started is not None and cookie_still_valid(session, username, session_started)
        return SignedIn(actor=actor, current=current)


def sign_out_idle(db: Database, *, username: str, limit: dt.timedelta) -> None:
    with db.unit_of_work() as session:
        record_idle_sign_out(session, username, limit, now_utc())


def log_out_everywhere(db: Database, *, username: str) -> None:
    """From now on no cookie made before this moment signs in, on any device."""
    with db.unit_of_work() as session:
        end_all_sessions(session, username, now_utc())


def people_on_panel(db: Database, *, actor: Actor) -> list[UserRow]:
    with db.unit_of_work(read_only=True) as session:
        return list_users(session=session, actor=actor)


def add_person(db: Database, *, actor: Actor, username: str, name: str, email: str, roles: Iterable[Role],
               password: str, bcrypt_rounds: int) -> UserRow:
    with db.unit_of_work() as session:
        return create_user(session=session, actor=actor, username=username, name=name, email=email, roles=roles,
                           password=password, bcrypt_rounds=bcrypt_rounds)


def set_roles(db: Database, *, actor: Actor, person: UserRow, roles: Iterable[Role]) -> UserRow:
    with db.unit_of_work() as session:
        return _set_roles(session=session, actor=actor, user_id=person.id, roles=roles,
                          expected_version=person.version_id)


def my_reading_settings(db: Database, *, actor: Actor) -> ReadingPreferences:
    with db.unit_of_work(read_only=True) as session:
        return reading_preferences(session=session, actor=actor)


def save_reading_settings(db: Database, *, actor: Actor, preferences: ReadingPreferences) -> None:
    with db.unit_of_work() as session:
        save_reading_preferences(session=session, actor=actor, preferences=preferences)
