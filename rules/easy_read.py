"""The Easy Read checker: sentences of 15 words or fewer, no jargon or acronym left unexplained, and no
identifiers. It runs as the writer works and again on save; a summary with problems is not saved.

The jargon list is the panel's own data (the secretariat edits it), each term with plain words to use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rules.pii import find_identifiers

MAX_WORDS_PER_SENTENCE = 15

# A new panel starts with these; the secretariat can add more. (term, plain words to use instead)
DEFAULT_JARGON: tuple[tuple[str, str], ...] = (
    ("LeDeR", "the programme that learns from the lives and deaths of people with a learning disability"),
    ("ICB", "the care board that plans health services in the area"),
    ("DNACPR", "a decision not to try to restart the heart"),
    ("STOMP", "stopping too much medicine for people with a learning disability"),
    ("aspiration pneumonia", "a chest infection from food or drink going into the lungs"),
    ("SMART", "clear, with a date and a way to check it is done"),
    ("quorum", "enough people at the meeting to make decisions"),
    ("sign-off", "agreeing the review is good enough"),
    ("safeguarding", "keeping people safe from harm"),
    ("psychotropic", "medicine that changes how the mind works"),
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_ACRONYM = re.compile(r"\b[A-Z]{2,}s?\b")
# Acronyms nobody needs explained in Easy Read.
_PLAIN_ACRONYMS = frozenset({"NHS", "GP", "OK", "TV", "UK"})


@dataclass(frozen=True)
class EasyReadIssue:
    kind: str  # "long sentence", "jargon", "acronym", "identifier"
    found: str
    advice: str

    @property
    def message(self) -> str:
        return f"{self.kind.capitalize()}: {self.advice}"


@dataclass(frozen=True)
class EasyReadCheck:
    issues: tuple[EasyReadIssue, ...]
    sentences: int

    @property
    def ok(self) -> bool:
        return not self.issues


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def word_count(sentence: str) -> int:
    return len(_WORD.findall(sentence))


def _explained(text: str, term: str) -> bool:
    """'DNACPR (a decision not to …)' or 'DNACPR means …' count as explained."""
    escaped = re.escape(term)
    return bool(re.search(rf"{escaped}\s*\(|\({escaped}\)|{escaped}\s+(means|is short for)\b", text, re.IGNORECASE))


def _long_sentences(text: str) -> list[EasyReadIssue]:
    issues = []
    for sentence in sentences_of(text):
        words = word_count(sentence)
        if words > MAX_WORDS_PER_SENTENCE:
            start = " ".join(sentence.split()[:6])
            issues.append(EasyReadIssue("long sentence", sentence,
                                        f"'{start} …' has {words} words. Use {MAX_WORDS_PER_SENTENCE} or fewer: "
                                        "split it into two sentences."))
    return issues


def _jargon(text: str, jargon: Iterable[tuple[str, str]]) -> list[EasyReadIssue]:
    issues = []
    for term, plain in jargon:
        if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE) and not _explained(text, term):
            issues.append(EasyReadIssue("jargon", term, f"'{term}' is jargon. Say: {plain}."))
    return issues


def _acronyms(text: str, already: set[str]) -> list[EasyReadIssue]:
    issues = []
    for acronym in dict.fromkeys(_ACRONYM.findall(text)):
        bare = acronym.rstrip("s") if acronym.endswith("s") and acronym[:-1].isupper() else acronym
        if bare in _PLAIN_ACRONYMS or bare.casefold() in already or _explained(text, bare):
            continue
        issues.append(EasyReadIssue("acronym", bare, f"'{bare}' is not explained. Write it in full words, or "
                                                     f"explain it: '{bare} means …'."))
    return issues


def check_easy_read(text: str, jargon: Iterable[tuple[str, str]] = DEFAULT_JARGON) -> EasyReadCheck:
    """Every problem in words, in the order a writer would fix them."""
    terms = list(jargon)
    jargon_issues = _jargon(text, terms)
    flagged = {issue.found.casefold() for issue in jargon_issues}
    identifiers = [EasyReadIssue("identifier", i.found, i.message) for i in find_identifiers(text)]
    issues = identifiers + _long_sentences(text) + jargon_issues + _acronyms(text, flagged)
    return EasyReadCheck(issues=tuple(issues), sentences=len(sentences_of(text)))
