"""Sign-in rules around streamlit-authenticator: what its own login leaves open, decided here without Streamlit.

- One bcrypt check for every try, against a dummy hash when the username is unknown or switched off, so the
  time taken does not say which usernames exist (the library checks nothing for an unknown name).
- Throttling by the username typed, known or not: after a few failures each further try waits a little
  longer, never more than LONGEST_WAIT and never for good, so a stranger cannot lock a member out.
- A session epoch per person: logging out ends every session, so a sign-in cookie copied earlier no longer
  signs in (the library's cookie stays valid until it expires, whatever happens on the server).
- Inactivity: how long a session may sit unused, from LEDER_IDLE_MINUTES.

A sign-in is three steps so that bcrypt never runs inside a write transaction (on SQLite that would hold the
database's only write lock for a quarter of a second per try): `start_sign_in` reads, `password_matches`
checks, `finish_sign_in` writes. `check_credentials` runs all three in one session.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import SignInThrottle, User
from features.audit.audit import record_security_event
from features.people.passwords import MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, dummy_hash, verify_password
from features.people.users import USERNAME_PATTERN, record_login

FREE_FAILURES = 5  # a few slips are normal; the waiting starts at the fifth failure in a row
FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(minutes=15)
FORGET_FAILURES_AFTER = dt.timedelta(hours=1)
MAX_KEY_CHARS = 254  # SignInThrottle.username_key


WRONG_CREDENTIALS = (
    "The username or password is not right. Check them and try again, "
    "or ask the secretariat to reset your password."
)
MISSING_CREDENTIALS = "Enter your username and your password."
PASSWORD_TOO_SHORT = (
    f"That password is too short: every password here has at least {MIN_PASSWORD_CHARS} characters. "
    "Check it and try again."
)
PASSWORD_TOO_LONG = (
    f"That password is too long: passwords here are at most {MAX_PASSWORD_BYTES} bytes "
    "(about 70 letters, fewer with accented letters or symbols). Check it and try again."
)
_PLACEHOLDER = "placeholder-for-a-refused-try"  # checked against the dummy hash when a try is refused early

Verify = Callable[[str, str], bool]


@dataclass(frozen=True)
class SignInAttempt:
    """What `start_sign_in` found: whose hash to check, and whether the try is refused whatever the password."""

    key: str
    user_id: int | None  # None: no active account has this username
    username: str | None
    password_hash: str
    refusal: str | None = None  # decided before the password is checked; a refused try is not counted


@dataclass(frozen=True)
class SignInResult:
    signed_in: bool
    at: dt.datetime
    username: str | None = None
    message: str | None = None


def utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC. SQLite gives back naive values, which were written as UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def username_key(typed: str) -> str:
    """The throttle's key for what was typed: trimmed, lower case (as accounts are), printable characters
    only and cut to the column's length, so odd input can neither fail the database nor dodge the count."""
    cleaned = "".join(ch for ch in typed.strip().lower() if ch.isprintable())
    return cleaned[:MAX_KEY_CHARS]


# --- Throttling -------------------------------------------------------------------------------------------


def wait_after(failures: int) -> dt.timedelta | None:
    """How long to wait after this many failures in a row: nothing for the first few, then FIRST_WAIT,
    doubling with each further failure, never more than LONGEST_WAIT, so a lock-out is never for good."""
    if failures < FREE_FAILURES:
        return None
    doublings = min(failures - FREE_FAILURES, 16)
    return min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)


def blocked_until(row: SignInThrottle | None, now: dt.datetime) -> dt.datetime | None:
    """When tries for this username may start again, or None if they may now."""
    if row is None or row.blocked_until is None:
        return None
    until = utc(row.blocked_until)
    return until if until > now else None


def failures_forgotten(row: SignInThrottle, now: dt.datetime) -> bool:
    """Failures an hour old no longer count: a member who mistyped last week starts afresh today."""
    return row.last_failed_at is None or now - utc(row.last_failed_at) >= FORGET_FAILURES_AFTER


def minutes_phrase(minutes: int) -> str:
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def minutes_left(until: dt.datetime, now: dt.datetime) -> str:
    """'3 minutes', rounded up: someone told "1 minute" who tries after 59 seconds would be refused again."""
    return minutes_phrase(max(1, math.ceil((until - now).total_seconds() / 60)))


