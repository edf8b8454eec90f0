"""The home page's "What needs you" and a meeting's calendar invite in the browser: a lived-experience
member (on a private server) reads them in Easy Read with the count under the menu, marks one read, and
downloads the invite,
which a real iCalendar parser reads back; axe-core on the home page as that member and as the chair."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import WAIT_MS, save_screenshots, sign_in, wait_ready

pytestmark = pytest.mark.browser
COUNT = re.compile(r"What needs you: (\d+) new")


def _count(page: Page) -> int:
    link = page.get_by_role("link", name=COUNT)
    expect(link).to_be_visible(timeout=WAIT_MS)
    found = COUNT.search(link.inner_text())
    assert found is not None
    return int(found.group(1))


def test_a_member_reads_what_needs_them_marks_one_read_and_adds_the_meeting_to_a_calendar(
        page: Page, fresh_server: str, axe_scanner: AxeScanner) -> None:
    """On a private server: the shared one's meeting has been started by other tests, which answers
    the notices this test reads."""
    sign_in(page, fresh_server, "lived2")
    wait_ready(page)
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Please tell us what you think about review").first).to_be_visible()
    expect(page.get_by_text("Can you come?")).to_be_visible()
    before = _count(page)
    assert before >= 2
    scan = axe_scanner.scan(page, key="home-notices-lived", label="Home, what needs you", account="lived2",
                            role="lived-experience member")
    assert not axe_scanner.blocking(scan)

    page.get_by_role("button", name="Mark as read").first.click()
    expect(page.get_by_text("Marked as read.")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("link", name=f"What needs you: {before - 1} new")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Already read (1)")).to_be_visible()

    invite = page.get_by_role("button", name=re.compile(r"^Add to my calendar: the invite for "))
    wait_ready(page)  # the file is written when pressed: a click during a rerun would be lost
    with page.expect_download(timeout=2 * WAIT_MS) as download:
        invite.click()
    assert download.value.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(download.value.path().read_bytes())
    event = calendar.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED" and "/my-meeting" in str(event["DESCRIPTION"])
    save_screenshots(page, "home-notices-lived", widths=(1280, 320))


def test_the_chairs_home_page_has_no_serious_accessibility_problem(page_as: Callable[[str], Page], server: str,
                                                                    axe_scanner: AxeScanner) -> None:
    page = page_as("chair")
    wait_ready(page)
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible(timeout=WAIT_MS)
    scan = axe_scanner.scan(page, key="home-notices-chair", label="Home, what needs you", account="chair",
                            role="chair")
    assert not axe_scanner.blocking(scan)
