"""Insight in the browser as the secretariat: dates chosen instead of a year, and the annual report pack
prepared with its progress bar, downloaded as a real Word file and read back; axe-core on both states."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import WAIT_MS, open_page, page_at

pytestmark = pytest.mark.browser
REPORT_MS = 60_000  # the first charts start the renderer


def test_dates_chosen_and_the_report_downloaded(page_as: Callable[[str], Page], server: str,
                                                axe_scanner: AxeScanner) -> None:
    page = page_as("admin")
    open_page(page, server, page_at("insight"), interactive=True)
    page.get_by_text("Dates I choose").click()
    expect(page.get_by_label("From", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="in brief")).to_contain_text("to", timeout=WAIT_MS)
    scan = axe_scanner.scan(page, key="insight-range", label="Insight, dates chosen", account="admin",
                            role="secretariat")
    assert not axe_scanner.blocking(scan)

    page.get_by_role("button", name="Prepare the annual report").click()
    word = page.get_by_role("button", name="Download the annual report (Word)")
    expect(word).to_be_visible(timeout=REPORT_MS)
    expect(page.get_by_role("button", name="Download the figures (CSV)")).to_be_visible()
    expect(page.get_by_text("The report is ready")).to_be_visible()
    scan = axe_scanner.scan(page, key="insight-report", label="Insight, report prepared", account="admin",
                            role="secretariat")
    assert not axe_scanner.blocking(scan)
    with page.expect_download(timeout=REPORT_MS) as download:
        word.click()
    assert download.value.suggested_filename.startswith("leder-report-")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    assert next(p.text for p in document.paragraphs if p.style.name == "Heading 1") == "In brief"
    assert len(document.inline_shapes) >= 1
