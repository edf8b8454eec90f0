"""Quorum, per agenda item. The rule is panel configuration (it is not set nationally), never a constant.

Who counts: a present voting member who is not recused from the item. A deputy standing in for an absent
member counts with that member's roles as well as their own. Observers and people in attendance (the
presenting reviewer, the secretariat) never count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rules.formatting import plural
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
    # How a member is counted, in words: "present" at a meeting, "responded" to a circulation.
    presence: str = "present"


def circulation_rule(panel_rule: QuorumRule, min_responses: int) -> QuorumRule:
    """A decision by circulation needs the answers the chair asked for, from among them the panel's quorum
    roles (a lived-experience member, the ethnic minority lead). The chair who sent it need not answer."""
    return QuorumRule(min_voting_members=min_responses, require_chair_or_vice=False,
                      min_lived_experience=panel_rule.min_lived_experience,
                      require_ethnic_minority_lead=panel_rule.require_ethnic_minority_lead, presence="responded")


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
    made_by: tuple[str, ...] = ()  # the roles the rule asks for, as present: "the chair", "the ethnic minority lead"
    presence: str = "present"

    @property
    def counted(self) -> str:
        """'6 voting members present', '1 voting member responded'."""
        return f"{plural(self.voting_present, 'voting member')} {self.presence}"

    @property
    def summary(self) -> str:
        """'Quorate: yes (6 voting members present)' or 'Not quorate: no lived-experience member present'."""
        if self.quorate:
            return f"Quorate: yes ({self.counted})"
        return "Not quorate: " + "; ".join(self.shortfalls)

    @property
    def recorded(self) -> str:
        """What is stored with an item, a vote and a decision, and printed in the minutes: the summary and,
        when quorate, which roles made it so."""
        return f"{self.summary}, including {self.made_by_in_words}" if self.quorate and self.made_by else self.summary

    @property
    def roles_in_words(self) -> str:
        """Which roles made it quorate: '6 voting members present, including the chair, a lived-experience
        member and the ethnic minority lead' (the minutes say so for each item)."""
        return f"{self.counted}, including {self.made_by_in_words}" if self.made_by else self.counted

    @property
    def made_by_in_words(self) -> str:
        """'the chair, a lived-experience member and the ethnic minority lead'; empty if none."""
        if len(self.made_by) <= 1:
            return "".join(self.made_by)
        return ", ".join(self.made_by[:-1]) + " and " + self.made_by[-1]


def is_voting_member(roles: Iterable[Role]) -> bool:
    return bool(set(roles) & VOTING_ROLES)


def _chair_present(counted: list[Attendee]) -> str | None:
    for role, words in ((Role.CHAIR, "the chair"), (Role.VICE_CHAIR, "the vice chair")):
        if any(role in a.effective_roles for a in counted):
            return words
    return None


def _em_lead_present(counted: list[Attendee]) -> str | None:
    leads = [a for a in counted if Role.ETHNIC_MINORITY_LEAD in a.effective_roles]
    if any(Role.ETHNIC_MINORITY_LEAD in a.roles for a in leads):
        return "the ethnic minority lead"
    return "the ethnic minority lead's deputy" if leads else None


def check_quorum(rule: QuorumRule, attendees: Iterable[Attendee]) -> QuorumResult:
    """Quorate or not, every shortfall in words, and which of the roles the rule asks for were present."""
    counted = [a for a in attendees if a.counts]
    shortfalls: list[str] = []
    made_by: list[str] = []
    presence = rule.presence
    if len(counted) < rule.min_voting_members:
        shortfalls.append(f"{plural(len(counted), 'voting member')} {presence}, {rule.min_voting_members} needed")
    chair = _chair_present(counted)
    if rule.require_chair_or_vice:
        if chair is None:
            shortfalls.append("no chair or vice chair present")
        else:
            made_by.append(chair)
    lived = sum(1 for a in counted if Role.LIVED_EXPERIENCE_MEMBER in a.effective_roles)
    if lived < rule.min_lived_experience:
        shortfalls.append(
            f"no lived-experience member {presence}" if lived == 0
            else f"{plural(lived, 'lived-experience member')} {presence}, {rule.min_lived_experience} needed"
        )
    elif rule.min_lived_experience > 0:
        made_by.append("a lived-experience member" if lived == 1 else f"{lived} lived-experience members")
    em_lead = _em_lead_present(counted)
    if rule.require_ethnic_minority_lead:
        if em_lead is None:
            shortfalls.append("neither the ethnic minority lead nor their deputy is present" if presence == "present"
                              else f"the ethnic minority lead has not {presence}")
        else:
            made_by.append(em_lead)
    return QuorumResult(quorate=not shortfalls, voting_present=len(counted), shortfalls=tuple(shortfalls),
                        made_by=tuple(made_by) if not shortfalls else (), presence=presence)
