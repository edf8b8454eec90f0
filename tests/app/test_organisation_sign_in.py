"""Sign-in by the organisation's identity provider, through AppTest on app.py.

AppTest cannot make the OpenID Connect round trip (tests/browser/test_oidc_sign_in.py does, against a local
provider). It can seed st.user as Streamlit fills it from its identity cookie when the person comes back, and
it records st.logout by emptying it, which is what these tests look at.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from components.auth import LAST_ACTIVITY, LEAVE_IDENTITY_BUTTON, ORGANISATION_BUTTON
from db.models import AuditEvent, User
from db.session import Database
from features.people.sign_in import ENDED_ELSEWHERE_MESSAGE
from features.people.use_cases import log_out_everywhere
from rules.identity import ENDED_MESSAGE
from tests.app.conftest import COOKIE_KEY, errors, fresh_app, titles

SIGN_IN_TITLE = "LeDeR governance panel"
AUTH = {
    "cookie_key": COOKIE_KEY,
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-" + "y" * 40,
    "icb": {"client_id": "panel-app", "client_secret": "not-a-real-secret",
            "server_metadata_url": "https://login.example.nhs.uk/.well-known/openid-configuration"},
}


def identity(email: str, issued: float | None = None) -> dict[str, object]:
    """st.user as Streamlit fills it after the provider sent the person back: the ID token's claims."""
    return {"is_logged_in": True, "provider": "icb", "sub": f"sub-{email}", "email": email,
            "iat": int(issued if issued is not None else time.time()), "iss": "https://login.example.nhs.uk"}


def back_from_provider(email: str, issued: float | None = None) -> AppTest:
    at = fresh_app()
    at.secrets = {"auth": AUTH}
    at.user = identity(email, issued)
    return at.run()


def button_labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def logged_out_of_provider(at: AppTest) -> bool:
    return at.user.get("is_logged_in") is False


def audit_lines(url: str, subject: str) -> list[tuple[str, str]]:
    database = Database.from_url(url)
    try:
        with database.unit_of_work(read_only=True) as session:
            rows = session.execute(select(AuditEvent.action, AuditEvent.description)
                                   .where(AuditEvent.subject == subject).order_by(AuditEvent.id)).all()
    finally:
        database.dispose()
    return [(row.action, row.description) for row in rows]


def test_without_a_provider_the_page_offers_passwords_only(app_env: str) -> None:
    at = fresh_app().run()
    assert titles(at) == [SIGN_IN_TITLE]
    assert ORGANISATION_BUTTON not in button_labels(at)
    assert "Login" in button_labels(at)


def test_with_a_provider_the_page_offers_both(app_env: str) -> None:
    at = fresh_app()
    at.secrets = {"auth": AUTH}
    at.run()
    assert not at.exception
    assert titles(at) == [SIGN_IN_TITLE]
    assert ORGANISATION_BUTTON in button_labels(at) and "Login" in button_labels(at)
    assert LEAVE_IDENTITY_BUTTON not in button_labels(at)


def test_a_half_configured_provider_stops_the_app_with_a_sentence(app_env: str) -> None:
    at = fresh_app()
    at.secrets = {"auth": {**AUTH, "icb": {"client_id": "panel-app"}}}
    at.run()
    assert not at.exception
    assert titles(at) == ["The panel app cannot start"]
    assert any("[auth.icb] client_secret, [auth.icb] server_metadata_url are missing" in e for e in errors(at))


def test_a_known_email_signs_in_with_the_accounts_own_roles(app_env: str) -> None:
    at = back_from_provider("MEMBER@example.org")
    assert not at.exception
    assert titles(at) == ["Welcome, Grace Mensah"]
    assert any("Signed in as Grace Mensah (Panel member)" in c.value for c in at.sidebar.caption)
    at.run()  # a later run keeps the session
    assert titles(at) == ["Welcome, Grace Mensah"]
    assert ("signed in", "Signed in with the organisation's account.") in audit_lines(app_env, "account member")


