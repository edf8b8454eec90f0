"""Importing reviews in a real browser, on a private server (it adds reviews the shared server's tests
count): the secretariat chooses a file with problems, reads them in the table, imports only the clean rows
with the progress bar, and axe-core scans the preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import WAIT_MS, open_page, page_at, save_screenshots, sign_in, wait_ready

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "reviews-sample.csv"


def test_the_secretariat_reads_the_problems_and_imports_the_clean_rows(
        page: Page, fresh_server: str, axe_scanner: AxeScanner, tmp_path: Path) -> None:
    quarter = tmp_path / "quarter.csv"
    quarter.write_text(SAMPLE.read_text(encoding="utf-8").replace("14/03/2026", "31/02/2026"), encoding="utf-8")
    sign_in(page, fresh_server, "admin")
    open_page(page, fresh_server, page_at("import"), interactive=True)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(quarter))
    expect(page.get_by_text("quarter.csv: 3 rows checked: 2 new, 0 to update, 0 unchanged; 1 row with 1 "
                            "problem.", exact=False)).to_be_visible(timeout=WAIT_MS)
    problem = page.get_by_role("row").filter(has_text="'31/02/2026' is not a date.")
    expect(problem).to_contain_text("Notification date")
    expect(page.get_by_role("columnheader", name="Problem")).to_be_visible()
    wait_ready(page)
    scan = axe_scanner.scan(page, key="import-preview", label="Import reviews, preview with problems",
                            account="admin", role="secretariat")
    assert axe_scanner.blocking(scan) == []
    save_screenshots(page, "admin-import-preview")
    page.get_by_role("button", name="Import only the 2 clean reviews").click()
    expect(page.get_by_text("Imported: 2 new reviews, 0 updated, 0 unchanged, 1 row with problems left out."))\
        .to_be_visible(timeout=WAIT_MS)
    open_page(page, fresh_server, page_at("reviews"))
    expect(page.get_by_role("cell", name="LDR-2026-0502")).to_be_visible(timeout=WAIT_MS)
