"""Accounts: creation rules, roles, optimistic locking, tenancy and the authenticator's credentials."""

from __future__ import annotations

from collections.abc import Callable

import bcrypt
import pytest
from sqlalchemy import select

from db.session import Database
from features.people.actors import load_actor
from features.people.users import (
    create_user,
    credentials_for_authenticator,
    credentials_stamp,
    list_users,
    record_login,
    set_roles,
)
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotAllowed, NotFound
from rules.vocabulary import Role
from tests.conftest import BCRYPT_ROUNDS

GOOD = {"username": "newperson", "name": "New Person", "email": "new@example.org",
        "roles": [Role.PANEL_MEMBER], "password": "a-long-enough-passphrase", "bcrypt_rounds": BCRYPT_ROUNDS}


def test_secretariat_creates_a_user_in_their_own_panel(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with db.unit_of_work() as session:
        row = create_user(session=session, actor=admin, **GOOD)
    assert row.roles == (Role.PANEL_MEMBER,)
    created = actor("newperson")
    assert created.panel_id == admin.panel_id
    assert created.icb_name == admin.icb_name


@pytest.mark.parametrize("username", ["chair", "vicechair", "reviewer", "member", "lived", "emlead", "observer"])
def test_only_secretariat_may_create_users(db: Database, actor: Callable[[str], Actor], username: str) -> None:
    with pytest.raises(NotAllowed), db.unit_of_work() as session:
        create_user(session=session, actor=actor(username), **GOOD)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "Has Spaces", "lower-case letters"),
        ("username", "", "lower-case letters"),
        ("name", "   ", "Enter the person's name"),
        ("email", "not-an-email", "Enter an email address"),
        ("roles", [], "Choose at least one role"),
        ("password", "short", "at least 12 characters"),
        ("password", "é" * 40, "too long"),
    ],
)
def test_bad_input_is_refused_in_words_and_saves_nothing(
    db: Database, actor: Callable[[str], Actor], field: str, value: object, message: str
) -> None:
    admin = actor("admin")
    with pytest.raises(Invalid, match=message), db.unit_of_work() as session:
        create_user(session=session, actor=admin, **{**GOOD, field: value})
    with db.unit_of_work(read_only=True) as session:
        assert "newperson" not in {u.username for u in list_users(session=session, actor=admin)}


def test_usernames_are_unique_whatever_the_case(db: Database, actor: Callable[[str], Actor]) -> None:
    with pytest.raises(Conflict, match="already taken"), db.unit_of_work() as session:
        create_user(session=session, actor=actor("admin"), **{**GOOD, "username": " CHAIR "})


def test_list_users_shows_only_own_icb(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        north = {u.username for u in list_users(session=session, actor=actor("admin"))}
        south = {u.username for u in list_users(session=session, actor=actor("southadmin"))}
    assert "chair" in north and "southchair" not in north
    assert south == {"southchair", "southadmin"}


def test_set_roles_replaces_roles_and_bumps_version(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with db.unit_of_work(read_only=True) as session:
        member = next(u for u in list_users(session=session, actor=admin) if u.username == "member")
    with db.unit_of_work() as session:
        updated = set_roles(session=session, actor=admin, user_id=member.id,
                            roles=[Role.VICE_CHAIR, Role.PANEL_MEMBER], expected_version=member.version_id)
    assert updated.roles == (Role.VICE_CHAIR, Role.PANEL_MEMBER)
    assert updated.version_id == member.version_id + 1
    assert actor("member").roles == {Role.VICE_CHAIR, Role.PANEL_MEMBER}


def test_second_save_from_a_stale_form_is_refused(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with db.unit_of_work(read_only=True) as session:
        member = next(u for u in list_users(session=session, actor=admin) if u.username == "member")
    with db.unit_of_work() as session:
        set_roles(session=session, actor=admin, user_id=member.id, roles=[Role.OBSERVER],
                  expected_version=member.version_id)
    with pytest.raises(Conflict, match="Someone else changed"), db.unit_of_work() as session:
        set_roles(session=session, actor=admin, user_id=member.id, roles=[Role.CHAIR],
                  expected_version=member.version_id)
    assert actor("member").roles == {Role.OBSERVER}


def test_secretariat_cannot_change_another_icbs_people(db: Database, actor: Callable[[str], Actor]) -> None:
    south_chair = actor("southchair")
    with pytest.raises(NotFound), db.unit_of_work() as session:
        set_roles(session=session, actor=actor("admin"), user_id=south_chair.user_id,
                  roles=[Role.OBSERVER], expected_version=1)


def test_secretariat_cannot_drop_their_own_secretariat_role(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with pytest.raises(Invalid, match="your own secretariat role"), db.unit_of_work() as session:
        set_roles(session=session, actor=admin, user_id=admin.user_id, roles=[Role.CHAIR], expected_version=1)


def test_credentials_dict_holds_bcrypt_hashes_and_roles(db: Database, demo: object) -> None:
    with db.unit_of_work(read_only=True) as session:
        credentials = credentials_for_authenticator(session=session)
    chair = credentials["usernames"]["chair"]
    assert chair["roles"] == ["chair"]
    assert bcrypt.checkpw(b"correct-horse-battery-staple", str(chair["password"]).encode())
    assert "correct-horse" not in str(credentials)


def test_switched_off_accounts_cannot_sign_in(db: Database, actor: Callable[[str], Actor]) -> None:
    from sqlalchemy import update

    from db.models import User

    with db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "observer").values(is_active=False))
    with db.unit_of_work(read_only=True) as session:
        assert "observer" not in credentials_for_authenticator(session=session)["usernames"]
        with pytest.raises(NotFound):
            load_actor(session=session, username="observer")


def test_record_login_writes_the_time_back(db: Database, actor: Callable[[str], Actor]) -> None:
    from sqlalchemy import select

    from db.models import User

    with db.unit_of_work() as session:
        record_login(session=session, username="chair")
    with db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(User.last_login_at).where(User.username == "chair")) is not None


def _stamp(db: Database) -> tuple[object, ...]:
    with db.unit_of_work(read_only=True) as session:
        return credentials_stamp(session=session)


def test_the_credentials_stamp_changes_with_every_change_sign_in_depends_on(
        db: Database, actor: Callable[[str], Actor]) -> None:
    """The app keeps the credentials between runs until this stamp changes: a new user, new roles or a
    switched-off account must each show, or the kept credentials would be stale."""
    from db.models import User

    admin, seen = actor("admin"), [_stamp(db)]
    assert _stamp(db) == seen[-1], "the stamp must not change when nothing did"
    with db.unit_of_work() as session:
        create_user(session=session, actor=admin, **GOOD)
    seen.append(_stamp(db))
    with db.unit_of_work(read_only=True) as session:
        member = next(u for u in list_users(session=session, actor=admin) if u.username == "member")
    with db.unit_of_work() as session:
        set_roles(session=session, actor=admin, user_id=member.id, roles=[Role.PANEL_MEMBER, Role.OBSERVER],
                  expected_version=member.version_id)
    seen.append(_stamp(db))
    with db.unit_of_work() as session:
        session.scalars(select(User).where(User.username == "observer")).one().is_active = False
    seen.append(_stamp(db))
    assert len(set(seen)) == len(seen), seen
