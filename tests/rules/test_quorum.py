"""Quorum: every part of the rule, recusal, deputies, and who never counts."""

from __future__ import annotations

import pytest

from rules.quorum import Attendee, QuorumRule, check_quorum
from rules.vocabulary import Role

RULE = QuorumRule(min_voting_members=4, require_chair_or_vice=True, min_lived_experience=1,
                  require_ethnic_minority_lead=True)


def person(user_id: int, *roles: Role, present: bool = True, recused: bool = False,
           deputising: tuple[Role, ...] = ()) -> Attendee:
    return Attendee(user_id=user_id, roles=frozenset(roles), present=present, recused=recused,
                    deputising_for_roles=frozenset(deputising))


def full_panel() -> list[Attendee]:
    return [
        person(1, Role.CHAIR),
        person(2, Role.PANEL_MEMBER),
        person(3, Role.LIVED_EXPERIENCE_MEMBER),
        person(4, Role.ETHNIC_MINORITY_LEAD),
    ]


def test_full_panel_is_quorate() -> None:
    result = check_quorum(RULE, full_panel())
    assert result.quorate
    assert result.summary == "Quorate: yes (4 voting members present)"


def test_too_few_voting_members() -> None:
    panel = [*full_panel()[:3], person(4, Role.ETHNIC_MINORITY_LEAD, present=False)]
    result = check_quorum(QuorumRule(min_voting_members=4, require_ethnic_minority_lead=False), panel)
    assert not result.quorate
    assert result.shortfalls == ("3 voting members present, 4 needed",)


def test_no_lived_experience_member_is_said_in_words() -> None:
    panel = [person(1, Role.CHAIR), person(2, Role.PANEL_MEMBER), person(5, Role.PANEL_MEMBER),
             person(4, Role.ETHNIC_MINORITY_LEAD), person(3, Role.LIVED_EXPERIENCE_MEMBER, present=False)]
    result = check_quorum(RULE, panel)
    assert result.summary == "Not quorate: no lived-experience member present"


def test_minimum_lived_experience_members_is_configurable() -> None:
    rule = QuorumRule(min_voting_members=4, min_lived_experience=2)
    assert check_quorum(rule, full_panel()).shortfalls == ("1 lived-experience member present, 2 needed",)


def test_chair_or_vice_chair_needed() -> None:
    panel = [person(1, Role.CHAIR, present=False), *full_panel()[1:], person(9, Role.PANEL_MEMBER)]
    assert check_quorum(RULE, panel).shortfalls == ("no chair or vice chair present",)
    panel.append(person(10, Role.VICE_CHAIR))
    assert check_quorum(RULE, panel).quorate


def test_ethnic_minority_lead_or_deputy_needed() -> None:
    panel = [*full_panel()[:3], person(4, Role.ETHNIC_MINORITY_LEAD, present=False), person(8, Role.PANEL_MEMBER)]
    assert check_quorum(RULE, panel).shortfalls == ("neither the ethnic minority lead nor their deputy is present",)
    deputy = person(9, Role.PANEL_MEMBER, deputising=(Role.ETHNIC_MINORITY_LEAD,))
    assert check_quorum(RULE, [*panel, deputy]).quorate


def test_a_deputy_from_outside_the_panel_counts_as_the_member() -> None:
    panel = [*full_panel()[:3], person(4, Role.ETHNIC_MINORITY_LEAD, present=False),
             person(9, deputising=(Role.ETHNIC_MINORITY_LEAD,))]
    assert check_quorum(RULE, panel).quorate


def test_recused_members_do_not_count_for_that_item() -> None:
    panel = full_panel()
    panel[2] = person(3, Role.LIVED_EXPERIENCE_MEMBER, recused=True)
    result = check_quorum(RULE, panel)
    assert not result.quorate
    assert "no lived-experience member present" in result.shortfalls
    assert "3 voting members present, 4 needed" in result.shortfalls


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.REVIEWER, Role.SECRETARIAT])
def test_observers_and_people_in_attendance_never_count(role: Role) -> None:
    panel = [*full_panel()[:3], person(7, role)]
    result = check_quorum(QuorumRule(min_voting_members=4, require_ethnic_minority_lead=False), panel)
    assert result.voting_present == 3 and not result.quorate


def test_each_person_counts_once_whatever_their_roles() -> None:
    panel = [person(1, Role.CHAIR, Role.PANEL_MEMBER, Role.LIVED_EXPERIENCE_MEMBER, Role.ETHNIC_MINORITY_LEAD)]
    assert check_quorum(RULE, panel).voting_present == 1


def test_a_relaxed_rule_can_be_met_by_a_small_panel() -> None:
    rule = QuorumRule(min_voting_members=1, require_chair_or_vice=False, min_lived_experience=0,
                      require_ethnic_minority_lead=False)
    assert check_quorum(rule, [person(2, Role.PANEL_MEMBER)]).quorate


def test_a_quorate_item_says_which_roles_made_it_so() -> None:
    result = check_quorum(RULE, [*full_panel(), person(5, Role.PANEL_MEMBER), person(6, Role.LIVED_EXPERIENCE_MEMBER)])
    assert result.made_by == ("the chair", "2 lived-experience members", "the ethnic minority lead")
    assert result.roles_in_words == ("6 voting members present, including the chair, 2 lived-experience members "
                                     "and the ethnic minority lead")


def test_a_vice_chair_and_a_deputy_are_named_as_what_they_are() -> None:
    panel = [person(1, Role.VICE_CHAIR), person(2, Role.PANEL_MEMBER), person(3, Role.LIVED_EXPERIENCE_MEMBER),
             person(9, Role.PANEL_MEMBER, deputising=(Role.ETHNIC_MINORITY_LEAD,))]
    assert check_quorum(RULE, panel).made_by == ("the vice chair", "a lived-experience member",
                                                 "the ethnic minority lead's deputy")


def test_only_the_roles_the_rule_asks_for_are_named() -> None:
    rule = QuorumRule(min_voting_members=2, require_chair_or_vice=False, min_lived_experience=0,
                      require_ethnic_minority_lead=False)
    result = check_quorum(rule, full_panel())
    assert result.made_by == () and result.roles_in_words == "4 voting members present"


def test_a_panel_that_is_not_quorate_names_no_roles_as_making_it_so() -> None:
    result = check_quorum(RULE, full_panel()[:3])
    assert not result.quorate and result.made_by == ()
