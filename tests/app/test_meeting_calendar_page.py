"""Calendar invites on the Meetings and home pages through AppTest: a member downloads one, the secretariat
cancels a meeting and the download becomes the cancellation."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page, sign_in


def _downloads(at: AppTest) -> list[object]:
    return list(at.get("download_button"))


def test_a_member_finds_the_invite_on_the_home_page(app_env: str) -> None:
    at = sign_in("member")
    assert not at.exception
    labels = [d.proto.label for d in _downloads(at)]  # type: ignore[attr-defined]
    assert any(label.startswith("Add to my calendar: the invite for ") for label in labels), labels


def test_the_secretariat_cancels_a_meeting_and_members_get_the_cancellation(app_env: str) -> None:
    at = open_page(sign_in("admin"), "meetings")
    assert not at.exception
    assert "Meetings in your calendar" in [h.value for h in at.header]
    next(t for t in at.text_input if t.label == "Why is it cancelled?").input("Not enough members can come.")
    next(b for b in at.button if b.label == "Cancel the meeting").click().run()
    assert not at.exception
    assert any("The meeting is cancelled." in s.value for s in at.success), [e.value for e in at.error]
    labels = [d.proto.label for d in _downloads(at)]  # type: ignore[attr-defined]
    assert any("the cancellation for" in label for label in labels), labels
    member = open_page(sign_in("member"), "meetings")
    assert any("the cancellation for" in d.proto.label for d in _downloads(member))  # type: ignore[attr-defined]
