"""Sign-in hardening through AppTest on app.py: the same words for unknown usernames and wrong passwords, a
cookie copied before "Log out" no longer signs in, throttling, and sign-out after inactivity.

A browser sends the sign-in cookie with the request that opens the session, and the library reads it from
st.context.cookies. AppTest has no browser, so `browser_cookie` hands app.py a cookie the same way: it
stands in for the session's client, which is where Streamlit looks the cookies up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import types
from collections.abc import Iterator

import jwt
import pytest
from sqlalchemy import select
from streamlit.runtime import context as streamlit_context
from streamlit.testing.v1 import AppTest
from streamlit_authenticator.models.cookie_model import CookieModel

from components.auth import COOKIE_EXPIRY_DAYS, COOKIE_NAME, LAST_ACTIVITY, cookie_issued_at
from db.models import AuditEvent, User
from db.session import Database
from features.people.sign_in import ENDED_ELSEWHERE_MESSAGE, PASSWORD_TOO_LONG, WRONG_CREDENTIALS
from tests.app.conftest import COOKIE_KEY, errors, fresh_app, sign_in, titles
from tests.conftest import DEMO_PASSWORD

SIGN_IN_TITLE = "LeDeR governance panel"


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def library_cookie(username: str, issued: dt.datetime | None = None) -> str:
    """The cookie streamlit-authenticator 0.4.2 makes (CookieModel._token_encode): a JWT of the username
    and an expiry COOKIE_EXPIRY_DAYS after it was made, signed with the cookie key."""
    made = issued or dt.datetime.now(dt.UTC)
    exp_date = (made + dt.timedelta(days=COOKIE_EXPIRY_DAYS)).timestamp()
    return jwt.encode({"username": username, "exp_date": exp_date}, COOKIE_KEY, algorithm="HS256")


@contextlib.contextmanager
def browser_cookie(monkeypatch: pytest.MonkeyPatch, token: str) -> Iterator[None]:
    """Runs inside this block see the cookie as st.context.cookies, as if a browser had sent it."""
    client = types.SimpleNamespace(cookies={COOKIE_NAME: token}, headers=[], remote_ip=None)
    with monkeypatch.context() as patch:
        patch.setattr(streamlit_context, "_get_client_context", lambda: client)
        yield


def log_out(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Log out").click()
    at.run()
    at.run()  # the cookie component's own rerun in a browser


def test_the_cookie_made_here_is_the_one_the_library_reads() -> None:
    token = library_cookie("member")
    model = CookieModel.__new__(CookieModel)
    model.token, model.cookie_key = token, COOKIE_KEY
    decoded = model._token_decode()
    assert decoded["username"] == "member"
    issued = cookie_issued_at(decoded)
    assert issued is not None and abs(issued - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


def test_unknown_username_gets_the_same_words_as_a_wrong_password(app_env: str) -> None:
    wrong = sign_in("chair", "not-the-password-at-all")
    unknown = sign_in("no-such-member", "not-the-password-at-all")
    assert not wrong.exception and not unknown.exception
    assert errors(wrong) == errors(unknown) == [WRONG_CREDENTIALS]
    assert titles(unknown) == [SIGN_IN_TITLE]


def test_a_passphrase_over_72_bytes_is_explained_not_an_error(app_env: str) -> None:
    at = sign_in("chair", "a much longer passphrase than bcrypt can hold " * 3)
    assert not at.exception
    assert errors(at) == [PASSWORD_TOO_LONG]


def test_repeated_failures_ask_the_person_to_wait(app_env: str) -> None:
    for _ in range(4):
        assert errors(sign_in("reviewer", "not-the-password-at-all")) == [WRONG_CREDENTIALS]
    at = sign_in("reviewer", "not-the-password-at-all")
    assert errors(at) == ["Too many tries. Wait 1 minute and try again."]
    assert errors(sign_in("reviewer")) == ["Too many tries. Wait 1 minute and try again."]  # even the right one


def test_a_cookie_copied_before_log_out_no_longer_signs_in(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    copied = library_cookie("member")
    with browser_cookie(monkeypatch, copied):
        elsewhere = fresh_app().run()  # someone else's browser, holding a copy of member's cookie
    assert titles(elsewhere) == ["Welcome, Grace Mensah"]  # the copy works while member is signed in

    at = sign_in("member")
    log_out(at)
    assert titles(at) == [SIGN_IN_TITLE]

    with browser_cookie(monkeypatch, copied):
        reopened = fresh_app().run()
        assert not reopened.exception
        assert titles(reopened) == [SIGN_IN_TITLE]
        elsewhere.run()  # the session opened with the copy ends on its next run
    assert titles(elsewhere) == [SIGN_IN_TITLE]
    assert infos(elsewhere) == [ENDED_ELSEWHERE_MESSAGE]

    with browser_cookie(monkeypatch, library_cookie("member")):  # a cookie from signing in again works
        assert titles(fresh_app().run()) == ["Welcome, Grace Mensah"]


def test_a_cookie_with_a_wrong_signature_or_for_a_stranger_does_not_sign_in(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    forged = jwt.encode({"username": "chair", "exp_date": time.time() + 3600}, "another-key-" * 4, algorithm="HS256")
    for token in (forged, library_cookie("no-such-member"), "not a token at all"):
        with browser_cookie(monkeypatch, token):
            at = fresh_app().run()
        assert not at.exception
        assert titles(at) == [SIGN_IN_TITLE]


def test_a_session_unused_for_30_minutes_is_signed_out(app_env: str) -> None:
    at = sign_in("lived")
    at.session_state[LAST_ACTIVITY] = time.time() - 29 * 60
    at.run()
    assert titles(at)[0].startswith("Welcome, ")  # 29 minutes: still signed in, and the clock restarts

    at.session_state[LAST_ACTIVITY] = time.time() - 31 * 60
    at.run()
    assert not at.exception
    assert titles(at) == [SIGN_IN_TITLE]
    assert infos(at) == ["You were signed out after 30 minutes without activity. Sign in again."]
    at.run()  # the message stays through the cookie component's rerun
    assert infos(at) == ["You were signed out after 30 minutes without activity. Sign in again."]

    database = Database.from_url(app_env)
    try:
        with database.unit_of_work(read_only=True) as session:
            last = session.scalars(select(AuditEvent.description).where(AuditEvent.subject == "account lived")
                                   .order_by(AuditEvent.id.desc()).limit(1)).one()
    finally:
        database.dispose()
    assert last == "Signed out after 30 minutes without activity."


def test_the_idle_limit_is_configurable(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_IDLE_MINUTES", "1")
    at = sign_in("emlead")
    at.session_state[LAST_ACTIVITY] = time.time() - 2 * 60
    at.run()
    assert titles(at) == [SIGN_IN_TITLE]
    assert infos(at) == ["You were signed out after 1 minute without activity. Sign in again."]

    # Signing in again in the same window works, and the message goes.
    next(t for t in at.text_input if t.label == "Username").input("emlead")
    next(t for t in at.text_input if t.label == "Password").input(DEMO_PASSWORD)
    next(b for b in at.button if b.label == "Login").click()
    at.run()
    at.run()
    assert titles(at)[0].startswith("Welcome, ")
    assert not any("without activity" in text for text in infos(at))


def test_log_out_is_written_to_the_database(app_env: str) -> None:
    at = sign_in("vicechair")
    before = dt.datetime.now(dt.UTC)
    log_out(at)
    database = Database.from_url(app_env)
    try:
        with database.unit_of_work(read_only=True) as session:
            valid_after = session.scalar(select(User.sessions_valid_after).where(User.username == "vicechair"))
    finally:
        database.dispose()
    assert valid_after is not None
    assert (valid_after if valid_after.tzinfo else valid_after.replace(tzinfo=dt.UTC)) >= before
