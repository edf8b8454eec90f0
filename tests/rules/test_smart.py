"""The SMART check, table-driven: weak and good actions, each letter failing for its own plain reason."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from rules.smart import ActionDraft, check_smart

TODAY = dt.date(2026, 12, 7)
GOOD = ActionDraft(
    description="Audit seizure plans for all 40 people with epilepsy in Provider Y's homes and report the share",
    measure="Audit report showing the share of people with a current seizure plan",
    owner_name="ICB epilepsy nurse", owner_organisation="Northshire ICB (fictional)", owner_agreed=True,
    finding_id=7, due_on=dt.date(2027, 4, 30),
)


def _with(**changes: object) -> ActionDraft:
    return dataclasses.replace(GOOD, **changes)


# (what is written, the letter that fails, words in the reason)
WEAK: list[tuple[ActionDraft, str, str]] = [
    (_with(description="Raise awareness of sepsis."), "S", "'raise awareness' is vague"),
    (_with(description="Nurses will train staff in all twelve homes to spot sepsis early"), "S", "not 'Nurses'"),
    (_with(description="Train staff to raise awareness of sepsis in all homes in the area"), "S", "'raise awareness'"),
    (_with(description="Consider a new eating and drinking plan for everyone in supported living"), "S",
     "'consider' is vague"),
    (_with(description="Check things and look into the handover between the two providers"), "S",
     "'look into' is vague"),
    (_with(description="Update the policy and ensure staff follow it in every home"), "S", "'ensure' is vague"),
    (_with(description="Train staff."), "S", "at least 8 words (now 2)"),
    (_with(description="Staff should be trained on sepsis soft signs in all twelve homes"), "S", "not 'Staff'"),
    (_with(description="Add a check as appropriate to the outing checklist in every home"), "S",
     "'as appropriate'"),
    (_with(description=""), "S", "Say what will be done"),
    (_with(measure=""), "M", "Say how the panel will know"),
    (_with(measure="Staff feel more confident"), "M", "Give a number"),
    (_with(measure="Better care"), "M", "Give a number"),
    (_with(owner_agreed=False), "A", "not agreed yet"),
    (_with(owner_name=""), "A", "Name the owner"),
    (_with(owner_organisation="  "), "A", "Name the owner and their organisation"),
    (_with(finding_id=None), "R", "Link it to the area of learning or concern"),
    (_with(due_on=None), "T", "Give a due date"),
    (_with(due_on=TODAY), "T", "must be in the future"),
    (_with(due_on=dt.date(2026, 1, 1)), "T", "must be in the future"),
    (_with(due_on=dt.date(2028, 6, 1)), "T", "at most 12 months ahead"),
    (_with(due_on=dt.date(2028, 6, 1), plan_start=dt.date(2025, 4, 1), plan_end=dt.date(2028, 3, 31)), "T",
     "within the plan period"),
]

GOOD_ONES: list[ActionDraft] = [
    GOOD,
    _with(description="Train staff in the 12 supported-living homes to use a sepsis soft-signs tool",
          measure="Training list: 90% of staff trained by the due date"),
    _with(description="Add a rescue-medicine check to the outing checklist in every residential home",
          measure="The updated checklist, and 3 spot checks a month"),
    _with(description="Translate the review summary for the family into their first language and send it",
          measure="A record that the translated copy was sent"),
    _with(description="Publish an easy read bowel screening letter for everyone on the learning disability register",
          measure="Screening uptake rises from 40% to 60% in the quarterly data"),
    _with(due_on=dt.date(2027, 12, 1), plan_start=dt.date(2025, 4, 1), plan_end=dt.date(2028, 3, 31)),
]


@pytest.mark.parametrize(("draft", "letter", "words"), WEAK)
def test_weak_actions_fail_one_letter_with_a_plain_reason(draft: ActionDraft, letter: str, words: str) -> None:
    result = check_smart(draft, today=TODAY)
    assert [r.letter for r in result.to_fix] == [letter]
    assert words in result.to_fix[0].reason
    assert not result.passed


@pytest.mark.parametrize("draft", GOOD_ONES)
def test_good_actions_pass_every_letter(draft: ActionDraft) -> None:
    result = check_smart(draft, today=TODAY)
    assert result.passed, [r.reason for r in result.to_fix]
    assert [r.letter for r in result.letters] == ["S", "M", "A", "R", "T"]


def test_an_empty_action_says_what_to_do_for_every_letter() -> None:
    empty = ActionDraft(description="", measure="", owner_name="", owner_organisation="", owner_agreed=False,
                        finding_id=None, due_on=None)
    assert [r.letter for r in check_smart(empty, today=TODAY).to_fix] == ["S", "M", "A", "R", "T"]
