"""The unexpected gets a friendly page: a sentence with a reference to quote, never a traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

import pages.minutes
from tests.app.conftest import open_page


def test_an_unexpected_error_shows_words_and_a_reference(signed_in: Callable[[str], AppTest],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database exploded at /srv/secret/path")

    monkeypatch.setattr(pages.minutes, "meeting_list", broken)
    at = open_page(signed_in("admin"), "minutes")
    assert not at.exception
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and messages[0].startswith("Something went wrong and nothing was saved.")
    assert "reference" in messages[0] and "exploded" not in messages[0] and "/srv" not in messages[0]
