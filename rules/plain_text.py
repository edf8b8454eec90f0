"""Free text typed by people (reasons, supporter names, amended findings): checked the same way everywhere."""

from __future__ import annotations

import unicodedata

from rules.errors import Invalid
from rules.limits import MAX_REASON_CHARS
from rules.pii import refuse_probable_nhs_numbers


def clean_text(text: str, *, what: str = "The reason", limit: int = MAX_REASON_CHARS) -> str:
    """Plain text only: control characters would break the Word minutes, so they are refused, not stripped.
    A probable NHS number is refused too (the personal-data guard); other identifiers are warned about by
    the form after the save, with `personal_data_warnings`."""
    # U+FFFE and U+FFFF are not characters at all (Word cannot hold them): dropped, not refused.
    value = unicodedata.normalize("NFKC", text).replace("\ufffe", "").replace("\uffff", "").strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise Invalid(f"{what} has hidden control characters. Type it again rather than pasting it.")
    if len(value) > limit:
        raise Invalid(f"{what} is too long: at most {limit} characters.")
    refuse_probable_nhs_numbers(value, what=what)
    return value
