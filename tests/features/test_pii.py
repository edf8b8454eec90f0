"""The personal-data guard: a probable NHS number (valid modulus-11 check digit) blocks the save and says
where; other identifiers are saved and warned about; exports refuse anything found."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from db.models import FocusedReview, ReviewComment
from db.session import Database
from features.reviews.comments import add_comment
from rules.actors import Actor
from rules.errors import Invalid
from rules.pii import find_identifiers, nhs_check_digit_valid, personal_data_warnings
from rules.plain_text import clean_text

# Fictional numbers, made for these tests: the first three pass the NHS check digit, the rest do not.
VALID_NHS = ("943 476 5919", "9434765919", "401-023-2137")
NOT_NHS = ("9434765918", "1234567890")


@pytest.mark.parametrize("number", VALID_NHS)
def test_a_number_with_a_valid_check_digit_is_probably_an_nhs_number(number: str) -> None:
    hits = find_identifiers(f"Their number was {number}.")
    assert [(h.kind, h.blocks) for h in hits] == [("an NHS number", True)]
    with pytest.raises(Invalid, match=rf"The comment was not saved: '{number}' looks like an NHS number.*still in"):
        clean_text(f"Their number was {number}.", what="The comment")


@pytest.mark.parametrize("number", NOT_NHS)
def test_other_ten_digit_numbers_warn(number: str) -> None:
    hits = find_identifiers(f"Ref {number}")
    assert [(h.kind, h.blocks) for h in hits] == [("a 10-digit number, perhaps an NHS number", False)]
    assert clean_text(f"Ref {number}", what="The note") == f"Ref {number}"


@pytest.mark.parametrize(("digits", "valid"), [
    ("9434765919", True), ("4010232137", True), ("9434765918", False),
    ("1000000010", False),  # the check digit would be 10: never a valid NHS number
    ("123456789", False), ("12345678901", False), ("abcdefghij", False),
])
def test_the_modulus_11_check(digits: str, valid: bool) -> None:
    assert nhs_check_digit_valid(digits) is valid


@pytest.mark.parametrize(("text", "kind"), [
    ("She lived near LS1 4DY.", "a postcode"),
    ("He was born 3 May 1961 in the city.", "a date of birth"),
    ("DOB 03/05/1961", "a date of birth"),
    ("Mrs Jones, his carer, phoned.", "a person's name"),
    ("Dr Patel saw him twice.", "a person's name"),
    ("Write to family.member@example.org", "an email address"),
    ("Ring 07700 900123 after six.", "a phone number"),
    ("The office is on 020 7946 0000.", "a phone number"),
    ("He lived at 14 Orchard Lane with his sister.", "an address"),
])
def test_other_identifiers_warn_and_say_what_and_where(text: str, kind: str) -> None:
    hits = find_identifiers(text, full_dates=False)
    assert kind in {h.kind for h in hits} and not any(h.blocks for h in hits)
    assert clean_text(text, what="The note") == text, "the words are saved"
    warnings = personal_data_warnings({"The note": text, "The reason": "Nothing personal here."})
    assert warnings and all(w.startswith("In 'The note': ") for w in warnings)


def test_plain_text_passes(db: Database) -> None:
    text = "The GP did not make reasonable adjustments. Review LDR-2026-0109, seen in May 2026."
    assert find_identifiers(text, full_dates=False) == [] and personal_data_warnings({"The note": text}) == []


def test_a_comment_with_an_nhs_number_is_not_saved(db: Database, actor: Callable[[str], Actor]) -> None:
    member = actor("lived")
    with db.unit_of_work(read_only=True) as session:
        review_id = session.scalars(select(FocusedReview.id).where(FocusedReview.reference == "LDR-2026-0109")).one()
        before = len(session.scalars(select(ReviewComment.id)).all())
    with pytest.raises(Invalid, match="The comment was not saved: '943 476 5919' looks like an NHS number"), \
            db.unit_of_work() as session:
        add_comment(session=session, actor=member, review_id=review_id, body="His number is 943 476 5919.")
    with db.unit_of_work() as session:
        add_comment(session=session, actor=member, review_id=review_id, body="Mrs Jones said he was happy there.")
    with db.unit_of_work(read_only=True) as session:
        assert len(session.scalars(select(ReviewComment.id)).all()) == before + 1, "the warned one is saved"
