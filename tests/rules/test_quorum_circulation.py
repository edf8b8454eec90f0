"""Quorum for a decision by circulation: answers, not presence; the panel's quorum roles among them; the
chair who sent it need not answer; counts said in the singular when there is one."""

from __future__ import annotations

from rules.quorum import Attendee, QuorumRule, check_quorum, circulation_rule
from rules.vocabulary import Role

PANEL_RULE = QuorumRule(min_voting_members=5, require_chair_or_vice=True, min_lived_experience=1,
                        require_ethnic_minority_lead=True)


def answered(user_id: int, role: Role, responded: bool = True) -> Attendee:
    return Attendee(user_id=user_id, roles=frozenset({role}), present=responded)


def test_the_circulation_rule_takes_the_answers_asked_for_and_keeps_the_quorum_roles() -> None:
    rule = circulation_rule(PANEL_RULE, 3)
    assert (rule.min_voting_members, rule.require_chair_or_vice, rule.min_lived_experience,
            rule.require_ethnic_minority_lead, rule.presence) == (3, False, 1, True, "responded")
    relaxed = circulation_rule(QuorumRule(min_lived_experience=0, require_ethnic_minority_lead=False), 2)
    assert (relaxed.min_lived_experience, relaxed.require_ethnic_minority_lead) == (0, False)


def test_three_answers_with_the_quorum_roles_decide_without_the_chair() -> None:
    result = check_quorum(circulation_rule(PANEL_RULE, 3), [
        answered(1, Role.CHAIR, responded=False), answered(2, Role.PANEL_MEMBER),
        answered(3, Role.LIVED_EXPERIENCE_MEMBER), answered(4, Role.ETHNIC_MINORITY_LEAD)])
    assert result.quorate
    assert result.recorded == ("Quorate: yes (3 voting members responded), including a lived-experience member "
                               "and the ethnic minority lead")


def test_enough_answers_without_the_quorum_roles_do_not_decide() -> None:
    result = check_quorum(circulation_rule(PANEL_RULE, 3), [
        answered(1, Role.CHAIR), answered(2, Role.PANEL_MEMBER), answered(3, Role.VICE_CHAIR),
        answered(4, Role.LIVED_EXPERIENCE_MEMBER, responded=False), answered(5, Role.ETHNIC_MINORITY_LEAD, False)])
    assert not result.quorate
    assert result.shortfalls == ("no lived-experience member responded", "the ethnic minority lead has not responded")


def test_one_answer_is_said_in_the_singular() -> None:
    result = check_quorum(circulation_rule(PANEL_RULE, 3), [answered(1, Role.LIVED_EXPERIENCE_MEMBER)])
    assert result.shortfalls == ("1 voting member responded, 3 needed", "the ethnic minority lead has not responded")
    met = check_quorum(QuorumRule(min_voting_members=1, require_chair_or_vice=False, min_lived_experience=0,
                                  require_ethnic_minority_lead=False), [answered(1, Role.PANEL_MEMBER)])
    assert met.summary == "Quorate: yes (1 voting member present)"
