"""Signed out, every address shows the sign-in form and nothing else, even on a server's first request.

Streamlit's old multipage mode served any file in pages/ at /<file name> without running app.py's
sign-in. So every st.navigation url path and every pages/ file name is requested, plus "/". The first
request goes to a brand-new server (no session has called st.navigation yet), and every request uses a
new browser context (no cookies).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import (
    ALL_PAGES,
    ANY_REF,
    LEGACY_PAGE_PATHS,
    VIEWPORT,
    WAIT_MS,
    WELCOME,
    expect_sign_in_form,
    wait_ready,
)

pytestmark = pytest.mark.browser

# The most sensitive page first: it is the one that reaches the server before any st.navigation call.
# Then every st.navigation url path, every pages/ file name (the old multipage addresses) and "/".
PATHS = list(dict.fromkeys(["people", "reviews", *(p.url_path for p in ALL_PAGES), *LEGACY_PAGE_PATHS, ""]))


def _shows_only_sign_in(page: Page) -> None:
    expect_sign_in_form(page)
    wait_ready(page)
    expect(page).to_have_title("Sign in", timeout=WAIT_MS)
    expect(page.get_by_text(WELCOME)).to_have_count(0)
    for app_page in ALL_PAGES:
        expect(page.get_by_role("heading", name=app_page.title, exact=True)).to_have_count(0)
    expect(page.locator("table")).to_have_count(0)
    expect(page.get_by_text(ANY_REF)).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNavLink")).to_have_count(0)
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect_sign_in_form(page)  # still there after the follow-up run


def test_every_address_shows_only_the_sign_in_form(fresh_server: str, browser: Browser) -> None:
    for path in PATHS:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            assert context.cookies() == []
            page = context.new_page()
            page.goto(f"{fresh_server}/{path}")
            try:
                _shows_only_sign_in(page)
            except AssertionError as error:
                raise AssertionError(f"signed out, /{path} showed more than the sign-in form: {error}") from error
        finally:
            context.close()
