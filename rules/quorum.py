"""Quorum, per agenda item. The rule is panel configuration (it is not set nationally), never a constant.

Who counts: a present voting member who is not recused from the item. A deputy standing in for an absent
member counts with that member's roles as well as their own. Observers and people in attendance (the
presenting reviewer, the secretariat) never count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rules.vocabulary import Role

VOTING_ROLES = frozenset(
    {Role.CHAIR, Role.VICE_CHAIR, Role.PANEL_MEMBER, Role.LIVED_EXPERIENCE_MEMBER, Role.ETHNIC_MINORITY_LEAD}
)


@dataclass(frozen=True)
class QuorumRule:
    min_voting_members: int = 5
    require_chair_or_vice: bool = True
    min_lived_experience: int = 1
    require_ethnic_minority_lead: bool = True


@dataclass(frozen=True)
class Attendee:
    user_id: int
    roles: frozenset[Role]
    present: bool
    recused: bool = False
    deputising_for_roles: frozenset[Role] = frozenset()

    @property
    def effective_roles(self) -> frozenset[Role]:
        return self.roles | self.deputising_for_roles

    @property
    def counts(self) -> bool:
        return self.present and not self.recused and bool(self.effective_roles & VOTING_ROLES)


@dataclass(frozen=True)
class QuorumResult:
    quorate: bool
    voting_present: int
    shortfalls: tuple[str, ...]

    @property
    def summary(self) -> str:
        """'Quorate: yes (6 voting members)' or 'Not quorate: no lived-experience member present'."""
        if self.quorate:
            return f"Quorate: yes ({self.voting_present} voting members present)"
        return "Not quorate: " + "; ".join(self.shortfalls)


def is_voting_member(roles: Iterable[Role]) -> bool:
    return bool(set(roles) & VOTING_ROLES)


def check_quorum(rule: QuorumRule, attendees: Iterable[Attendee]) -> QuorumResult:
    counted = [a for a in attendees if a.counts]
    shortfalls: list[str] = []
    if len(counted) < rule.min_voting_members:
        shortfalls.append(f"{len(counted)} voting members present, {rule.min_voting_members} needed")
    if rule.require_chair_or_vice and not any(
        a.effective_roles & {Role.CHAIR, Role.VICE_CHAIR} for a in counted
    ):
        shortfalls.append("no chair or vice chair present")
    lived = sum(1 for a in counted if Role.LIVED_EXPERIENCE_MEMBER in a.effective_roles)
    if lived < rule.min_lived_experience:
        shortfalls.append(
            "no lived-experience member present" if lived == 0
            else f"{lived} lived-experience members present, {rule.min_lived_experience} needed"
        )
    if rule.require_ethnic_minority_lead and not any(
        Role.ETHNIC_MINORITY_LEAD in a.effective_roles for a in counted
    ):
        shortfalls.append("neither the ethnic minority lead nor their deputy is present")
    return QuorumResult(quorate=not shortfalls, voting_present=len(counted), shortfalls=tuple(shortfalls))