def test_an_unknown_email_is_refused_in_words_and_can_leave_that_account(app_env: str) -> None:
    at = back_from_provider("stranger@example.org")
    assert not at.exception
    assert titles(at) == [SIGN_IN_TITLE]
    assert errors(at) == ["No panel account uses the email stranger@example.org. Ask the secretariat to add you."]
    at.run()  # the cookie component's rerun: the message stays, and nothing is mapped or written again
    assert errors(at) == ["No panel account uses the email stranger@example.org. Ask the secretariat to add you."]
    next(b for b in at.button if b.label == LEAVE_IDENTITY_BUTTON).click()
    at.run()
    assert logged_out_of_provider(at)  # st.logout: Streamlit deletes its identity cookie


def test_log_out_ends_the_identity_and_a_copy_of_it_no_longer_signs_in(app_env: str) -> None:
    issued = time.time() - 60
    at = back_from_provider("vicechair@example.org", issued)
    assert titles(at) == ["Welcome, Tom Reilly"]
    elsewhere = back_from_provider("vicechair@example.org", issued)  # a copy of the same identity cookie
    assert titles(elsewhere) == ["Welcome, Tom Reilly"]

    next(b for b in at.button if b.label == "Log out").click()
    at.run()
    assert logged_out_of_provider(at)  # st.logout: in a browser, off to the provider's sign-out and back
    at.run()
    assert titles(at) == [SIGN_IN_TITLE]

    replayed = back_from_provider("vicechair@example.org", issued)
    assert not replayed.exception
    assert titles(replayed) == [SIGN_IN_TITLE]
    assert errors(replayed) == [ENDED_MESSAGE]
    assert LEAVE_IDENTITY_BUTTON in button_labels(replayed)

    elsewhere.run()  # the session already open with the copy ends at its next run
    assert titles(elsewhere) == [SIGN_IN_TITLE]
    assert [i.value for i in elsewhere.info] == [ENDED_ELSEWHERE_MESSAGE]
    assert errors(elsewhere) == []  # said once, as information, not again as a refusal

    database = Database.from_url(app_env)
    try:
        with database.unit_of_work(read_only=True) as session:
            valid_after = session.scalar(select(User.sessions_valid_after).where(User.username == "vicechair"))
    finally:
        database.dispose()
    assert valid_after is not None
    lines = audit_lines(app_env, "account vicechair")
    assert lines[-1][0] == "sign-in failed" and "before the account last logged out" in lines[-1][1]

    fresh = back_from_provider("vicechair@example.org")  # signing in again with the provider works
    assert titles(fresh) == ["Welcome, Tom Reilly"]


def test_a_log_out_elsewhere_ends_a_provider_session(app_env: str) -> None:
    at = back_from_provider("emlead@example.org", time.time() - 5)
    assert titles(at) == ["Welcome, Farah Qureshi"]
    database = Database.from_url(app_env)
    try:
        log_out_everywhere(database, username="emlead")
    finally:
        database.dispose()
    at.run()
    assert titles(at) == [SIGN_IN_TITLE]
    assert [i.value for i in at.info] == [ENDED_ELSEWHERE_MESSAGE]


def test_the_idle_limit_applies_to_a_provider_session(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_IDLE_MINUTES", "1")
    at = back_from_provider("reviewer@example.org")
    assert titles(at)[0] == "Welcome, Chris Walker"
    at.session_state[LAST_ACTIVITY] = time.time() - 2 * 60
    at.run()
    assert not at.exception
    assert titles(at) == [SIGN_IN_TITLE]
    assert logged_out_of_provider(at)  # or the identity cookie would sign straight back in at a reload
    assert audit_lines(app_env, "account reviewer")[-1] == ("signed out", "Signed out after 1 minute without activity.")


def test_an_identity_a_day_old_is_refused(app_env: str) -> None:
    at = back_from_provider("chair@example.org", (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).timestamp())
    assert titles(at) == [SIGN_IN_TITLE]
    assert errors(at) == ["Your sign-in with your organisation's account has expired. Sign in again."]


def test_an_identity_from_another_provider_is_ignored(app_env: str) -> None:
    at = fresh_app()
    at.secrets = {"auth": AUTH}
    at.user = {**identity("chair@example.org"), "provider": "someone-else"}
    at.run()
    assert titles(at) == [SIGN_IN_TITLE] and errors(at) == []
