"""The SMART check for an action: for each letter, pass, or a plain reason saying what to fix.

Specific, Measurable, Achievable, Relevant, Time-bound, read the NHS way (domain pack, section 8). An action
that fails a letter can still be saved, but only as a draft.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

MIN_SPECIFIC_WORDS = 8
MAX_MONTHS_AHEAD = 12

# Phrases that sound like action but change nothing anyone can check.
VAGUE_PHRASES: tuple[str, ...] = (
    "raise awareness", "consider", "look into", "ensure", "as appropriate", "remind", "where possible",
    "as soon as possible", "improve", "explore", "be aware",
)

# Verbs an action can start with: someone does something that can be seen.
ACTION_VERBS: frozenset[str] = frozenset({
    "add", "adopt", "agree", "appoint", "audit", "book", "brief", "buy", "change", "check", "commission",
    "complete", "create", "deliver", "design", "develop", "embed", "extend", "fund", "give", "hold", "include",
    "introduce", "issue", "measure", "monitor", "offer", "produce", "provide", "publish", "put", "record",
    "replace", "report", "rewrite", "run", "send", "set", "share", "start", "stop", "teach", "test", "train",
    "translate", "update", "use", "visit", "write",
})

# Words that name evidence a panel can ask to see.
EVIDENCE_WORDS = re.compile(r"\b(audit|report|policy|register|minutes|checklist|survey|record|records|data|"
                            r"dashboard|plan|log|certificate|attendance|training list|spreadsheet)\b", re.IGNORECASE)
HAS_NUMBER = re.compile(r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|all|every|each)\b",
                        re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True)
class ActionDraft:
    """The action as written so far: what the builder sends, what the SMART check reads and what is saved."""

    description: str
    measure: str
    owner_name: str
    owner_organisation: str
    owner_agreed: bool
    finding_id: int | None
    due_on: dt.date | None
    priority_id: int | None = None  # the ICB strategic priority it serves, if any
    plan_start: dt.date | None = None  # the linked strategic priority's plan period, if any
    plan_end: dt.date | None = None


@dataclass(frozen=True)
class LetterResult:
    letter: str
    name: str
    passed: bool
    reason: str  # what passes, or what to fix, in words


@dataclass(frozen=True)
class SmartResult:
    letters: tuple[LetterResult, ...]

    @property
    def passed(self) -> bool:
        return all(letter.passed for letter in self.letters)

    @property
    def to_fix(self) -> tuple[LetterResult, ...]:
        return tuple(letter for letter in self.letters if not letter.passed)


def _specific(draft: ActionDraft) -> LetterResult:
    words = _WORD.findall(draft.description)
    vague = next((p for p in VAGUE_PHRASES if re.search(rf"\b{re.escape(p)}\b", draft.description, re.I)), None)
    if not words:
        return LetterResult("S", "Specific", False, "Say what will be done, starting with a verb.")
    if vague:
        return LetterResult("S", "Specific", False, f"'{vague}' is vague: say exactly what will change.")
    if words[0].lower() not in ACTION_VERBS:
        return LetterResult("S", "Specific", False, f"Start with a verb that says what changes, for example "
                                                    f"'Audit', 'Train' or 'Add' (not '{words[0]}').")
    if len(words) < MIN_SPECIFIC_WORDS:
        return LetterResult("S", "Specific", False, f"Say who it is for and what changes: at least "
                                                    f"{MIN_SPECIFIC_WORDS} words (now {len(words)}).")
    return LetterResult("S", "Specific", True, "Starts with a verb and names what changes.")


def _measurable(draft: ActionDraft) -> LetterResult:
    measure = draft.measure.strip()
    if not measure:
        return LetterResult("M", "Measurable", False, "Say how the panel will know it is done.")
    if not (HAS_NUMBER.search(measure) or EVIDENCE_WORDS.search(measure)):
        return LetterResult("M", "Measurable", False, "Give a number, a percentage, a count or the evidence "
                                                      "(for example an audit report).")
    return LetterResult("M", "Measurable", True, "Has a number or named evidence.")


def _achievable(draft: ActionDraft) -> LetterResult:
    if not draft.owner_name.strip() or not draft.owner_organisation.strip():
        return LetterResult("A", "Achievable", False, "Name the owner and their organisation.")
    if not draft.owner_agreed:
        return LetterResult("A", "Achievable", False, "The owner has not agreed yet.")
    return LetterResult("A", "Achievable", True, "The owner has agreed.")


def _relevant(draft: ActionDraft) -> LetterResult:
    if draft.finding_id is None:
        return LetterResult("R", "Relevant", False, "Link it to the area of learning or concern it answers.")
    return LetterResult("R", "Relevant", True, "Answers a finding of the review.")


def _time_bound(draft: ActionDraft, today: dt.date) -> LetterResult:
    if draft.due_on is None:
        return LetterResult("T", "Time-bound", False, "Give a due date.")
    if draft.due_on <= today:
        return LetterResult("T", "Time-bound", False, "The due date must be in the future.")
    if draft.plan_end is not None and not (draft.plan_start or draft.due_on) <= draft.due_on <= draft.plan_end:
        return LetterResult("T", "Time-bound", False, f"The due date must fall within the plan period "
                                                      f"(to {draft.plan_end:%d %B %Y}).")
    if draft.plan_end is None and draft.due_on > today + relativedelta(months=MAX_MONTHS_AHEAD):
        return LetterResult("T", "Time-bound", False, f"Set a date at most {MAX_MONTHS_AHEAD} months ahead, "
                                                      "with progress back to the panel.")
    return LetterResult("T", "Time-bound", True, f"Due {draft.due_on.day} {draft.due_on:%B %Y}.")


def check_smart(draft: ActionDraft, *, today: dt.date) -> SmartResult:
    return SmartResult((_specific(draft), _measurable(draft), _achievable(draft), _relevant(draft),
                        _time_bound(draft, today)))