def wait_message(until: dt.datetime, now: dt.datetime) -> str:
    """The same words whether or not the username exists, so the message gives nothing away."""
    return f"Too many tries. Wait {minutes_left(until, now)} and try again."


def _throttle_row(session: Session, key: str) -> SignInThrottle | None:
    """The row for this key, locked until commit (PostgreSQL; SQLite's write lock already serialises)."""
    return session.get(SignInThrottle, key, with_for_update=True, populate_existing=True)


def _throttle_row_for_update(session: Session, key: str) -> SignInThrottle:
    """The row for this key, made if missing; two failures at the same moment both count, never clash."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(SignInThrottle).values(username_key=key, failures=0).on_conflict_do_nothing())
    row = _throttle_row(session, key)
    assert row is not None  # just made, and locked
    return row


def _forget_old_failures(session: Session, now: dt.datetime) -> None:
    """Rows for names typed long ago go, so guessing many names does not fill the table for ever."""
    session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.last_failed_at < now - FORGET_FAILURES_AFTER,
            or_(SignInThrottle.blocked_until.is_(None), SignInThrottle.blocked_until < now),
        )
    )


def record_failure(session: Session, key: str, now: dt.datetime) -> dt.datetime | None:
    """Count one failed try for this username (known or not); returns when tries may start again, if paused."""
    _forget_old_failures(session, now)
    row = _throttle_row_for_update(session, key)
    row.failures = 1 if failures_forgotten(row, now) else row.failures + 1
    row.last_failed_at = now
    wait = wait_after(row.failures)
    row.blocked_until = now + wait if wait else None
    session.flush()
    return row.blocked_until


def clear_failures(session: Session, key: str) -> None:
    """A right password ends the count: the next slip starts from nothing."""
    session.execute(delete(SignInThrottle).where(SignInThrottle.username_key == key))


# --- Signing in -------------------------------------------------------------------------------------------


def _active_account(session: Session, key: str) -> tuple[int, str, str] | None:
    """(id, username, password hash) of the active account with this username, if any."""
    if not USERNAME_PATTERN.fullmatch(key):
        return None  # cannot be a username: no need to ask the database
    row = session.execute(
        select(User.id, User.username, User.password_hash).where(User.username == key, User.is_active.is_(True))
    ).one_or_none()
    return (row.id, row.username, row.password_hash) if row else None


def _early_refusal(typed_username: str, password: str) -> str | None:
    """The message for a try that cannot succeed, whoever it is for, else None. Such tries are not
    counted: no password here is empty, shorter than 12 characters or longer than 72 bytes, so they are not
    guesses at anyone's password."""
    if not typed_username.strip() or not password:
        return MISSING_CREDENTIALS
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return PASSWORD_TOO_LONG
    if len(password) < MIN_PASSWORD_CHARS:
        return PASSWORD_TOO_SHORT
    return None


def clean_typed_password(password: str) -> str:
    """Spaces around the password are dropped, as the library did: no password may start or end with one."""
    return password.strip()


def start_sign_in(session: Session, *, username: str, password: str, now: dt.datetime,
                  bcrypt_rounds: int) -> SignInAttempt:
    """Read what the check needs. An unknown or switched-off username gets the dummy hash, so the same
    work is done for it as for a real account."""
    key = username_key(username)
    # Made on the first try of the process, whoever it is for, so that try says nothing.
    dummy = dummy_hash(rounds=bcrypt_rounds)
    account = _active_account(session, key)
    user_id, known_username, password_hash = account if account else (None, None, dummy)
    until = blocked_until(session.get(SignInThrottle, key), utc(now))
    refusal = wait_message(until, utc(now)) if until else _early_refusal(username, clean_typed_password(password))
    return SignInAttempt(key=key, user_id=user_id, username=known_username,
                         password_hash=dummy if refusal else password_hash, refusal=refusal)


def password_matches(attempt: SignInAttempt, password: str, *, verify: Verify = verify_password) -> bool:
    """Exactly one bcrypt check for every try, refused or not, known username or not. Only a real
    account's hash with no refusal can match."""
    typed = _PLACEHOLDER if attempt.refusal else clean_typed_password(password)
    matched = verify(typed, attempt.password_hash)
    return matched and attempt.user_id is not None and attempt.refusal is None


