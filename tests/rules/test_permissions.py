"""The permission matrix: each permission is granted to exactly the roles the panel expects."""

from __future__ import annotations

import pytest

from rules.actors import Actor
from rules.errors import NotAllowed
from rules.permissions import ALLOWED_ROLES, Permission, allows, require
from rules.vocabulary import Role


def make_actor(*roles: Role) -> Actor:
    return Actor(user_id=1, username="x", name="X", panel_id=1, panel_name="P", icb_id=1, icb_name="I",
                 roles=frozenset(roles))


EXPECTED: dict[Permission, set[Role]] = {
    Permission.VIEW_HOME: set(Role),
    Permission.VIEW_MEETINGS: set(Role),
    Permission.VIEW_REVIEWS: set(Role) - {Role.OBSERVER},
    Permission.VIEW_ACTIONS: set(Role) - {Role.OBSERVER},
    Permission.MANAGE_USERS: {Role.SECRETARIAT},
    Permission.MANAGE_SETTINGS: {Role.SECRETARIAT},
    Permission.MANAGE_MEETINGS: {Role.SECRETARIAT, Role.CHAIR, Role.VICE_CHAIR},
    Permission.RUN_MEETING: {Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT},
    Permission.EDIT_REVIEW: {Role.REVIEWER, Role.SECRETARIAT},
    Permission.COMMENT: {Role.CHAIR, Role.VICE_CHAIR, Role.PANEL_MEMBER, Role.LIVED_EXPERIENCE_MEMBER,
                         Role.ETHNIC_MINORITY_LEAD},
    Permission.DECLARE_INTEREST: set(Role) - {Role.OBSERVER},
    Permission.VOTE: {Role.CHAIR, Role.VICE_CHAIR, Role.PANEL_MEMBER, Role.LIVED_EXPERIENCE_MEMBER,
                      Role.ETHNIC_MINORITY_LEAD},
    Permission.RECORD_DECISION: {Role.CHAIR, Role.VICE_CHAIR},
    Permission.CIRCULATE: {Role.CHAIR, Role.VICE_CHAIR},
    Permission.AMEND_SIGNED_OFF: {Role.REVIEWER, Role.SECRETARIAT},
    Permission.VIEW_AUDIT: {Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT},
    Permission.VIEW_EM_LEAD: {Role.ETHNIC_MINORITY_LEAD, Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT},
    Permission.MANAGE_ACTIONS: {Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT, Role.REVIEWER},
    Permission.EDIT_MINUTES: {Role.SECRETARIAT, Role.CHAIR, Role.VICE_CHAIR},
    Permission.APPROVE_MINUTES: {Role.CHAIR, Role.VICE_CHAIR},
    Permission.EXPORT: set(Role) - {Role.OBSERVER},
    Permission.IMPORT_REVIEWS: {Role.SECRETARIAT},
}


def test_every_permission_is_in_the_matrix() -> None:
    assert set(ALLOWED_ROLES) == set(Permission) == set(EXPECTED)


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_matrix_cell(permission: Permission, role: Role) -> None:
    actor = make_actor(role)
    expected = role in EXPECTED[permission]
    assert allows(actor, permission) is expected
    if expected:
        require(actor, permission)
    else:
        with pytest.raises(NotAllowed):
            require(actor, permission)


def test_any_one_role_is_enough() -> None:
    assert allows(make_actor(Role.OBSERVER, Role.SECRETARIAT), Permission.MANAGE_USERS)


def test_no_roles_means_no_access() -> None:
    assert not any(allows(make_actor(), p) for p in Permission)
