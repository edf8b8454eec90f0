"""Sign-in by the organisation's identity provider: the provider's email maps to exactly one active panel
account (features/people/organisation_sign_in.py), the claims are checked first (rules/identity.py), and an
identity issued before the person last logged out is refused by the same check as the local cookie."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from db.models import AuditEvent, User
from db.session import Database
from features.people.organisation_sign_in import (
    account_for_identity,
    configuration_problem,
    find_account_by_email,
    provider_configured,
)
from features.people.sign_in import end_all_sessions
from operations.demo import SeedReport
from rules.identity import (
    EMAIL_NOT_VERIFIED,
    ENDED_MESSAGE,
    NO_EMAIL,
    NO_ISSUE_TIME,
    TOO_OLD,
    WHOLE_SECOND,
    OrganisationIdentity,
    identity_from_claims,
    identity_refusal,
    unknown_email_message,
)

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def identity(email: str | None = "member@example.org", *, issued: dt.datetime = NOW,
             verified: bool | None = None) -> OrganisationIdentity:
    return OrganisationIdentity(email=email, email_verified=verified, issued_at=issued, subject="abc-123")


def map_identity(db: Database, who: OrganisationIdentity, now: dt.datetime = NOW):
    with db.unit_of_work() as session:
        return account_for_identity(session, who, now)


def last_audit(db: Database, subject: str) -> tuple[str, str] | None:
    with db.unit_of_work(read_only=True) as session:
        row = session.execute(select(AuditEvent.action, AuditEvent.description)
                              .where(AuditEvent.subject == subject).order_by(AuditEvent.id.desc()).limit(1)
                              ).one_or_none()
    return None if row is None else (row.action, row.description)


# --- The mapping ------------------------------------------------------------------------------------------


def test_a_known_email_signs_in_as_its_account_and_is_audited(db: Database, demo: SeedReport) -> None:
    result = map_identity(db, identity("member@example.org"))
    assert result.signed_in and result.username == "member"
    assert result.at == NOW + WHOLE_SECOND  # the session begins when the identity was issued (its second)
    assert last_audit(db, "account member") == ("signed in", "Signed in with the organisation's account.")
    with db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(User.last_login_at).where(User.username == "member")) is not None


@pytest.mark.parametrize("typed", ["MEMBER@Example.ORG", "  member@example.org  ", "Member@example.org"])
def test_the_email_is_matched_without_regard_to_case_or_spaces(db: Database, demo: SeedReport, typed: str) -> None:
    assert map_identity(db, identity(typed)).username == "member"


def test_the_stored_email_is_matched_whatever_its_case(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "lived").values(email="Sam.Taylor@Example.org "))
    assert map_identity(db, identity("sam.taylor@example.org")).username == "lived"


def test_an_unknown_email_is_refused_in_words_and_writes_nothing(db: Database, demo: SeedReport) -> None:
    result = map_identity(db, identity("nobody@example.org"))
    assert not result.signed_in and result.username is None
    assert result.message == ("No panel account uses the email nobody@example.org. "
                              "Ask the secretariat to add you.")
    assert result.message == unknown_email_message("nobody@example.org")
    with db.unit_of_work(read_only=True) as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.description.contains("nobody"))).all() == []


def test_only_an_exact_email_matches(db: Database, demo: SeedReport) -> None:
    for near in ("member@example.org.evil", "xmember@example.org", "member@example", "%@example.org"):
        assert map_identity(db, identity(near)).username is None


def test_a_switched_off_account_is_refused_and_the_refusal_is_audited(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "observer").values(is_active=False))
    result = map_identity(db, identity("observer@example.org"))
    assert not result.signed_in
    assert result.message is not None and "switched off" in result.message
    assert "observer@example.org" in result.message
    action, description = last_audit(db, "account observer") or ("", "")
    assert action == "sign-in failed" and "switched off" in description


def test_two_active_accounts_with_one_email_are_refused_rather_than_one_chosen(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "member2").values(email="MEMBER@example.org"))
    result = map_identity(db, identity("member@example.org"))
    assert not result.signed_in and result.username is None
    assert result.message is not None and result.message.startswith(
        "More than one panel account uses the email member@example.org")
    with db.unit_of_work(read_only=True) as session:
        assert find_account_by_email(session, "member@example.org").username is None


def test_a_switched_off_twin_does_not_block_the_active_account(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "member2")
                        .values(email="member@example.org", is_active=False))
    assert map_identity(db, identity("member@example.org")).username == "member"


def test_roles_come_from_the_app_not_the_provider(db: Database, demo: SeedReport) -> None:
    claims = {"email": "observer@example.org", "iat": NOW.timestamp(), "roles": ["chair"], "groups": ["admin"]}
    result = map_identity(db, identity_from_claims(claims))
    assert result.username == "observer"  # the actor is then loaded with observer's own roles


def test_an_identity_issued_before_the_last_log_out_is_refused(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work() as session:
        end_all_sessions(session, "chair", NOW)
    before = map_identity(db, identity("chair@example.org", issued=NOW - dt.timedelta(seconds=5)),
                          now=NOW + dt.timedelta(minutes=1))
    assert not before.signed_in and before.message == ENDED_MESSAGE
    action, _ = last_audit(db, "account chair") or ("", "")
    assert action == "sign-in failed"
    after = map_identity(db, identity("chair@example.org", issued=NOW + dt.timedelta(seconds=1)),
                         now=NOW + dt.timedelta(minutes=1))
    assert after.signed_in and after.username == "chair"


def test_signing_in_again_in_the_second_of_the_log_out_is_not_refused(db: Database, demo: SeedReport) -> None:
    logged_out = NOW + dt.timedelta(milliseconds=700)
    with db.unit_of_work() as session:
        end_all_sessions(session, "chair", logged_out)
    assert map_identity(db, identity("chair@example.org", issued=NOW), now=logged_out).signed_in  # iat: whole seconds
    earlier = map_identity(db, identity("chair@example.org", issued=NOW - dt.timedelta(seconds=1)), now=logged_out)
    assert not earlier.signed_in


# --- The claims -------------------------------------------------------------------------------------------


def test_claims_are_read_as_the_provider_sends_them() -> None:
    read = identity_from_claims({"email": " a@b.nhs.uk ", "email_verified": "true", "iat": 1790000000,
                                 "sub": "x1", "is_logged_in": True, "provider": "icb"})
    assert read.email == "a@b.nhs.uk" and read.email_verified is True and read.subject == "x1"
    assert read.issued_at == dt.datetime.fromtimestamp(1790000000, dt.UTC)
    odd = identity_from_claims({"email": ["a@b"], "email_verified": "maybe", "iat": "yesterday"})
    assert odd.email is None and odd.email_verified is False and odd.issued_at is None
    assert identity_from_claims({"email": "a@b.nhs.uk"}).email_verified is None
    assert identity_from_claims({"iat": True}).issued_at is None


def test_claims_that_cannot_sign_anyone_in_are_refused_first() -> None:
    assert identity_refusal(identity(None), NOW) == NO_EMAIL
    assert identity_refusal(identity(verified=False), NOW) == EMAIL_NOT_VERIFIED.format(email="member@example.org")
    assert identity_refusal(identity(verified=True), NOW) is None
    assert identity_refusal(identity(verified=None), NOW) is None  # not said: the provider's own accounts
    assert identity_refusal(OrganisationIdentity("a@b.nhs.uk", None, None, None), NOW) == NO_ISSUE_TIME
    assert identity_refusal(identity(issued=NOW + dt.timedelta(hours=1)), NOW) == NO_ISSUE_TIME
    assert identity_refusal(identity(issued=NOW + dt.timedelta(minutes=2)), NOW) is None  # a clock a little ahead
    assert identity_refusal(identity(issued=NOW - dt.timedelta(days=1, minutes=1)), NOW) == TOO_OLD


def test_an_unverified_email_never_reaches_the_accounts(db: Database, demo: SeedReport) -> None:
    result = map_identity(db, identity("chair@example.org", verified=False))
    assert not result.signed_in and result.message == EMAIL_NOT_VERIFIED.format(email="chair@example.org")
    assert last_audit(db, "account chair") is None or last_audit(db, "account chair")[0] != "signed in"


def test_a_day_old_identity_is_refused(db: Database, demo: SeedReport) -> None:
    result = map_identity(db, identity("chair@example.org", issued=NOW - dt.timedelta(days=2)))
    assert not result.signed_in and result.message == TOO_OLD


# --- The configuration ------------------------------------------------------------------------------------

GOOD = {
    "cookie_key": "k" * 48,
    "redirect_uri": "https://leder.example.nhs.uk/oauth2callback",
    "cookie_secret": "s" * 48,
    "icb": {"client_id": "panel-app", "client_secret": "secret",
            "server_metadata_url": "https://login.example.nhs.uk/.well-known/openid-configuration"},
}


def test_passwords_only_when_no_provider_is_configured() -> None:
    assert not provider_configured({"cookie_key": "k" * 48})
    assert configuration_problem({"cookie_key": "k" * 48}) is None
    assert configuration_problem({}) is None


def test_a_complete_provider_is_accepted() -> None:
    assert provider_configured(GOOD) and configuration_problem(GOOD) is None
    local = {**GOOD, "icb": {**GOOD["icb"], "server_metadata_url": "http://127.0.0.1:9400/.well-known/x"}}
    assert configuration_problem(local) is None


@pytest.mark.parametrize(("change", "words"), [
    ({"redirect_uri": None}, "[auth] redirect_uri is missing"),
    ({"cookie_secret": None, "redirect_uri": None}, "[auth] redirect_uri, [auth] cookie_secret are missing"),
    ({"icb": {"client_id": "x"}}, "[auth.icb] client_secret, [auth.icb] server_metadata_url are missing"),
    ({"redirect_uri": "https://leder.example.nhs.uk/"}, "must be the app's own address ending in /oauth2callback"),
    ({"cookie_secret": "short"}, "cookie_secret must be a random string of 32 or more characters"),
    ({"icb": {**GOOD["icb"], "server_metadata_url": "http://login.example.nhs.uk/x"}}, "must be an https://"),
])
def test_a_half_configured_provider_is_explained(change: dict, words: str) -> None:
    section = {key: value for key, value in {**GOOD, **change}.items() if value is not None}
    problem = configuration_problem(section)
    assert problem is not None and words in problem
