"""Who is acting. Loaded fresh from the database on every run so role changes apply at once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import Panel, User
from rules.actors import Actor
from rules.errors import NotFound


def load_actor(*, session: Session, username: str) -> Actor:
    """The signed-in user with roles and ICB; NotFound if unknown or deactivated."""
    user = session.scalars(
        select(User)
        .where(User.username == username.strip().lower(), User.is_active.is_(True))
        .options(selectinload(User.roles), selectinload(User.panel).selectinload(Panel.icb))
    ).one_or_none()
    if user is None:
        raise NotFound("That account does not exist or has been switched off.")
    return Actor(
        user_id=user.id,
        username=user.username,
        name=user.name,
        panel_id=user.panel_id,
        panel_name=user.panel.name,
        icb_id=user.panel.icb_id,
        icb_name=user.panel.icb.name,
        roles=frozenset(r.role for r in user.roles),
    )
