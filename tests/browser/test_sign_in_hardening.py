"""Sign-in hardening in a real browser: a cookie copied before "Log out" no longer signs in anywhere, the
cookie's attributes are what docs/security.md says, and an unknown username reads like a wrong password.

Uses member2, whom no other browser test signs in as, so logging out here ends nobody else's session.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import (
    BAD_LOGIN_MESSAGE,
    VIEWPORT,
    WAIT_MS,
    WELCOME,
    auth_cookie,
    ensure_sidebar_open,
    expect_auth_cookie,
    expect_h1,
    expect_sign_in_form,
    h1,
    nav_titles,
    sign_in,
    submit_sign_in,
    wait_ready,
)

pytestmark = pytest.mark.browser

ACCOUNT = "member2"
ENDED_ELSEWHERE = "You were signed out because this account logged out in another window"


@pytest.fixture
def other_contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def _browser_with(browser: Browser, made: list[BrowserContext], state: dict) -> Page:
    """Another browser holding a copy of the cookies (as if they had been copied off the first one)."""
    context = browser.new_context(viewport=VIEWPORT, storage_state=state)
    context.set_default_timeout(WAIT_MS)
    made.append(context)
    return context.new_page()


def test_a_copied_cookie_stops_working_when_the_person_logs_out(
    page: Page, server: str, browser: Browser, other_contexts: list[BrowserContext]
) -> None:
    sign_in(page, server, ACCOUNT)
    cookie = auth_cookie(page)
    assert cookie is not None
    # What the library's cookie component can and cannot set (docs/security.md, Sign-in).
    assert cookie["sameSite"] == "Strict"
    assert cookie["httpOnly"] is False
    copied = page.context.storage_state()

    holder = _browser_with(browser, other_contexts, copied)
    holder.goto(f"{server}/")
    expect_h1(holder, WELCOME)  # the copy works while the person is signed in
    wait_ready(holder)  # its first rerun comes before the log-out, not after
    expect_h1(holder, WELCOME)

    page.get_by_role("button", name="Log out").click()
    expect_sign_in_form(page)
    wait_ready(page)

    # A browser that opens the app with the copy now gets the sign-in form ...
    late = _browser_with(browser, other_contexts, copied)
    late.goto(f"{server}/")
    expect(h1(late)).to_be_visible(timeout=WAIT_MS)
    wait_ready(late)
    expect_sign_in_form(late)
    expect(late.get_by_text(WELCOME)).to_have_count(0)
    expect_auth_cookie(late, present=False)  # and the refused copy is deleted from that browser

    # ... and the session already open with it ends at its next click.
    ensure_sidebar_open(holder)
    nav_titles(holder).nth(1).click()
    expect_sign_in_form(holder)
    expect(holder.get_by_text(ENDED_ELSEWHERE)).to_be_visible(timeout=WAIT_MS)
    holder.reload()
    expect(h1(holder)).to_be_visible(timeout=WAIT_MS)
    wait_ready(holder)
    expect_sign_in_form(holder)


def test_an_unknown_username_reads_like_a_wrong_password(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    expect_sign_in_form(page)
    submit_sign_in(page, "nobody-by-this-name", "not-the-right-password")
    expect(page.get_by_text(BAD_LOGIN_MESSAGE)).to_be_visible(timeout=WAIT_MS)
    wait_ready(page)
    expect(page.get_by_text(BAD_LOGIN_MESSAGE)).to_be_visible()  # still there after the component's rerun
    expect_sign_in_form(page)
