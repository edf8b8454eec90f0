"""Each role signs in, sees exactly its pages in the sidebar, can open them and cannot open the others.

Also: a wrong password is explained, "Log out" really signs out (a reload must not sign back in), and one
ICB never sees another ICB's people or reviews. Screenshots of every page at 1280 px and 320 px go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from rules.vocabulary import Role
from tests.browser.axe_scan import AxeScanner
from tests.browser.support import (
    ACCOUNTS_BY_USERNAME,
    BAD_LOGIN_MESSAGE,
    HOME,
    MEETINGS,
    NORTH_REF,
    PEOPLE,
    REVIEWS,
    ROLE_ACCOUNTS,
    SIGN_IN_HEADING,
    SOUTH_REF,
    WAIT_MS,
    WELCOME,
    Account,
    click_nav_link,
    exactly,
    expect_auth_cookie,
    expect_h1,
    expect_sign_in_form,
    h1,
    nav_titles,
    open_page,
    page_label,
    save_screenshots,
    sign_in,
    submit_sign_in,
    wait_ready,
)

pytestmark = pytest.mark.browser


# The agreed access to the first five pages, written out here independently of app.py (whose registry
# the browser checks follow, so that new pages are covered too): who may use which page.
_ALL_ROLES = frozenset(Role)
AGREED_ACCESS: dict[str, frozenset[Role]] = {
    "home": _ALL_ROLES,
    "meetings": _ALL_ROLES,
    "reviews": _ALL_ROLES - {Role.OBSERVER},
    "actions": _ALL_ROLES - {Role.OBSERVER},
    "people": frozenset({Role.SECRETARIAT}),
}


def _expect_not_showing(page: Page, forbidden_title: str) -> None:
    """The app says the page is not available: no heading, tab title or nav link of the forbidden page."""
    expect_h1(page, "Not available")
    wait_ready(page)
    expect(page.get_by_role("heading", name=forbidden_title, exact=True)).to_have_count(0)
    expect(nav_titles(page).filter(has_text=exactly(forbidden_title))).to_have_count(0)
    expect(page).not_to_have_title(forbidden_title)


def test_the_registry_keeps_the_agreed_access() -> None:
    """The pages each demo role gets from app.py + the permission matrix include the agreed ones."""
    assert {a.role for a in ROLE_ACCOUNTS} == set(Role), "one demo account per role"
    for account in ROLE_ACCOUNTS:
        allowed = {p.url_path for p in account.pages}
        for url_path, roles in AGREED_ACCESS.items():
            assert (url_path in allowed) == (account.role in roles), (account.username, url_path)


@pytest.mark.parametrize("account", ROLE_ACCOUNTS, ids=lambda a: a.username)
def test_role_sees_exactly_its_pages(
    page: Page, server: str, account: Account, signed_in_states: dict[str, dict], axe_scanner: AxeScanner
) -> None:
    sign_in(page, server, account.username)
    signed_in_states[account.username] = page.context.storage_state()  # the accessibility scans reuse it
    expect(h1(page)).to_have_text(f"Welcome, {account.name}")
    expect(nav_titles(page)).to_have_text([p.title for p in account.pages], timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    for index, app_page in enumerate(account.pages):
        if index == 0:  # signing in lands on Home
            assert app_page == HOME, "Home is the first page of every role"
            expect(page).to_have_title(HOME.title)
        elif index == 1:  # the sidebar links work
            click_nav_link(page, app_page)
            expect(page).to_have_url(f"{server}/{app_page.url_path}")
        else:  # and so do addresses typed or bookmarked
            open_page(page, server, app_page)
        expect(nav_titles(page)).to_have_text([p.title for p in account.pages])
        # While here: the accessibility scan test_accessibility.py asserts on (it settles the page too).
        axe_scanner.scan(page, key=app_page.url_path, label=page_label(app_page), account=account.username,
                         role=account.role)
        save_screenshots(page, f"{account.username}-{app_page.url_path}")

    for forbidden in account.forbidden:
        page.goto(f"{server}/{forbidden.url_path}")
        _expect_not_showing(page, forbidden.title)
        if forbidden == REVIEWS:
            expect(page.get_by_role("cell", name=NORTH_REF)).to_have_count(0)
        if forbidden == PEOPLE:
            expect(page.get_by_role("heading", name="Add a person")).to_have_count(0)


def test_wrong_password_is_explained(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    expect_sign_in_form(page)
    submit_sign_in(page, "chair", "not-the-right-password")
    expect(page.get_by_text(BAD_LOGIN_MESSAGE)).to_be_visible(timeout=WAIT_MS)
    wait_ready(page)
    expect_sign_in_form(page)
    expect(page.get_by_text(WELCOME)).to_have_count(0)
    save_screenshots(page, "sign-in-wrong-password")


def test_sign_in_page(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    expect_sign_in_form(page)
    expect(page).to_have_title("Sign in")
    save_screenshots(page, "sign-in")


def _expect_signed_out_after_load(page: Page, what: str) -> None:
    """Once the page has loaded and settled, it is the sign-in form, not a signed-in page."""
    expect(h1(page)).to_be_visible(timeout=WAIT_MS)
    wait_ready(page)
    heading = h1(page).inner_text().strip()
    assert heading == SIGN_IN_HEADING, f"{what}: the app signed the person back in (h1 {heading!r})"
    expect_sign_in_form(page)
    expect(page.get_by_text(WELCOME)).to_have_count(0)
    expect(page.locator("table")).to_have_count(0)


def test_log_out_stays_logged_out_after_reload(page: Page, server: str) -> None:
    sign_in(page, server, "member")
    page.get_by_role("button", name="Log out").click()
    expect_sign_in_form(page)
    wait_ready(page)
    expect_sign_in_form(page)
    expect_auth_cookie(page, present=False)

    page.reload()
    _expect_signed_out_after_load(page, "reloading after Log out")

    # A deep link after logging out does not sign back in either.
    page.goto(f"{server}/{MEETINGS.url_path}")
    _expect_signed_out_after_load(page, "opening /meetings after Log out")


def test_secretariat_sees_only_its_own_icb_people(page: Page, server: str) -> None:
    sign_in(page, server, "southadmin")
    open_page(page, server, PEOPLE)
    table = page.get_by_test_id("stMain").locator("table").first
    for username in ("southchair", "southadmin"):
        expect(table.get_by_role("cell", name=username, exact=True)).to_have_count(1)
    for username in ("chair", "admin", "member", "observer"):
        expect(table.get_by_role("cell", name=username, exact=True)).to_have_count(0)
    save_screenshots(page, "southadmin-people")


def test_chair_sees_only_own_panel_reviews(page: Page, server: str) -> None:
    sign_in(page, server, ACCOUNTS_BY_USERNAME["chair"].username)
    open_page(page, server, REVIEWS)
    expect(page.get_by_role("cell", name=NORTH_REF).first).to_be_visible()
    expect(page.get_by_text(SOUTH_REF)).to_have_count(0)
