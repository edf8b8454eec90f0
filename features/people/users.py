"""Accounts and roles. There is no self-registration: the secretariat (or the CLI) creates users."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from db.conflicts import flush_or_conflict
from db.models import Panel, User, UserRole
from features.audit.audit import append_event
from features.people.passwords import hash_password, validate_password
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotFound, changed_by_someone_else
from rules.limits import MAX_EMAIL_CHARS, MAX_NAME_CHARS, check_length
from rules.permissions import Permission, require
from rules.roles import describe_roles
from rules.vocabulary import Role

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    name: str
    email: str
    roles: tuple[Role, ...]
    is_active: bool
    version_id: int


def clean_username(username: str) -> str:
    value = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(value):
        raise Invalid(
            "The username must be 2 to 64 characters: lower-case letters, digits, dots, "
            "dashes or underscores, starting with a letter or digit."
        )
    return value


def _clean_name(name: str) -> str:
    value = " ".join(name.split())
    if not value:
        raise Invalid("Enter the person's name.")
    check_length(value, what="The name", limit=MAX_NAME_CHARS)
    return value


def _clean_email(email: str) -> str:
    value = email.strip()
    if not EMAIL_PATTERN.fullmatch(value) or len(value) > MAX_EMAIL_CHARS:
        raise Invalid("Enter an email address like name@nhs.net.")
    return value


def _clean_roles(roles: Iterable[Role]) -> list[Role]:
    chosen = sorted(set(roles), key=list(Role).index)
    if not chosen:
        raise Invalid("Choose at least one role.")
    return chosen


def create_user_in_panel(
    *, session: Session, panel_id: int, username: str, name: str, email: str,
    roles: Iterable[Role], password: str | None = None, password_hash: str | None = None,
    bcrypt_rounds: int | None = None, created_by: Actor | None = None,
) -> UserRow:
    """Create an account in a panel. Used by the CLI and seeding; the page goes through create_user.

    Pass a password (checked, and hashed here at the bcrypt cost the settings give) or, when many accounts
    share one, its bcrypt hash.
    `created_by` is the signed-in secretariat member; without one the audit log says it came from outside.
    """
    clean = clean_username(username)
    clean_name, clean_email, chosen_roles = _clean_name(name), _clean_email(email), _clean_roles(roles)
    if password_hash is None:
        if password is None:
            raise Invalid("Give the person a password.")
        if bcrypt_rounds is None:
            raise TypeError("create_user_in_panel hashes a password only at a cost it is given (bcrypt_rounds)")
        validate_password(password)
    if session.get(Panel, panel_id) is None:
        raise NotFound("That panel does not exist.")
    if session.scalar(select(func.count()).select_from(User).where(User.username == clean)):
        raise Conflict(f"The username '{clean}' is already taken. Choose another.")
    user = User(  # hash last: bcrypt is the slow step, so a refused request should not pay for it
        panel_id=panel_id,
        username=clean,
        name=clean_name,
        email=clean_email,
        password_hash=password_hash or hash_password(password or "", rounds=bcrypt_rounds or 0),
        roles=[UserRole(role=r) for r in chosen_roles],
    )
    session.add(user)
    session.flush()
    outside = "" if created_by else " Created outside the app (manage.py or the demo set-up)."
    _audit(session, panel_id, created_by, "account created", clean,
           f"Created the account '{clean}' with the roles: {describe_roles(tuple(chosen_roles))}.{outside}")
    return _row(user)


def _audit(session: Session, panel_id: int, by: Actor | None, action: str, username: str, description: str) -> None:
    """Accounts change only with a line in the audit log; with nobody signed in, as the system's."""
    append_event(session, panel_id=panel_id, actor_id=by.user_id if by else None, action=action,
                 subject=f"account {username}", description=description)


def create_user(
    *, session: Session, actor: Actor, username: str, name: str, email: str,
    roles: Iterable[Role], password: str, bcrypt_rounds: int,
) -> UserRow:
    """The secretariat adds a member to their own panel."""
    require(actor, Permission.MANAGE_USERS)
    return create_user_in_panel(
        session=session, panel_id=actor.panel_id, username=username, name=name,
        email=email, roles=roles, password=password, bcrypt_rounds=bcrypt_rounds, created_by=actor,
    )


def list_users(*, session: Session, actor: Actor) -> list[UserRow]:
    """Everyone on the actor's own panel; other ICBs' people are never listed."""
    require(actor, Permission.MANAGE_USERS)
    users = session.scalars(
        select(User).where(User.panel_id == actor.panel_id)
        .options(selectinload(User.roles)).order_by(User.name)
    ).all()
    return [_row(u) for u in users]


def set_roles(
    *, session: Session, actor: Actor, user_id: int, roles: Iterable[Role], expected_version: int
) -> UserRow:
    """Replace a member's roles. Refuses if someone else saved this user since the form was loaded."""
    require(actor, Permission.MANAGE_USERS)
    user = session.scalars(
        select(User).where(User.id == user_id, User.panel_id == actor.panel_id)
        .options(selectinload(User.roles))
    ).one_or_none()
    if user is None:
        raise NotFound("That person is not on your panel.")
    chosen = _clean_roles(roles)
    if user.id == actor.user_id and Role.SECRETARIAT not in chosen:
        raise Invalid("You cannot remove your own secretariat role; ask another secretariat member.")
    if user.version_id != expected_version:
        raise changed_by_someone_else("this person's details")
    user.roles = [r for r in user.roles if r.role in chosen]
    have = {r.role for r in user.roles}
    user.roles.extend(UserRole(role=r) for r in chosen if r not in have)
    # Roles live in user_roles; marking the user dirty makes version_id_col advance and guard the race.
    flag_modified(user, "name")
    flush_or_conflict(session, "this person's details")
    _audit(session, actor.panel_id, actor, "roles changed", user.username,
           f"Changed the roles of '{user.username}' to: {describe_roles(tuple(chosen))}.")
    return _row(user)


def credentials_stamp(*, session: Session) -> tuple[object, ...]:
    """A fingerprint that changes whenever a user or a role is added, edited or removed (every ORM edit of
    a user bumps its version_id), so the sign-in credentials can be kept between runs and rebuilt only
    when they change: building them for 800 national users took 20 ms of every click."""
    users = select(func.count(User.id), func.coalesce(func.sum(User.version_id), 0),
                   func.coalesce(func.max(User.id), 0), func.max(User.created_at))
    roles = select(func.count(UserRole.id), func.coalesce(func.max(UserRole.id), 0))
    return (*session.execute(users).one(), *session.execute(roles).one())


def credentials_for_authenticator(*, session: Session) -> dict[str, dict[str, dict[str, object]]]:
    """The credentials dict streamlit-authenticator expects, built from active users in the database."""
    users = session.scalars(
        select(User).where(User.is_active.is_(True)).options(selectinload(User.roles))
    ).all()
    return {
        "usernames": {
            u.username: {
                "name": u.name,
                "email": u.email,
                "password": u.password_hash,
                "roles": [r.role.value for r in u.roles],
            }
            for u in users
        }
    }


def record_login(*, session: Session, username: str, at: dt.datetime | None = None) -> None:
    """Write the sign-in time back to the database (the authenticator only keeps it in memory)."""
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is not None:
        user.last_login_at = at or dt.datetime.now(dt.UTC)


def _row(user: User) -> UserRow:
    return UserRow(
        id=user.id,
        username=user.username,
        name=user.name,
        email=user.email,
        roles=tuple(sorted((r.role for r in user.roles), key=list(Role).index)),
        is_active=user.is_active,
        version_id=user.version_id,
    )
