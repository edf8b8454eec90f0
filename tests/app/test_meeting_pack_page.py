"""The papers on the Meetings page through AppTest: the secretariat prepares both packs with one press and
the page says the papers are circulated, with the date; a member sees no such button."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from rules.formatting import long_date
from tests.app.conftest import open_page, sign_in

PREPARE = "Prepare the meeting pack and the Easy Read pack"


def _download_labels(at: AppTest) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]  # type: ignore[attr-defined]


def test_the_secretariat_prepares_the_packs_and_the_page_says_they_are_circulated(app_env: str) -> None:
    at = open_page(sign_in("admin"), "meetings")
    assert not at.exception
    assert "Papers for members" in [h.value for h in at.subheader]
    assert "Meeting pack (Word)" not in _download_labels(at), "nothing is built before the button is pressed"
    next(b for b in at.button if b.label == PREPARE).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("The papers are marked as circulated." in s.value for s in at.success)
    assert f"Papers circulated on {long_date(dt.date.today())}." in [m.value for m in at.markdown]
    labels = _download_labels(at)
    assert "Meeting pack (Word)" in labels and "Easy Read pack (Word)" in labels


def test_a_member_has_no_papers_button(app_env: str) -> None:
    at = open_page(sign_in("member"), "meetings")
    assert not at.exception
    assert PREPARE not in [b.label for b in at.button]
    assert "Papers for members" not in [h.value for h in at.subheader]
    assert not any("pack" in label for label in _download_labels(at))
