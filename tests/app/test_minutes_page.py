"""The chair prepares and downloads the held meeting's minutes from the Meetings page."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page


def test_the_chair_prepares_the_minutes_for_download(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("chair"), "meetings")
    assert "Minutes" in [h.value for h in at.header]
    next(b for b in at.button if b.label == "Prepare the minutes as a Word document").click()
    at.run()
    assert not at.exception and not at.error
    buttons = at.get("download_button")
    assert any("Download the minutes (Word)" in str(b.proto) for b in buttons)
