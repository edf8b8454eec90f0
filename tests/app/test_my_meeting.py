"""'My meeting' and the reading settings through AppTest: a lived-experience member reads the Easy Read
summary and says what they think; empty answers are explained in words; settings are saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page


def _shown(markdown: str) -> str:
    """Markdown as read on screen: typed text is backslash-escaped so that it can never become a link."""
    return markdown.replace("\\", "")


def _open_review(at: AppTest, reference_end: str) -> AppTest:
    next(b for b in at.button if b.label.startswith("Read about review") and b.label.endswith(reference_end)).click()
    return at.run()


def test_a_member_reads_the_easy_read_summary_and_says_what_they_think(
    signed_in: Callable[[str], AppTest],
) -> None:
    at = _open_review(open_page(signed_in("lived2"), "my-meeting"), "0110")
    assert not at.exception
    assert [h.value for h in at.header][:2] == ["The next meeting", "Reviews at this meeting"]
    assert any("This review is about a man who lived in a nursing home." in _shown(m.value) for m in at.markdown)
    send = next(b for b in at.button if b.label == "Send what I think")
    send.click()
    at.run()
    assert any("Choose one: I agree, I am not sure, or I am worried" in e.value for e in at.error)
    feeling = next(r for r in at.radio if r.label == f"What do you think about review LDR-{dt.date.today().year}-0110?")
    feeling.set_value(feeling.options[2])  # the third answer: I am worried
    next(t for t in at.text_area if t.label.startswith("Say why")).input("Nobody told the ward how he talks.")
    next(c for c in at.checkbox if c.label == "Someone helped me").check()
    next(t for t in at.text_input if t.label.startswith("The name of the person")).input("Pat")
    next(b for b in at.button if b.label == "Send what I think").click()
    at.run()
    assert not at.exception
    assert any("We have saved what you think" in s.value for s in at.success)
    at = _open_review(at, "0110")
    assert any("You said:** I am worried. Nobody told the ward how he talks. (Pat helped you.)" in _shown(m.value)
               for m in at.markdown)


def test_reading_settings_are_saved_and_applied(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("lived"), "reading")
    next(c for c in at.checkbox if c.label == "Larger text").check()
    next(b for b in at.button if b.label == "Save my reading settings").click()
    at.run()
    assert any("Your reading settings are saved" in s.value for s in at.success)
    styles = " ".join(str(getattr(h, "proto", "")) for h in at.get("html"))
    assert "font-size: 25px" in styles
