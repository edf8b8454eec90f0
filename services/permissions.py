"""The permission matrix: which role may do what. Every service checks it; pages only hide controls."""

from __future__ import annotations

import enum

from db.models import Role
from services.actors import Actor
from services.errors import NotAllowed


class Permission(enum.StrEnum):
    VIEW_HOME = "view_home"
    VIEW_MEETINGS = "view_meetings"
    VIEW_REVIEWS = "view_reviews"
    VIEW_ACTIONS = "view_actions"
    MANAGE_USERS = "manage_users"


_EVERYONE = frozenset(Role)
_CASE_READERS = _EVERYONE - {Role.OBSERVER}

ALLOWED_ROLES: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_HOME: _EVERYONE,
    Permission.VIEW_MEETINGS: _EVERYONE,
    # Observers watch the meeting but do not read case detail (Caldicott: need to know).
    Permission.VIEW_REVIEWS: _CASE_READERS,
    Permission.VIEW_ACTIONS: _CASE_READERS,
    Permission.MANAGE_USERS: frozenset({Role.SECRETARIAT}),
}


def allows(actor: Actor, permission: Permission) -> bool:
    return bool(actor.roles & ALLOWED_ROLES[permission])


def require(actor: Actor, permission: Permission) -> None:
    """Raise NotAllowed unless one of the actor's roles carries the permission."""
    if not allows(actor, permission):
        raise NotAllowed("Your role on the panel does not allow this. Ask the secretariat if you need it.")
