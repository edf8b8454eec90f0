"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on the sign-in page and on every page for every role.

No "serious" or "critical" finding is allowed; failures name the rule, impact, help text and elements.
Every finding of any impact goes to test-artifacts/axe-summary.json. The role pages are scanned during
the navigation tour (test_sign_in_and_navigation.py), which runs first; a page the tour did not scan (for
example when this file runs alone) is opened and scanned here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import (
    BAD_LOGIN_MESSAGE,
    ROLE_ACCOUNTS,
    WAIT_MS,
    Account,
    expect_sign_in_form,
    open_page,
    page_label,
    submit_sign_in,
    wait_ready,
)

pytestmark = pytest.mark.browser

ANONYMOUS = "(anonymous)"


def _assert_none_blocking(blocking: list[str]) -> None:
    assert not blocking, "serious/critical accessibility findings:\n" + "\n".join(blocking)


def test_sign_in_page(page: Page, server: str, axe_scanner: AxeScanner) -> None:
    page.goto(f"{server}/")
    expect_sign_in_form(page)
    scan = axe_scanner.scan(page, key="sign-in", label="Sign in (/)", account=ANONYMOUS, role="-")
    _assert_none_blocking(axe_scanner.blocking(scan))


def test_sign_in_page_with_wrong_password_error(page: Page, server: str, axe_scanner: AxeScanner) -> None:
    page.goto(f"{server}/")
    expect_sign_in_form(page)
    wait_ready(page)
    submit_sign_in(page, "chair", "not-the-right-password")
    expect(page.get_by_text(BAD_LOGIN_MESSAGE)).to_be_visible(timeout=WAIT_MS)
    scan = axe_scanner.scan(page, key="sign-in-error", label="Sign in, wrong password (/)", account=ANONYMOUS,
                            role="-")
    _assert_none_blocking(axe_scanner.blocking(scan))


@pytest.mark.parametrize("account", ROLE_ACCOUNTS, ids=lambda a: a.username)
def test_every_page_of_every_role(
    page_as: Callable[[str], Page], server: str, account: Account, axe_scanner: AxeScanner
) -> None:
    page: Page | None = None
    blocking: list[str] = []
    for app_page in account.pages:
        scan = axe_scanner.get(account.username, app_page.url_path)
        if scan is None:
            if page is None:
                page = page_as(account.username)
            open_page(page, server, app_page)
            scan = axe_scanner.scan(page, key=app_page.url_path, label=page_label(app_page),
                                    account=account.username, role=account.role)
        blocking += axe_scanner.blocking(scan)
    _assert_none_blocking(blocking)
