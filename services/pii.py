"""Spotting identifiers in free text before it is saved: NHS numbers, postcodes, full dates, street
addresses and titled names. Reviews are pseudonymised, so none of these belongs in a summary or comment.

A pattern check cannot prove text is anonymous; it catches the common slips and says what it found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_FULL_DATE = re.compile(
    rf"\b(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\.?\s+\d{{4}})\b", re.IGNORECASE)
_ADDRESS = re.compile(r"\b\d{1,4}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}"
                      r"(Road|Rd|Street|St|Lane|Avenue|Ave|Close|Drive|Way|Crescent|Gardens|Court|Place)\b")
_DATE_OF_BIRTH = re.compile(r"\b(born|date of birth|d\.?o\.?b\.?)\b[^.]{0,25}\d", re.IGNORECASE)
_TITLED_NAME = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][a-z]+")


@dataclass(frozen=True)
class Identifier:
    kind: str
    found: str
    advice: str

    @property
    def message(self) -> str:
        return f"'{self.found}' looks like {self.kind}. {self.advice}"


def find_identifiers(text: str, *, full_dates: bool = True) -> list[Identifier]:
    """Everything in `text` that looks like it could identify the person who died or their family.
    `full_dates=False` lets meeting and due dates through (minutes need them); a date of birth never passes."""
    found: list[Identifier] = []
    for match in _DATE_OF_BIRTH.finditer(text):
        found.append(Identifier("a date of birth", match.group(0), "Use the age band instead."))
    for match in _NHS_NUMBER.finditer(text):
        found.append(Identifier("an NHS number", match.group(0), "Use the review reference instead."))
    for match in _POSTCODE.finditer(text):
        found.append(Identifier("a postcode", match.group(0), "Say the kind of place, not where it is."))
    for match in _FULL_DATE.finditer(text) if full_dates else ():
        found.append(Identifier("a full date", match.group(0),
                                "A full date can identify someone: say the month and year only."))
    for match in _ADDRESS.finditer(text):
        found.append(Identifier("an address", match.group(0), "Say the kind of place, not its address."))
    for match in _TITLED_NAME.finditer(text):
        found.append(Identifier("a person's name", match.group(0), "Say their role instead, like 'the GP'."))
    return found
