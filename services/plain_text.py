"""Free text typed by people (reasons, supporter names, amended findings): checked the same way everywhere."""

from __future__ import annotations

import unicodedata

from services.errors import Invalid

MAX_REASON_CHARS = 2000


def clean_text(text: str, *, what: str = "The reason", limit: int = MAX_REASON_CHARS) -> str:
    """Plain text only: control characters would break the Word minutes, so they are refused, not stripped."""
    value = unicodedata.normalize("NFKC", text).strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise Invalid(f"{what} has hidden control characters. Type it again rather than pasting it.")
    if len(value) > limit:
        raise Invalid(f"{what} is too long: at most {limit} characters.")
    return value
