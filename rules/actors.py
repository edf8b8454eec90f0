"""Who is acting: the signed-in person, their panel, ICB and roles, as a plain value every rule can take."""

from __future__ import annotations

from dataclasses import dataclass

from rules.vocabulary import Role


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    name: str
    panel_id: int
    panel_name: str
    icb_id: int
    icb_name: str
    roles: frozenset[Role]

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))
