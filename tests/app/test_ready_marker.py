"""The page's own ready marker (components/ready.py), which the browser tests wait on instead of pausing:
drawn last in every finished run, its number counting the session's runs, on the sign-in form and signed in."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from components.ready import MARKER_CLASS
from tests.app.conftest import fresh_app, open_page, sign_in

MARKER = re.compile(rf'<div class="{MARKER_CLASS}" data-run="(\d+)" data-cookies="(read|waiting)" hidden></div>')


def markers(at: AppTest) -> list[tuple[int, str]]:
    found = [MARKER.fullmatch(h.proto.body) for h in at.get("html")]
    return [(int(m.group(1)), m.group(2)) for m in found if m]


def test_the_sign_in_form_ends_with_the_marker_of_its_first_run(app_env: str) -> None:
    at = fresh_app().run()
    assert not at.exception
    # AppTest has no browser, so the cookie component never reports: one more run is still to come.
    assert markers(at) == [(1, "waiting")]
    assert at.main.children[len(at.main.children) - 1].type == "html"  # the last thing the run drew


def test_each_finished_run_counts_once(app_env: str) -> None:
    """Signing in is two runs (the form, then Home); each page opened after is one more. (That the marker
    turns to "read" once the cookie component reports is seen by every browser test: wait_ready waits on it.)"""
    at = sign_in("chair")
    (signed_in, _), = markers(at)
    open_page(at, "actions")
    assert markers(at) == [(signed_in + 1, "waiting")]
    open_page(at, "meetings")
    assert markers(at) == [(signed_in + 2, "waiting")]
