"""The Minutes page: the secretariat writes and circulates, a lived-experience member comments, the chair
approves and locks, and both Word documents are prepared for download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from operations.demo import demo_meeting_month
from rules.vocabulary import MeetingStatus
from tests.app.conftest import open_page

# The app's demo is seeded on the day the tests run, so its meetings' months move with the calendar.
APPROVED = demo_meeting_month(MeetingStatus.MINUTES_APPROVED, seeded_on=dt.date.today())
HELD = demo_meeting_month(MeetingStatus.HELD, seeded_on=dt.date.today())


def _minutes(at: AppTest, meeting_label: str) -> AppTest:
    at = open_page(at, "minutes")
    box = at.selectbox(key="minutes_meeting")
    box.select(next(o for o in box.options if meeting_label in o)).run()
    return at


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def _downloads(at: AppTest) -> list[str]:
    return [str(b.proto.label) for b in at.get("download_button")]


def test_the_chair_downloads_the_approved_minutes_and_the_easy_read_version(
        signed_in: Callable[[str], AppTest]) -> None:
    at = _minutes(signed_in("chair"), APPROVED)
    page = " ".join(m.value for m in at.markdown)
    assert "Approved and locked" in page and "3. Approved and locked (now)" in page
    assert "Version 1" in page
    _click(at, "Prepare the minutes as a Word document")
    _click(at, "Prepare the Easy Read minutes")
    assert not at.error
    assert {"Download the minutes (Word)", "Download the Easy Read minutes (Word)"} <= set(_downloads(at))


def test_from_draft_to_approved_on_the_page(signed_in: Callable[[str], AppTest]) -> None:
    member = _minutes(signed_in("lived"), HELD)
    assert any("secretariat is writing these minutes" in m.value for m in member.markdown)

    admin = _minutes(signed_in("admin"), HELD)
    box = next(t for t in admin.text_area if t.label.startswith("Minute for item 1."))
    box.input("Mr Smith joined the meeting.")
    _click(admin, "Save the minute for item 1")
    assert any("personal data" in e.value for e in admin.error)
    assert next(t for t in admin.text_area if t.label.startswith("Minute for item 1.")).value == \
        "Mr Smith joined the meeting.", "what was typed is kept"
    next(t for t in admin.text_area if t.label.startswith("Minute for item 1.")).input("The chair welcomed members.")
    _click(admin, "Save the minute for item 1")
    assert any("is saved" in s.value for s in admin.success)
    _click(admin, "Circulate the draft to the panel for comment")
    assert any("circulated to the panel" in s.value for s in admin.success)

    member = _minutes(signed_in("lived"), HELD)
    member.text_area(key="minutes_comment_body").input("The families' views are in. Thank you.")
    _click(member, "Send my comment")
    assert any("Your comment is sent" in s.value for s in member.success)

    chair = _minutes(signed_in("chair"), HELD)
    assert any("views are in" in m.value for m in chair.markdown)
    chair.radio[0].set_value(chair.radio[0].options[1])  # "I approve them as chair between meetings"
    _click(chair, "Approve and lock the minutes")
    assert any("approved and locked" in s.value for s in chair.success), [e.value for e in chair.error]
    assert not [t for t in chair.text_area if t.label.startswith("Minute for item")], "locked: no editing"
