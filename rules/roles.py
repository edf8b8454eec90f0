"""Role names as people say them. The Role enum itself lives with the models."""

from __future__ import annotations

from rules.vocabulary import Role

__all__ = ["ROLE_LABELS", "Role", "describe_roles", "parse_role", "role_label"]

ROLE_LABELS: dict[Role, str] = {
    Role.CHAIR: "Chair",
    Role.VICE_CHAIR: "Vice chair",
    Role.PANEL_MEMBER: "Panel member",
    Role.LIVED_EXPERIENCE_MEMBER: "Lived-experience member",
    Role.ETHNIC_MINORITY_LEAD: "Ethnic minority lead",
    Role.REVIEWER: "Reviewer",
    Role.SECRETARIAT: "Secretariat",
    Role.OBSERVER: "Observer",
}


def role_label(role: Role) -> str:
    return ROLE_LABELS[role]


def parse_role(text: str) -> Role:
    """Accept 'lived_experience_member', 'Lived-experience member' or similar; Invalid otherwise."""
    from rules.errors import Invalid

    wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
    for role in Role:
        if wanted in (role.value, role_label(role).lower().replace("-", "_").replace(" ", "_")):
            return role
    choices = ", ".join(r.value for r in Role)
    raise Invalid(f"'{text}' is not a role. Choose one of: {choices}.")


def describe_roles(roles: frozenset[Role] | tuple[Role, ...]) -> str:
    """'Chair, Secretariat' in the panel's usual order, for captions and tables."""
    return ", ".join(role_label(r) for r in sorted(roles, key=list(Role).index))