def finish_sign_in(session: Session, attempt: SignInAttempt, *, matched: bool, now: dt.datetime) -> SignInResult:
    """Write the outcome: a success clears the count and is logged; a failure is counted (and logged
    against the account when there is one). A pause that began while the password was being checked (a
    try made at the same moment) still applies, so parallel guesses gain nothing."""
    moment = utc(now)
    if attempt.refusal is not None:
        return SignInResult(False, moment, message=attempt.refusal)
    until = blocked_until(_throttle_row(session, attempt.key), moment)
    if until is not None:
        return SignInResult(False, moment, message=wait_message(until, moment))
    if matched and attempt.username is not None:
        clear_failures(session, attempt.key)
        record_login(session=session, username=attempt.username, at=moment)
        _audit(session, action="signed in", username=attempt.username, at=moment, actor_id=attempt.user_id,
               description="Signed in with a password.")
        return SignInResult(True, moment, username=attempt.username)
    until = record_failure(session, attempt.key, moment)
    paused = f" Further tries are paused for {minutes_left(until, moment)}." if until else ""
    _audit(session, action="sign-in failed", username=attempt.key, at=moment,
           description=f"A sign-in to this account failed: the password was not right.{paused}")
    return SignInResult(False, moment, message=wait_message(until, moment) if until else WRONG_CREDENTIALS)


def check_credentials(session: Session, username: str, password: str, now: dt.datetime, *, bcrypt_rounds: int,
                      verify: Verify = verify_password) -> SignInResult:
    """The whole sign-in in one session (tests and scripts). The app runs the three steps itself so that
    bcrypt runs outside the write transaction."""
    attempt = start_sign_in(session, username=username, password=password, now=now, bcrypt_rounds=bcrypt_rounds)
    matched = password_matches(attempt, password, verify=verify)
    return finish_sign_in(session, attempt, matched=matched, now=now)


# --- Sessions ---------------------------------------------------------------------------------------------


def end_all_sessions(session: Session, username: str, now: dt.datetime) -> None:
    """Logging out ends every session of this person: cookies issued before now are refused from now on.

    A plain UPDATE, so the account's version does not move: logging out is not an edit of the person's
    details, and must not make the secretariat's open form about them look out of date.
    """
    key = username_key(username)
    user_id = session.scalar(select(User.id).where(User.username == key))
    if user_id is None:
        return
    session.execute(update(User).where(User.id == user_id).values(sessions_valid_after=utc(now)))
    _audit(session, action="signed out", username=key, at=utc(now), actor_id=user_id,
           description="Logged out. Every session of this account was ended, on every device.")


def cookie_still_valid(session: Session, username: str, issued_at: dt.datetime) -> bool:
    """False for an unknown or switched-off account, or a cookie (or session) begun before the person last
    logged out. Checked on every run, so logging out elsewhere ends this session too."""
    row = session.execute(
        select(User.is_active, User.sessions_valid_after).where(User.username == username_key(username))
    ).one_or_none()
    if row is None or not row.is_active:
        return False
    return row.sessions_valid_after is None or utc(issued_at) >= utc(row.sessions_valid_after)


def record_idle_sign_out(session: Session, username: str, limit: dt.timedelta, now: dt.datetime) -> None:
    """A line in the audit log, so the secretariat can tell an idle sign-out from a deliberate one."""
    _audit(session, action="signed out", username=username_key(username), at=utc(now),
           description=f"Signed out after {describe_minutes(limit)} without activity.")


# --- Inactivity -------------------------------------------------------------------------------------------


def idle_too_long(last_activity: dt.datetime, now: dt.datetime, limit: dt.timedelta) -> bool:
    """A session unused for longer than the limit ends, in case the computer was left signed in."""
    return utc(now) - utc(last_activity) > limit


def describe_minutes(limit: dt.timedelta) -> str:
    return minutes_phrase(max(1, round(limit.total_seconds() / 60)))


def idle_sign_out_message(limit: dt.timedelta) -> str:
    return f"You were signed out after {describe_minutes(limit)} without activity. Sign in again."


ENDED_ELSEWHERE_MESSAGE = "You were signed out because this account logged out in another window. Sign in again."


# --- Audit ------------------------------------------------------------------------------------------------


def _audit(session: Session, *, action: str, username: str, description: str, at: dt.datetime,
           actor_id: int | None = None) -> None:
    """Sign-ins, failures and sign-outs go to the audit log. A username that matches no account writes
    nothing (the log belongs to panels; what was typed may be someone's mistyped password)."""
    record_security_event(session, action=action, username=username, description=description, at=at,
                          actor_id=actor_id)
