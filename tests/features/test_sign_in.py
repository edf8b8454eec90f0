"""Sign-in hardening (features/people/sign_in.py): the same work for unknown usernames and wrong passwords,
throttling that slows but never locks out for good, logging out that ends every session, password rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, update

from db.models import AuditEvent, SignInThrottle, User
from db.session import Database
from features.people.passwords import dummy_hash, validate_password, verify_password
from features.people.sign_in import (
    FIRST_WAIT,
    FREE_FAILURES,
    LONGEST_WAIT,
    MISSING_CREDENTIALS,
    PASSWORD_TOO_LONG,
    PASSWORD_TOO_SHORT,
    WRONG_CREDENTIALS,
    SignInResult,
    check_credentials,
    cookie_still_valid,
    end_all_sessions,
    finish_sign_in,
    idle_sign_out_message,
    idle_too_long,
    password_matches,
    start_sign_in,
    username_key,
    wait_after,
)
from operations.demo import SeedReport
from rules.errors import Invalid
from settings import SettingsError, current_settings
from tests.conftest import BCRYPT_ROUNDS, DEMO_PASSWORD

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
WRONG = "not-the-right-passphrase"


class CountingVerify:
    """verify_password, counting each bcrypt check and the hash it was made against."""

    def __init__(self) -> None:
        self.hashes: list[str] = []

    def __call__(self, password: str, password_hash: str) -> bool:
        self.hashes.append(password_hash)
        return verify_password(password, password_hash)


def attempt(db: Database, username: str, password: str, at: dt.datetime,
            verify: Callable[[str, str], bool] = verify_password) -> SignInResult:
    with db.unit_of_work() as session:
        return check_credentials(session, username, password, at, bcrypt_rounds=BCRYPT_ROUNDS, verify=verify)


def throttle_row(db: Database, typed: str) -> SignInThrottle | None:
    with db.unit_of_work(read_only=True) as session:
        row = session.get(SignInThrottle, username_key(typed))
        if row is not None:
            session.expunge(row)
        return row


def blocked_until(db: Database, typed: str) -> dt.datetime | None:
    row = throttle_row(db, typed)
    if row is None or row.blocked_until is None:
        return None
    value = row.blocked_until
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def fail_until_blocked(db: Database, username: str, at: dt.datetime) -> None:
    for _ in range(FREE_FAILURES):
        attempt(db, username, WRONG, at)


# --- The same work for every try -------------------------------------------------------------------------


def test_unknown_username_and_wrong_password_each_run_one_bcrypt_check(db: Database, demo: SeedReport) -> None:
    wrong, unknown = CountingVerify(), CountingVerify()
    with db.unit_of_work(read_only=True) as session:
        chair_hash = session.scalar(select(User.password_hash).where(User.username == "chair"))

    first = attempt(db, "chair", WRONG, NOW, verify=wrong)
    second = attempt(db, "nobody-by-this-name", WRONG, NOW, verify=unknown)

    assert wrong.hashes == [chair_hash]
    assert unknown.hashes == [dummy_hash(rounds=BCRYPT_ROUNDS)]  # the dummy has the same cost as the real hashes
    assert dummy_hash(rounds=BCRYPT_ROUNDS).split("$")[2] == str(chair_hash).split("$")[2]
    assert first.message == second.message == WRONG_CREDENTIALS
    assert not first.signed_in and not second.signed_in


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [("chair", "", MISSING_CREDENTIALS), ("", DEMO_PASSWORD, MISSING_CREDENTIALS),
     ("chair", "elevenchars", PASSWORD_TOO_SHORT), ("chair", "a" * 100, PASSWORD_TOO_LONG),
     ("chair", "é" * 40, PASSWORD_TOO_LONG)],
)
def test_tries_that_cannot_succeed_are_explained_still_cost_one_check_and_are_not_counted(
    db: Database, demo: SeedReport, username: str, password: str, message: str
) -> None:
    counting = CountingVerify()
    result = attempt(db, username, password, NOW, verify=counting)
    assert result.message == message
    assert counting.hashes == [dummy_hash(rounds=BCRYPT_ROUNDS)]
    assert throttle_row(db, username) is None


def test_a_switched_off_account_is_checked_like_an_unknown_one(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "observer").values(is_active=False))
    counting = CountingVerify()
    result = attempt(db, "observer", DEMO_PASSWORD, NOW, verify=counting)
    assert not result.signed_in and result.message == WRONG_CREDENTIALS
    assert counting.hashes == [dummy_hash(rounds=BCRYPT_ROUNDS)]


def test_the_right_password_signs_in_and_is_logged(db: Database, demo: SeedReport) -> None:
    result = attempt(db, "  Chair ", f" {DEMO_PASSWORD} ", NOW)  # as typed, spaces and capitals included
    assert result == SignInResult(True, NOW, username="chair")
    with db.unit_of_work(read_only=True) as session:
        chair = session.scalars(select(User).where(User.username == "chair")).one()
        assert chair.last_login_at is not None
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject == "account chair")).all()
    assert "signed in" in actions


def test_odd_input_never_fails_the_database(db: Database, demo: SeedReport) -> None:
    for typed in ("ch\x00air", "x" * 1000, "\u202echair", "chair'; DROP TABLE users; --"):
        result = attempt(db, typed, WRONG, NOW)
        assert result.message == WRONG_CREDENTIALS
    assert attempt(db, "chair", DEMO_PASSWORD, NOW).signed_in


def test_a_hash_that_is_not_bcrypt_is_a_wrong_password_not_an_error(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "member").values(password_hash="plain-text"))
    assert attempt(db, "member", DEMO_PASSWORD, NOW).message == WRONG_CREDENTIALS


# --- Throttling ------------------------------------------------------------------------------------------


def test_waits_start_at_the_fifth_failure_double_and_stop_at_fifteen_minutes() -> None:
    waits = [wait_after(n) for n in range(1, 12)]
    minutes = [None if w is None else w.total_seconds() / 60 for w in waits]
    assert minutes == [None, None, None, None, 1, 2, 4, 8, 15, 15, 15]
    assert wait_after(10_000) == LONGEST_WAIT


def test_five_failures_pause_tries_then_the_right_password_works(db: Database, demo: SeedReport) -> None:
    for _ in range(FREE_FAILURES - 1):
        assert attempt(db, "chair", WRONG, NOW).message == WRONG_CREDENTIALS
    assert attempt(db, "chair", WRONG, NOW).message == "Too many tries. Wait 1 minute and try again."

    during = attempt(db, "chair", DEMO_PASSWORD, NOW + dt.timedelta(seconds=30))
    assert not during.signed_in
    assert during.message == "Too many tries. Wait 1 minute and try again."

    after = attempt(db, "chair", DEMO_PASSWORD, NOW + FIRST_WAIT + dt.timedelta(seconds=1))
    assert after.signed_in
    assert throttle_row(db, "chair") is None  # a success clears the count


def test_unknown_usernames_are_throttled_with_the_same_words(db: Database, demo: SeedReport) -> None:
    fail_until_blocked(db, "chair", NOW)
    fail_until_blocked(db, "no-such-person", NOW)
    known = attempt(db, "chair", WRONG, NOW + dt.timedelta(seconds=5))
    unknown = attempt(db, "no-such-person", WRONG, NOW + dt.timedelta(seconds=5))
    assert known.message == unknown.message == "Too many tries. Wait 1 minute and try again."
    assert throttle_row(db, "no-such-person") is not None


def test_a_strangers_failures_never_block_for_longer_than_the_cap(db: Database, demo: SeedReport) -> None:
    moment = NOW
    for _ in range(30):  # a stranger who tries again the moment each pause ends
        attempt(db, "member", WRONG, moment)
        until = blocked_until(db, "member")
        if until is not None:
            assert until - moment <= LONGEST_WAIT
            moment = until
    assert blocked_until(db, "member") == moment

    # Tries during a pause do not lengthen it, however many.
    for seconds in range(0, 600, 20):
        attempt(db, "member", WRONG, moment - LONGEST_WAIT + dt.timedelta(seconds=seconds))
    assert blocked_until(db, "member") == moment

    # When the pause ends the member's own password works at once.
    assert attempt(db, "member", DEMO_PASSWORD, moment + dt.timedelta(seconds=1)).signed_in


def test_failures_an_hour_old_are_forgotten(db: Database, demo: SeedReport) -> None:
    for _ in range(FREE_FAILURES - 1):
        attempt(db, "lived", WRONG, NOW)
    later = NOW + dt.timedelta(hours=1, minutes=1)
    for _ in range(FREE_FAILURES - 1):
        assert attempt(db, "lived", WRONG, later).message == WRONG_CREDENTIALS
    row = throttle_row(db, "lived")
    assert row is not None and row.failures == FREE_FAILURES - 1


def test_old_rows_for_names_nobody_has_tried_lately_are_removed(db: Database, demo: SeedReport) -> None:
    attempt(db, "guess-one", WRONG, NOW)
    attempt(db, "guess-two", WRONG, NOW + dt.timedelta(hours=2))
    assert throttle_row(db, "guess-one") is None
    assert throttle_row(db, "guess-two") is not None


def test_a_pause_that_begins_while_a_password_is_checked_still_applies(db: Database, demo: SeedReport) -> None:
    """Guesses sent at the same moment from many windows gain nothing once one of them starts a pause."""
    with db.unit_of_work(read_only=True) as session:
        in_flight = start_sign_in(session, username="chair", password=DEMO_PASSWORD, now=NOW,
                                  bcrypt_rounds=BCRYPT_ROUNDS)
    assert password_matches(in_flight, DEMO_PASSWORD)
    fail_until_blocked(db, "chair", NOW)
    with db.unit_of_work() as session:
        result = finish_sign_in(session, in_flight, matched=True, now=NOW)
    assert not result.signed_in
    assert result.message == "Too many tries. Wait 1 minute and try again."


def test_failures_are_logged_against_the_account_and_unknown_names_nowhere(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work(read_only=True) as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    attempt(db, "nobody-at-all", WRONG, NOW)
    fail_until_blocked(db, "emlead", NOW)
    with db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before + FREE_FAILURES
        rows = session.execute(select(AuditEvent.actor_id, AuditEvent.description)
                               .where(AuditEvent.subject == "account emlead", AuditEvent.action == "sign-in failed")
                               .order_by(AuditEvent.id)).all()
    assert {actor_id for actor_id, _ in rows} == {None}  # the system's line about the account, not hers
    assert rows[-1].description.endswith("Further tries are paused for 1 minute.")
    assert WRONG not in " ".join(d for _, d in rows)


# --- Sessions --------------------------------------------------------------------------------------------


def test_logging_out_ends_every_earlier_session(db: Database, demo: SeedReport) -> None:
    issued = NOW - dt.timedelta(hours=2)
    with db.unit_of_work(read_only=True) as session:
        assert cookie_still_valid(session, "chair", issued)
        version = session.scalar(select(User.version_id).where(User.username == "chair"))
    with db.unit_of_work() as session:
        end_all_sessions(session, "chair", NOW)
    with db.unit_of_work(read_only=True) as session:
        assert not cookie_still_valid(session, "chair", issued)  # a cookie copied before the log-out
        assert not cookie_still_valid(session, "chair", NOW - dt.timedelta(microseconds=1))
        assert cookie_still_valid(session, "chair", NOW + dt.timedelta(seconds=1))  # signing in again
        assert cookie_still_valid(session, "vicechair", issued)  # nobody else is affected
        # Logging out is not an edit: the secretariat's open form about the chair is still current.
        assert session.scalar(select(User.version_id).where(User.username == "chair")) == version
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject == "account chair")).all()
    assert "signed out" in actions


def test_cookies_of_unknown_or_switched_off_accounts_are_refused(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "observer").values(is_active=False))
    with db.unit_of_work(read_only=True) as session:
        assert not cookie_still_valid(session, "observer", NOW)
        assert not cookie_still_valid(session, "nobody-at-all", NOW)


# --- Password rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "refused_with"),
    [("a" * 11, "at least 12 characters"), ("a" * 12, None),
     ("correct horse battery staple " * 3 + "x" * 13, "at most 72 bytes"),  # 100 ASCII characters
     ("the quick brown fox jumps over the lazy dog by the riverbank", None)],  # 60 characters
    ids=["11 characters", "12 characters", "100-character passphrase", "60-character passphrase"],
)
def test_password_rules_welcome_passphrases_up_to_bcrypts_limit(password: str, refused_with: str | None) -> None:
    if refused_with is None:
        validate_password(password)
    else:
        with pytest.raises(Invalid, match=refused_with):
            validate_password(password)


def test_the_passphrases_above_are_as_long_as_their_names_say() -> None:
    assert len("correct horse battery staple " * 3 + "x" * 13) == 100
    assert len("the quick brown fox jumps over the lazy dog by the riverbank") == 60


def test_signing_in_with_a_passphrase_over_72_bytes_says_so_without_an_error(db: Database, demo: SeedReport) -> None:
    result = attempt(db, "chair", "word " * 20, NOW)
    assert result.message == PASSWORD_TOO_LONG
    assert "72 bytes" in PASSWORD_TOO_LONG


# --- Inactivity ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "minutes"), [(None, 30), ("5", 5), ("1", 1), ("1440", 1440)])
def test_the_idle_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str | None,
                                                   minutes: int) -> None:
    if value is None:
        monkeypatch.delenv("LEDER_IDLE_MINUTES", raising=False)
    else:
        monkeypatch.setenv("LEDER_IDLE_MINUTES", value)
    assert current_settings().idle_limit == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("value", ["0", "ten", "100000"])
def test_an_idle_limit_out_of_range_is_refused_not_replaced(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """It used to fall back to 30 or clamp silently; an operator who typed 'ten' must hear about it."""
    monkeypatch.setenv("LEDER_IDLE_MINUTES", value)
    with pytest.raises(SettingsError, match=f"LEDER_IDLE_MINUTES must be a whole number .* it is '{value}'"):
        current_settings()


def test_a_session_unused_beyond_the_limit_ends() -> None:
    limit = dt.timedelta(minutes=30)
    assert not idle_too_long(NOW - dt.timedelta(minutes=30), NOW, limit)
    assert idle_too_long(NOW - dt.timedelta(minutes=30, seconds=1), NOW, limit)
    assert idle_sign_out_message(limit) == "You were signed out after 30 minutes without activity. Sign in again."
    assert idle_sign_out_message(dt.timedelta(minutes=1)).startswith("You were signed out after 1 minute without")
