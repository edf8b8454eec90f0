"""The personal-data guard: spotting identifiers in free text before it is saved or exported. Reviews are
pseudonymised, so none of these belongs in a summary, comment, minute or action.

- A 10-digit number whose last digit passes the NHS modulus-11 check is probably an NHS number: the save
  is refused, and the message says what was found and where (the form keeps the words typed).
- Other 10-digit numbers, postcodes, dates of birth, titled names ("Mrs Jones"), street addresses, email
  addresses and phone numbers are warned about: the words are saved and the writer is asked to check.
- Exports (minutes, Easy Read minutes) refuse anything found at all.

A pattern check cannot prove text is anonymous; it catches the common slips and says what it found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rules.errors import Invalid

_NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_FULL_DATE = re.compile(
    rf"\b(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\.?\s+\d{{4}})\b", re.IGNORECASE)
_ADDRESS = re.compile(r"\b\d{1,4}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}"
                      r"(Road|Rd|Street|St|Lane|Avenue|Ave|Close|Drive|Way|Crescent|Gardens|Court|Place)\b")
_DATE_OF_BIRTH = re.compile(r"\b(born|date of birth|d\.?o\.?b\.?)\b[^.]{0,25}\d", re.IGNORECASE)
_TITLED_NAME = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
# UK phone numbers: 01…/02…/03…/07… with 9 or 10 more digits, or +44, spaces and dashes allowed.
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?|0)(?:\s?-?\d){9,10}(?!\d)")
NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Identifier:
    kind: str
    found: str
    advice: str
    blocks: bool = False  # True: the save is refused; False: saved, with a warning

    @property
    def message(self) -> str:
        return f"'{self.found}' looks like {self.kind}. {self.advice}"


def nhs_check_digit_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check: weights 10 to 2 on the first nine digits; 11 minus the remainder
    is the check digit (11 counts as 0, 10 is never valid)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits, NHS_WEIGHTS, strict=False)) % 11
    check = 11 - remainder
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _ten_digit_numbers(text: str) -> list[Identifier]:
    found = []
    for match in _NHS_NUMBER.finditer(text):
        if nhs_check_digit_valid("".join(match.groups())):
            found.append(Identifier("an NHS number", match.group(0), "Use the review reference instead.", blocks=True))
        else:
            found.append(Identifier("a 10-digit number, perhaps an NHS number", match.group(0),
                                    "If it identifies someone, take it out."))
    return found


def find_identifiers(text: str, *, full_dates: bool = True) -> list[Identifier]:
    """Everything in `text` that looks like it could identify the person who died or their family.
    `full_dates=False` lets meeting and due dates through (minutes need them); a date of birth never passes."""
    found: list[Identifier] = []
    for match in _DATE_OF_BIRTH.finditer(text):
        found.append(Identifier("a date of birth", match.group(0), "Use the age band instead."))
    found.extend(_ten_digit_numbers(text))
    for match in _POSTCODE.finditer(text):
        found.append(Identifier("a postcode", match.group(0), "Say the kind of place, not where it is."))
    for match in _FULL_DATE.finditer(text) if full_dates else ():
        found.append(Identifier("a full date", match.group(0),
                                "A full date can identify someone: say the month and year only."))
    for match in _ADDRESS.finditer(text):
        found.append(Identifier("an address", match.group(0), "Say the kind of place, not its address."))
    for match in _TITLED_NAME.finditer(text):
        found.append(Identifier("a person's name", match.group(0), "Say their role instead, like 'the GP'."))
    for match in _EMAIL.finditer(text):
        found.append(Identifier("an email address", match.group(0), "Take it out: say who to contact by role."))
    for match in _PHONE.finditer(text):
        if not _NHS_NUMBER.fullmatch(match.group(0).strip()):  # already said as a 10-digit number
            found.append(Identifier("a phone number", match.group(0), "Take it out: say who to contact by role."))
    return found


def refuse_probable_nhs_numbers(text: str, *, what: str) -> None:
    """The one hard stop for typed text: a number that passes the NHS check digit is not saved."""
    blocking = [hit for hit in find_identifiers(text, full_dates=False) if hit.blocks]
    if blocking:
        raise Invalid(f"{what} was not saved: " + " ".join(hit.message for hit in blocking[:3])
                      + " Your words are still in the box.")


def personal_data_warnings(fields: Mapping[str, str]) -> list[str]:
    """What to ask the writer to check after a save, each with where it was found ("In 'The comment': …")."""
    return [f"In '{where}': {hit.message}"
            for where, text in fields.items() if text for hit in find_identifiers(text, full_dates=False)
            if not hit.blocks]
