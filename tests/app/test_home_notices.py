"""The home page's "What needs you" through AppTest: worded for each person, marked read, and the answer
to "will you come?"."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import sign_in


def _text(at: AppTest) -> str:
    """The words shown, with Markdown's escaping taken out ("Can you come\\?" reads "Can you come?")."""
    return " ".join(str(e.value) for e in [*at.markdown, *at.header, *at.success, *at.error]).replace("\\", "")


def test_a_member_sees_what_needs_them_and_marks_one_read(app_env: str) -> None:
    at = sign_in("member2")
    assert not at.exception
    text = _text(at)
    assert "What needs you" in text
    assert "is waiting for your comment before the meeting on" in text
    marks = [b for b in at.button if b.label == "Mark as read"]
    assert marks
    before = len(marks)
    marks[0].click().run()
    assert any("Marked as read." in s.value for s in at.success), _text(at)
    assert len([b for b in at.button if b.label == "Mark as read"]) == before - 1
    assert any(e.label.startswith("Already read (1)") for e in at.expander)


def test_a_lived_experience_member_reads_easy_read_and_sends_apologies(app_env: str) -> None:
    at = sign_in("lived2")
    text = _text(at)
    assert "Can you come?" in text and "Please tell us what you think about review" in text
    assert "Will you come to the meeting" not in text  # the plain wording is for others
    next(b for b in at.button if b.label == "I cannot come (send apologies)").click().run()
    assert not at.exception
    assert any("Your apologies are sent to the secretariat." in s.value for s in at.success), _text(at)
    assert "Can you come?" not in _text(at)


def test_the_secretariat_with_nothing_waiting_is_told_so(app_env: str) -> None:
    at = sign_in("admin")
    assert "Nothing new needs you." in _text(at)
