"""Typed text shown inside markdown stays text: no links (javascript: or data:), HTML, directives or LaTeX."""

from __future__ import annotations

import re

import pytest

from components.text import md_text


@pytest.mark.parametrize("typed", [
    "[click me](javascript:alert(1))", "![x](data:image/png;base64,AAAA)", "<script>alert(1)</script>",
    ":red[shouting] :material/warning:", "$x^2$", "# Heading", "**bold** _it_", "<https://example.org>",
])
def test_markdown_in_typed_text_is_escaped(typed: str) -> None:
    shown = md_text(typed)
    assert re.sub(r"\\(.)", r"\1", shown) == typed  # reads exactly as typed
    assert not re.search(r"(?<!\\)[\[\]()<>:$#*_!]", shown)  # every markdown mark is escaped


def test_emoji_and_right_to_left_text_pass_through() -> None:
    assert md_text("I agree 👍 \u200fأوافق") == "I agree 👍 \u200fأوافق"
